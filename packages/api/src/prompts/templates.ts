import type { DatabaseHandle } from '@investiq/db';
import { writeAudit } from '../audit/audit-log';
import { AppError } from '../errors';
import { DEFAULT_TEMPLATES, NARRATIVE_TEMPLATE } from './defaults';
import { scanPlaceholders } from './placeholders';

export type TemplateLanguage = 'zh' | 'en';

export interface PromptTemplate {
  id: string;
  name: string;
  language: TemplateLanguage;
  version: number;
  body: string;
  note: string | null;
  createdBy: string | null;
  createdAt: string;
  active: boolean;
}

interface Row {
  id: string;
  name: string;
  language: TemplateLanguage;
  version: number;
  body: string;
  note: string | null;
  created_by: string | null;
  created_at: Date | string;
  active: boolean;
}

const COLS = 'id, name, language, version, body, note, created_by, created_at, active';

const toTemplate = (r: Row): PromptTemplate => ({
  id: r.id,
  name: r.name,
  language: r.language,
  version: r.version,
  body: r.body,
  note: r.note,
  createdBy: r.created_by,
  createdAt: new Date(r.created_at).toISOString(),
  active: r.active,
});

export const MAX_TEMPLATE_CHARS = 20_000;

function checkLanguage(language: string): asserts language is TemplateLanguage {
  if (language !== 'zh' && language !== 'en')
    throw new AppError('BAD_REQUEST', `language must be 'zh' or 'en', got '${language}'`);
}

/** Seeds version 1 of the default zh/en narrative templates (idempotent; run at start-up). */
export async function ensureDefaultTemplates(db: DatabaseHandle): Promise<void> {
  for (const language of ['zh', 'en'] as const) {
    await db.query(
      `INSERT INTO prompt_templates (name, language, version, body, note, created_by, active)
       SELECT $1, $2, 1, $3, 'built-in default', 'system', NOT EXISTS (
         SELECT 1 FROM prompt_templates WHERE name = $1 AND language = $2 AND active)
       WHERE NOT EXISTS (SELECT 1 FROM prompt_templates WHERE name = $1 AND language = $2)
       ON CONFLICT DO NOTHING`,
      [NARRATIVE_TEMPLATE, language, DEFAULT_TEMPLATES[language]],
    );
  }
}

/** All versions of a template, newest first. */
export async function listTemplateVersions(
  db: DatabaseHandle,
  q: { name?: string; language?: TemplateLanguage } = {},
): Promise<PromptTemplate[]> {
  const rows = await db.query<Row>(
    `SELECT ${COLS} FROM prompt_templates
      WHERE name = $1 AND ($2::text IS NULL OR language = $2)
      ORDER BY language, version DESC`,
    [q.name ?? NARRATIVE_TEMPLATE, q.language ?? null],
  );
  return rows.map(toTemplate);
}

export async function getTemplate(db: DatabaseHandle, id: string): Promise<PromptTemplate> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw new AppError('BAD_REQUEST', `template id '${id}' is not a UUID`);
  const [row] = await db.query<Row>(`SELECT ${COLS} FROM prompt_templates WHERE id = $1`, [id]);
  if (!row) throw new AppError('NOT_FOUND', `no prompt template ${id}`);
  return toTemplate(row);
}

/** The active version for (name, language); seeds the defaults if the table is empty. */
export async function getActiveTemplate(
  db: DatabaseHandle,
  language: TemplateLanguage,
  name = NARRATIVE_TEMPLATE,
): Promise<PromptTemplate> {
  const find = () =>
    db.query<Row>(`SELECT ${COLS} FROM prompt_templates WHERE name = $1 AND language = $2 AND active`, [
      name,
      language,
    ]);
  let [row] = await find();
  if (!row && name === NARRATIVE_TEMPLATE) {
    await ensureDefaultTemplates(db);
    [row] = await find();
  }
  if (!row) throw new AppError('NOT_FOUND', `no active prompt template '${name}' (${language})`);
  return toTemplate(row);
}

/** Adds a new version (immutable history) and makes it the active one. */
export async function createTemplateVersion(
  db: DatabaseHandle,
  input: { name?: string; language: string; body: string; note?: string; createdBy: string | null },
  /** When given, the audit row is written in the same transaction (actor = createdBy). */
  audit?: { ip?: string | null },
): Promise<PromptTemplate> {
  checkLanguage(input.language);
  const body = input.body;
  if (body.trim().length === 0) throw new AppError('BAD_REQUEST', 'template body must not be empty');
  if (body.length > MAX_TEMPLATE_CHARS)
    throw new AppError('BAD_REQUEST', `template body is too long (max ${MAX_TEMPLATE_CHARS} characters)`);
  if (!body.includes('{{facts}}'))
    throw new AppError(
      'BAD_REQUEST',
      'template body must contain the {{facts}} placeholder (the computed numbers)',
    );
  assertKnownPlaceholders(body);
  const name = input.name ?? NARRATIVE_TEMPLATE;
  const language = input.language;
  const row = await db.transaction(async (query) => {
    const [max] = await query<{ v: number | null }>(
      'SELECT max(version)::int AS v FROM prompt_templates WHERE name = $1 AND language = $2',
      [name, language],
    );
    await query('UPDATE prompt_templates SET active = false WHERE name = $1 AND language = $2 AND active', [
      name,
      language,
    ]);
    const [inserted] = await query<Row>(
      `INSERT INTO prompt_templates (name, language, version, body, note, created_by, active)
       VALUES ($1, $2, $3, $4, $5, $6, true) RETURNING ${COLS}`,
      [name, language, (max?.v ?? 0) + 1, body, input.note ?? null, input.createdBy],
    );
    if (audit)
      await writeAudit(query, {
        actor: input.createdBy ?? 'system',
        action: 'prompt.create',
        target: `prompt:${name}@${language}`,
        newValue: { version: inserted!.version, note: inserted!.note, chars: body.length },
        ip: audit.ip ?? null,
      });
    return inserted!;
  });
  return toTemplate(row);
}

/** Makes an existing version the active one again (history is kept). */
export async function rollbackTemplate(
  db: DatabaseHandle,
  input: { name?: string; language: string; version: number },
  /** When given, the audit row (old and new active version) is written in the same transaction. */
  audit?: { actor: string; ip?: string | null },
): Promise<PromptTemplate> {
  checkLanguage(input.language);
  const name = input.name ?? NARRATIVE_TEMPLATE;
  const row = await db.transaction(async (query) => {
    const [target] = await query<Row>(
      `SELECT ${COLS} FROM prompt_templates WHERE name = $1 AND language = $2 AND version = $3`,
      [name, input.language, input.version],
    );
    if (!target)
      throw new AppError(
        'NOT_FOUND',
        `template '${name}' (${input.language}) has no version ${input.version}`,
      );
    const before = await query<{ version: number }>(
      'UPDATE prompt_templates SET active = false WHERE name = $1 AND language = $2 AND active RETURNING version',
      [name, input.language],
    );
    await query('UPDATE prompt_templates SET active = true WHERE id = $1', [target.id]);
    if (audit)
      await writeAudit(query, {
        actor: audit.actor,
        action: 'prompt.rollback',
        target: `prompt:${name}@${input.language}`,
        oldValue: before[0] ? { activeVersion: before[0].version } : undefined,
        newValue: { activeVersion: target.version },
        ip: audit.ip ?? null,
      });
    return { ...target, active: true };
  });
  return toTemplate(row);
}

export const PLACEHOLDERS = ['name', 'symbol', 'market', 'currency', 'asOf', 'facts', 'sections'];

/** Refuses a body that uses placeholders outside PLACEHOLDERS (e.g. a typo, or {{constructor}}). */
export function assertKnownPlaceholders(body: string): void {
  const unknown = [...new Set(scanPlaceholders(body).map((m) => m.key))].filter(
    (k) => !PLACEHOLDERS.includes(k),
  );
  if (unknown.length > 0)
    throw new AppError(
      'BAD_REQUEST',
      `unknown placeholder(s): ${unknown
        .slice(0, 10)
        .map((k) => `{{${k.slice(0, 40)}}}`)
        .join(', ')}; known: ${PLACEHOLDERS.map((k) => `{{${k}}}`).join(', ')}`,
    );
}
