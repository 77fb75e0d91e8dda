import type { DatabaseHandle } from '@investiq/db';
import { createTestDatabase } from '@investiq/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import type { Fact } from './fact';
import { renderPrompt } from './render';
import {
  createTemplateVersion,
  ensureDefaultTemplates,
  getActiveTemplate,
  listTemplateVersions,
  rollbackTemplate,
} from './templates';

let db: DatabaseHandle & { close(): Promise<void> };
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.close();
});

describe('prompt templates', () => {
  it('seeds zh and en defaults once, version 1 active', async () => {
    await ensureDefaultTemplates(db);
    await ensureDefaultTemplates(db);
    const all = await listTemplateVersions(db);
    expect(all.map((t) => [t.language, t.version, t.active])).toEqual([
      ['en', 1, true],
      ['zh', 1, true],
    ]);
    expect((await getActiveTemplate(db, 'zh')).body).toContain('{{facts}}');
  });

  it('adds versions (the new one active), rolls back, keeps history', async () => {
    const v2 = await createTemplateVersion(db, {
      language: 'en',
      body: 'Summarise {{name}}:\n{{facts}}',
      note: 'shorter',
      createdBy: 'user:alice',
    });
    expect(v2).toMatchObject({ version: 2, active: true, createdBy: 'user:alice' });
    expect((await getActiveTemplate(db, 'en')).id).toBe(v2.id);
    const back = await rollbackTemplate(db, { language: 'en', version: 1 });
    expect(back).toMatchObject({ version: 1, active: true });
    const en = await listTemplateVersions(db, { language: 'en' });
    expect(en.map((t) => [t.version, t.active])).toEqual([
      [2, false],
      [1, true],
    ]);
    // zh untouched
    expect((await getActiveTemplate(db, 'zh')).version).toBe(1);
  });

  it('refuses bad templates with a message naming the problem', async () => {
    const bad = (body: string, language = 'en') =>
      createTemplateVersion(db, { language, body, createdBy: null });
    await expect(bad('no numbers here')).rejects.toThrow(
      new AppError(
        'BAD_REQUEST',
        'template body must contain the {{facts}} placeholder (the computed numbers)',
      ),
    );
    await expect(bad('{{facts}} {{price}}')).rejects.toThrow(/unknown placeholder\(s\): \{\{price\}\}/);
    await expect(bad('   ')).rejects.toThrow(/must not be empty/);
    await expect(bad('{{facts}}', 'fr')).rejects.toThrow(/language must be 'zh' or 'en'/);
    await expect(rollbackTemplate(db, { language: 'en', version: 99 })).rejects.toThrow(/has no version 99/);
  });
});

describe('prompt template audit', () => {
  const auditRows = (action: string) =>
    db.query<{ actor: string; target: string; new_value: unknown; old_value: unknown; ip: string | null }>(
      'SELECT actor, target, new_value, old_value, ip FROM audit_log WHERE action = $1 ORDER BY id',
      [action],
    );

  it('a new version and a rollback are audited in their own transaction; a refused body writes neither', async () => {
    const zhBody = 'Audit test {{facts}}';
    const v = await createTemplateVersion(
      db,
      { language: 'zh', body: zhBody, note: 'audited', createdBy: 'user:auditor' },
      { ip: '127.0.0.9' },
    );
    const created = await auditRows('prompt.create');
    expect(created.at(-1)).toMatchObject({
      actor: 'user:auditor',
      target: 'prompt:report-narrative@zh',
      new_value: { version: v.version, note: 'audited', chars: zhBody.length },
      ip: '127.0.0.9',
    });
    const n = created.length;
    await expect(
      createTemplateVersion(db, { language: 'zh', body: 'no facts here', createdBy: 'user:auditor' }, {}),
    ).rejects.toThrow(/\{\{facts\}\}/);
    expect(await auditRows('prompt.create')).toHaveLength(n);

    await rollbackTemplate(db, { language: 'zh', version: 1 }, { actor: 'user:auditor', ip: null });
    expect((await auditRows('prompt.rollback')).at(-1)).toMatchObject({
      actor: 'user:auditor',
      old_value: { activeVersion: v.version },
      new_value: { activeVersion: 1 },
    });
  });
});

describe('renderPrompt', () => {
  it('fills placeholders with the facts as shown and the section states', () => {
    const facts: Fact[] = [
      { key: 'roe', label: 'ROE', value: 0.2534, unit: 'pct', scale: 100, decimals: 1 },
      { key: 'pe', label: 'P/E', value: 31.456, unit: 'plain', scale: 1, decimals: 2 },
    ];
    const out = renderPrompt(
      '{{name}} ({{symbol}}, {{market}}) {{asOf}}\n{{facts}}\n{{sections}}\n{{unknown}}',
      {
        name: 'Moutai',
        symbol: '600519.SH',
        market: 'CN',
        currency: 'CNY',
        asOf: '2026-11-20',
        facts,
        sections: [{ module: 'sentiment', status: 'unavailable', reason: 'down' }],
      },
    );
    expect(out).toBe(
      'Moutai (600519.SH, CN) 2026-11-20\n- ROE: 25.3%\n- P/E: 31.46\n- sentiment: unavailable (down)\n{{unknown}}',
    );
  });
});
