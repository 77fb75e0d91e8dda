import type { DatabaseHandle } from '@investiq/db';
import type { z } from 'zod';
import { type Actor, writeAudit } from '../audit/audit-log';
import { AppError } from '../errors';
import type { Logger } from '../observability/logger';
import {
  decryptValue,
  type Envelope,
  encryptValue,
  isEnvelope,
  maskSecret,
  needsReencryption,
  type SecretsKeyring,
} from './crypto';
import { type SettingDef, settingDef } from './registry';

export const SETTINGS_CHANNEL = 'investiq_settings';

interface Cached {
  version: number;
  value: unknown;
}

interface SettingsState {
  keyring: SecretsKeyring | null;
  /** Per-process defaults that replace the registry's (e.g. values from the environment). */
  defaults: Map<string, unknown>;
  cache: Map<string, Cached>;
  /** The cache is only trusted while LISTEN is up; otherwise every read goes to the database. */
  listening: boolean;
  unlisten: (() => Promise<void>) | null;
  log: Logger | null;
}

const states = new WeakMap<DatabaseHandle, SettingsState>();

function state(db: DatabaseHandle): SettingsState {
  let s = states.get(db);
  if (!s) {
    s = { keyring: null, defaults: new Map(), cache: new Map(), listening: false, unlisten: null, log: null };
    states.set(db, s);
  }
  return s;
}

/**
 * Wire the settings service to one database handle (one per process): the secrets keyring, per-process
 * defaults, and a LISTEN on `investiq_settings` that drops cached values when any process changes them.
 */
export async function attachSettings(
  db: DatabaseHandle,
  opts: { keyring?: SecretsKeyring | null; defaults?: Record<string, unknown>; log?: Logger },
): Promise<() => Promise<void>> {
  const s = state(db);
  s.keyring = opts.keyring ?? null;
  s.log = opts.log ?? null;
  for (const [k, v] of Object.entries(opts.defaults ?? {})) s.defaults.set(k, v);
  s.unlisten = await db.listen(
    SETTINGS_CHANNEL,
    (payload) => {
      try {
        const { key } = JSON.parse(payload) as { key: string };
        s.cache.delete(key);
      } catch {
        s.cache.clear();
      }
    },
    {
      // Changes made while LISTEN was down were never announced: stop trusting the cache until it is back,
      // then start from an empty one.
      onState: (st) => {
        s.listening = st === 'up';
        s.cache.clear();
        s.log?.[st === 'up' ? 'info' : 'warn'](
          { channel: SETTINGS_CHANNEL },
          st === 'up' ? 'settings LISTEN restored; cache reset' : 'settings LISTEN lost; reading through',
        );
      },
    },
  );
  s.listening = true;
  if (s.keyring?.previous.length) await reencryptSecrets(db);
  return async () => {
    s.listening = false;
    s.cache.clear();
    await s.unlisten?.();
    s.unlisten = null;
  };
}

/** The secrets keyring this handle was attached with (other domains' secrets use the same key). */
export function keyringOf(db: DatabaseHandle): SecretsKeyring | null {
  return state(db).keyring;
}

function resolveDef<T>(keyOrDef: SettingDef<T> | string): SettingDef<T> {
  const def = typeof keyOrDef === 'string' ? settingDef(keyOrDef) : keyOrDef;
  if (!def) throw new AppError('NOT_FOUND', `unknown setting '${String(keyOrDef)}'`);
  return def as SettingDef<T>;
}

export function defaultOf<T>(db: DatabaseHandle, def: SettingDef<T>): T {
  const s = state(db);
  return (s.defaults.has(def.key) ? s.defaults.get(def.key) : def.default) as T;
}

/** Read a stored value through a schema; a stored object missing newer fields gets them from the default. */
function coerce<T>(def: SettingDef<T>, stored: unknown, fallback: T): T {
  const direct = def.schema.safeParse(stored);
  if (direct.success) return direct.data;
  if (isPlainObject(stored) && isPlainObject(fallback)) {
    const merged = def.schema.safeParse({ ...fallback, ...stored });
    if (merged.success) return merged.data;
  }
  return fallback;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

async function readCurrent(
  db: DatabaseHandle,
  key: string,
): Promise<{ version: number; raw: unknown } | null> {
  const rows = await db.query<{ version: number; value: unknown }>(
    'SELECT version, value FROM settings WHERE key = $1 ORDER BY version DESC LIMIT 1',
    [key],
  );
  return rows[0] ? { version: rows[0].version, raw: rows[0].value } : null;
}

function open(db: DatabaseHandle, def: SettingDef, raw: unknown): unknown {
  if (!isEnvelope(raw)) return raw;
  const keyring = state(db).keyring;
  if (!keyring)
    throw new AppError(
      'SERVICE_UNAVAILABLE',
      `setting '${def.key}' is encrypted and no SECRETS_KEY is configured`,
    );
  return decryptValue(keyring, raw, def.key);
}

/** The current value (decrypted for secrets — for server-side use only, never send it to a client). */
export async function getSetting<T>(db: DatabaseHandle, keyOrDef: SettingDef<T> | string): Promise<T> {
  const def = resolveDef(keyOrDef);
  return (await getSettingWithVersion(db, def)).value;
}

export async function getSettingWithVersion<T>(
  db: DatabaseHandle,
  keyOrDef: SettingDef<T> | string,
): Promise<{ value: T; version: number }> {
  const def = resolveDef(keyOrDef);
  const s = state(db);
  if (s.listening) {
    const hit = s.cache.get(def.key);
    if (hit) return { value: hit.value as T, version: hit.version };
  }
  const cur = await readCurrent(db, def.key);
  const fallback = defaultOf(db, def);
  const value = cur ? coerce(def, open(db, def, cur.raw), fallback) : fallback;
  const entry = { version: cur?.version ?? 0, value };
  if (s.listening) s.cache.set(def.key, entry);
  return entry;
}

/** Replace every string leaf with its mask — what an admin or the audit log sees of a secret. */
export function maskValue(v: unknown): unknown {
  if (typeof v === 'string') return maskSecret(v);
  if (Array.isArray(v)) return v.map(maskValue);
  if (isPlainObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, maskValue(x)]));
  return v;
}

/** The value as a client may see it: secrets masked. */
export function publicValue(def: SettingDef, value: unknown): unknown {
  return def.secret ? maskValue(value) : value;
}

/**
 * For secrets, the admin form sends back the masks it was shown for fields it did not change: keep the old
 * value where the new leaf equals the old leaf's mask.
 */
function keepUnchangedSecrets(next: unknown, prev: unknown): unknown {
  if (typeof next === 'string' && typeof prev === 'string')
    return next === maskSecret(prev) && next !== '' ? prev : next;
  if (isPlainObject(next) && isPlainObject(prev))
    return Object.fromEntries(Object.entries(next).map(([k, x]) => [k, keepUnchangedSecrets(x, prev[k])]));
  return next;
}

function describeZod(err: z.ZodError): string {
  return err.issues
    .slice(0, 5)
    .map((i) => `${i.path.length ? i.path.join('.') : 'value'}: ${i.message}`)
    .join('; ');
}

/**
 * Write a new version: validate, encrypt secrets, insert (key, version+1), audit (secrets redacted) and
 * NOTIFY so every process drops its cached copy — all in one transaction.
 */
export async function setSetting<T>(
  db: DatabaseHandle,
  keyOrDef: SettingDef<T> | string,
  value: unknown,
  actor: Actor,
  opts: { expectedVersion?: number; ip?: string | null; action?: string } = {},
): Promise<{ version: number; value: unknown }> {
  const def = resolveDef(keyOrDef);
  const s = state(db);
  const prev = await getSettingWithVersion(db, def);
  if (opts.expectedVersion !== undefined && opts.expectedVersion !== prev.version)
    throw new AppError(
      'CONFLICT',
      `setting '${def.key}' was changed by someone else (now version ${prev.version}); reload and retry`,
    );
  const candidate = def.secret ? keepUnchangedSecrets(value, prev.value) : value;
  const parsed = def.schema.safeParse(candidate);
  if (!parsed.success)
    throw new AppError('BAD_REQUEST', `${def.key}: ${describeZod(parsed.error)}`, {
      details: { issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) },
    });
  const next = parsed.data;
  let stored: unknown = next;
  if (def.secret) {
    if (!s.keyring)
      throw new AppError(
        'SERVICE_UNAVAILABLE',
        'secret settings need SECRETS_KEY (32 random bytes, base64) in the server environment',
      );
    stored = encryptValue(s.keyring, next, def.key);
  }
  const version = prev.version + 1;
  try {
    await db.transaction(async (q) => {
      await q('INSERT INTO settings (key, version, value, created_by) VALUES ($1, $2, $3, $4)', [
        def.key,
        version,
        JSON.stringify(stored),
        actor,
      ]);
      await writeAudit(q, {
        actor,
        action: opts.action ?? 'setting.set',
        target: def.key,
        oldValue: publicValue(def, prev.value),
        newValue: publicValue(def, next),
        ip: opts.ip ?? null,
      });
      await q('SELECT pg_notify($1, $2)', [SETTINGS_CHANNEL, JSON.stringify({ key: def.key, version })]);
    });
  } catch (err) {
    if ((err as { code?: string }).code === '23505')
      throw new AppError('CONFLICT', `setting '${def.key}' was changed concurrently; retry`, { cause: err });
    throw err;
  }
  s.cache.delete(def.key);
  s.log?.info({ setting: def.key, version, actor }, 'setting changed');
  return { version, value: publicValue(def, next) };
}

/**
 * Store `value` as version 1 unless the setting already has a stored version (the first process to start
 * wins). After that the stored row is the one source of truth for every process, whatever each one's
 * environment says. Returns whether this call stored it. Not for secrets.
 */
export async function seedSetting<T>(db: DatabaseHandle, def: SettingDef<T>, value: T): Promise<boolean> {
  if (def.secret) throw new Error(`seedSetting: '${def.key}' is secret`);
  const parsed = def.schema.parse(value);
  const seeded = await db.transaction(async (q) => {
    const rows = await q(
      `INSERT INTO settings (key, version, value, created_by) VALUES ($1, 1, $2, 'system')
       ON CONFLICT DO NOTHING RETURNING version`,
      [def.key, JSON.stringify(parsed)],
    );
    if (rows.length === 0) return false;
    await writeAudit(q, { actor: 'system', action: 'setting.seed', target: def.key, newValue: parsed });
    await q('SELECT pg_notify($1, $2)', [SETTINGS_CHANNEL, JSON.stringify({ key: def.key, version: 1 })]);
    return true;
  });
  state(db).cache.delete(def.key);
  return seeded;
}

export interface TSettingVersion {
  version: number;
  createdAt: string;
  createdBy: string;
  value: unknown;
}

/** Stored versions, newest first, secrets masked. */
export async function settingHistory(
  db: DatabaseHandle,
  keyOrDef: SettingDef | string,
  limit = 50,
): Promise<TSettingVersion[]> {
  const def = resolveDef(keyOrDef);
  const rows = await db.query<{
    version: number;
    value: unknown;
    created_at: Date | string;
    created_by: string;
  }>(
    'SELECT version, value, created_at, created_by FROM settings WHERE key = $1 ORDER BY version DESC LIMIT $2',
    [def.key, limit],
  );
  return rows.map((r) => {
    let value: unknown;
    try {
      value = publicValue(def, open(db, def, r.value));
    } catch {
      value = '(cannot decrypt)';
    }
    return {
      version: r.version,
      createdAt: new Date(r.created_at).toISOString(),
      createdBy: r.created_by,
      value,
    };
  });
}

/** Make an older version current again (as a new version, so history stays linear). */
export async function rollbackSetting(
  db: DatabaseHandle,
  keyOrDef: SettingDef | string,
  toVersion: number,
  actor: Actor,
  opts: { ip?: string | null } = {},
) {
  const def = resolveDef(keyOrDef);
  const rows = await db.query<{ value: unknown }>(
    'SELECT value FROM settings WHERE key = $1 AND version = $2',
    [def.key, toVersion],
  );
  if (!rows[0]) throw new AppError('NOT_FOUND', `setting '${def.key}' has no version ${toVersion}`);
  return setSetting(db, def, open(db, def, rows[0].value), actor, { ...opts, action: 'setting.rollback' });
}

/**
 * Re-encrypt every stored secret under the current key (after a rotation). Returns rows rewritten.
 * Every process starts with the rotated keyring, so this runs under a transaction-scoped advisory lock:
 * one process rewrites the rows, the others wait, then find nothing left to do.
 */
export async function reencryptSecrets(db: DatabaseHandle): Promise<number> {
  const s = state(db);
  const keyring = s.keyring;
  if (!keyring) return 0;
  const n = await db.transaction(async (q) => {
    await q('SELECT pg_advisory_xact_lock(hashtext($1))', [REENCRYPT_LOCK]);
    const rows = await q<{ key: string; version: number; value: unknown }>(
      `SELECT key, version, value FROM settings WHERE jsonb_typeof(value) = 'object' AND value ? '$enc'`,
    );
    let written = 0;
    for (const r of rows) {
      const env = r.value as Envelope;
      if (!needsReencryption(keyring, env)) continue;
      const plain = decryptValue(keyring, env, r.key);
      await q('UPDATE settings SET value = $3 WHERE key = $1 AND version = $2', [
        r.key,
        r.version,
        JSON.stringify(encryptValue(keyring, plain, r.key)),
      ]);
      written++;
    }
    return written;
  });
  if (n > 0) s.log?.info({ rows: n }, 're-encrypted stored secrets under the current SECRETS_KEY');
  return n;
}

const REENCRYPT_LOCK = 'investiq_reencrypt_secrets';
