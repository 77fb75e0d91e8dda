import { randomBytes } from 'node:crypto';
import { createDatabase, type DatabaseHandle } from '@investiq/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../auth/users';
import { createLogger } from '../observability/logger';
import { type ApiServer, cookieFrom, startApiServer } from '../test-support/api-server';
import { waitFor } from '../test-support/runtime';
import { decryptValue, encryptValue, keyId, parseSecretsKey } from './crypto';
import { SProviderKeys, SQuoteFreshness } from './keys';
import { attachSettings, getSetting, reencryptSecrets, setSetting, settingHistory } from './service';

// biome-ignore lint/suspicious/noExplicitAny: response bodies are asserted field by field
const j = (r: Response): Promise<any> => r.json();
const PG = process.env.TEST_DATABASE_URL;
const DB = PG ? 'PostgreSQL' : 'PGlite';
const SECRETS_KEY = randomBytes(32).toString('base64');
const FINNHUB = 'fh_live_9f8e7d6c5b4a3210';
let lastRotationKey: Buffer | null = null;

describe(`settings service (${DB})`, () => {
  let s: ApiServer;
  let cookie: string;
  beforeAll(async () => {
    s = await startApiServer({ config: { security: { secretsKey: SECRETS_KEY } } });
    await createUser(s.rt.db, { username: 'boss', password: 'boss-password-1', role: 'admin' });
    const res = await fetch(`${s.base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'boss', password: 'boss-password-1' }),
    });
    cookie = cookieFrom(res);
  });
  afterAll(async () => {
    await s?.close();
  });
  const trpcPost = (path: string, body: unknown) =>
    fetch(`${s.base}/api/trpc/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify(body),
    });
  const trpcGet = (path: string, input?: unknown) =>
    fetch(
      `${s.base}/api/trpc/${path}${input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`}`,
      {
        headers: { cookie },
      },
    );

  it('a provider key is encrypted at rest, masked in every response, decrypted only server-side', async () => {
    const set = await trpcPost('settings.set', {
      key: 'providers.apiKeys',
      value: { finnhub: FINNHUB, tushare: '', yahoo: '' },
    });
    expect(set.status).toBe(200);
    const setText = await set.text();
    expect(setText).not.toContain(FINNHUB);
    expect(setText).toContain('••••••3210');
    // the raw row: an AES-GCM envelope, no plain text
    const raw = await s.rt.db.query<{ value: unknown }>(
      `SELECT value FROM settings WHERE key = 'providers.apiKeys' ORDER BY version DESC LIMIT 1`,
    );
    expect(JSON.stringify(raw[0]!.value)).toMatch(/^\{"\$enc":"v1:[0-9a-f]{8}:/);
    expect(JSON.stringify(raw)).not.toContain(FINNHUB);
    expect(JSON.stringify(raw)).not.toContain('9f8e7d6c');
    // server-side code gets the real key
    expect((await getSetting(s.rt.db, SProviderKeys)).finnhub).toBe(FINNHUB);
    // list, history and the audit log show only the mask
    for (const res of [
      await trpcGet('settings.list'),
      await trpcGet('settings.history', { key: 'providers.apiKeys' }),
      await trpcGet('audit.list', { target: 'providers' }),
    ]) {
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(text).not.toContain(FINNHUB);
      expect(text).toContain('••••••3210');
    }
    const audit = await s.rt.db.query('SELECT old_value, new_value FROM audit_log');
    expect(JSON.stringify(audit)).not.toContain(FINNHUB);
    expect(s.logs.text).not.toContain(FINNHUB);
  });

  it('sending the mask back keeps the stored secret; an empty string clears it', async () => {
    const list = (await j(await trpcGet('settings.list'))).result.data;
    const cur = list.find((x: { key: string }) => x.key === 'providers.apiKeys');
    const res = await trpcPost('settings.set', {
      key: 'providers.apiKeys',
      value: { ...cur.value, tushare: 'ts_token_abcdefgh1234' },
      expectedVersion: cur.version,
    });
    expect(res.status).toBe(200);
    expect(await getSetting(s.rt.db, SProviderKeys)).toEqual({
      finnhub: FINNHUB,
      tushare: 'ts_token_abcdefgh1234',
      yahoo: '',
    });
    const stale = await trpcPost('settings.set', {
      key: 'providers.apiKeys',
      value: cur.value,
      expectedVersion: cur.version,
    });
    expect(stale.status).toBe(409);
    expect((await j(stale)).error.message).toContain('changed by someone else');
  });

  it('bad values get a 400 naming the field; unknown keys a 404', async () => {
    const bad = await trpcPost('settings.set', {
      key: 'quotes.freshness',
      value: { defaultMaxAgeSeconds: 0, retentionDays: 30 },
    });
    expect(bad.status).toBe(400);
    expect((await j(bad)).error.message).toBe(
      'quotes.freshness: defaultMaxAgeSeconds: Too small: expected number to be >=1',
    );
    const extra = await trpcPost('settings.set', {
      key: 'ui.defaults',
      value: { language: 'fr', colorConvention: 'market' },
    });
    expect(extra.status).toBe(400);
    expect((await j(extra)).error.message).toContain('ui.defaults: language');
    const unknown = await trpcPost('settings.set', { key: 'nope.nothing', value: 1 });
    expect(unknown.status).toBe(404);
  });

  it('inference endpoints accept only http(s) URLs without credentials; nothing is written otherwise', async () => {
    const urls = {
      llm: 'http://127.0.0.1:8001',
      sentiment: 'http://127.0.0.1:8002',
      timeseries: 'http://127.0.0.1:8003',
      'cpu-timeseries': 'http://127.0.0.1:8004',
    };
    const timeoutMs = { llm: 60_000, sentiment: 5_000, timeseries: 5_000, 'cpu-timeseries': 15_000 };
    const before = await s.rt.db.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM settings WHERE key = 'inference.endpoints'`,
    );
    const cases: [string, string][] = [
      ['http://admin:hunter2@127.0.0.1:8002', 'urls.sentiment: must not contain credentials'],
      ['http://token@127.0.0.1:8002', 'urls.sentiment: must not contain credentials'],
      ['ftp://127.0.0.1:8002', 'urls.sentiment: must be an http(s) URL'],
      ['file:///etc/passwd', 'urls.sentiment: must be an http(s) URL'],
      ['javascript:alert(1)', 'urls.sentiment: must be an http(s) URL'],
    ];
    for (const [bad, message] of cases) {
      const res = await trpcPost('settings.set', {
        key: 'inference.endpoints',
        value: { urls: { ...urls, sentiment: bad }, timeoutMs },
      });
      expect(res.status, bad).toBe(400);
      const text = (await j(res)).error.message as string;
      expect(text, bad).toContain(`inference.endpoints: ${message}`);
      expect(text, bad).not.toContain('hunter2');
    }
    const after = await s.rt.db.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM settings WHERE key = 'inference.endpoints'`,
    );
    expect(after).toEqual(before);
    const ok = await trpcPost('settings.set', { key: 'inference.endpoints', value: { urls, timeoutMs } });
    expect(ok.status).toBe(200);
  });

  it('quote TTL default changes without a restart; versions and rollback', async () => {
    const limits = async () => (await j(await trpcGet('quotes.limits'))).result.data;
    expect((await limits()).defaultMaxAgeSeconds).toBe(30); // seeded from the environment as version 1
    expect(
      (
        await trpcPost('settings.set', {
          key: 'quotes.freshness',
          value: { defaultMaxAgeSeconds: 7, retentionDays: 30 },
        })
      ).status,
    ).toBe(200);
    expect((await limits()).defaultMaxAgeSeconds).toBe(7);
    expect(
      (
        await trpcPost('settings.set', {
          key: 'quotes.freshness',
          value: { defaultMaxAgeSeconds: 9, retentionDays: 20 },
        })
      ).status,
    ).toBe(200);
    const hist = await settingHistory(s.rt.db, SQuoteFreshness);
    expect(hist.map((h) => h.version)).toEqual([3, 2, 1]);
    expect(hist[0]!.createdBy).toBe('user:boss');
    expect(hist[2]!.createdBy).toBe('system');
    expect((await trpcPost('settings.rollback', { key: 'quotes.freshness', version: 2 })).status).toBe(200);
    expect(await limits()).toMatchObject({ defaultMaxAgeSeconds: 7, retentionDays: 30 });
    const audit = (await j(await trpcGet('audit.list', { action: 'setting.rollback' }))).result.data;
    expect(audit[0]).toMatchObject({
      actor: 'user:boss',
      target: 'quotes.freshness',
      oldValue: { defaultMaxAgeSeconds: 9, retentionDays: 20 },
      newValue: { defaultMaxAgeSeconds: 7, retentionDays: 30 },
    });
  });

  it('a change reaches a second process without restart (PostgreSQL: second connection pool + LISTEN; PGlite: in-process NOTIFY path)', async () => {
    let other: DatabaseHandle = s.rt.db;
    let stop: (() => Promise<void>) | null = null;
    if (PG && s.rt.dbUrl) {
      other = await createDatabase({ databaseUrl: s.rt.dbUrl, migrate: false, poolMax: 2 });
      stop = await attachSettings(other, {
        keyring: { current: parseSecretsKey(SECRETS_KEY), previous: [] },
        log: createLogger({ level: 'silent' }),
      });
    }
    try {
      // warm the other process's cache, then change the value here
      expect((await getSetting(other, 'ui.defaults')) as unknown).toEqual({
        language: 'en',
        colorConvention: 'market',
      });
      await setSetting(s.rt.db, 'ui.defaults', { language: 'zh-CN', colorConvention: 'red-up' }, 'user:boss');
      await waitFor(
        async () => ((await getSetting(other, 'ui.defaults')) as { language: string }).language === 'zh-CN',
        5000,
        'the other process to see the new value',
      );
      if (PG) expect((await getSetting(other, SProviderKeys)).finnhub).toBe(FINNHUB);
    } finally {
      await stop?.();
      if (other !== s.rt.db) await other.close();
    }
  });

  it('a write made directly in the database (another writer) reaches the cache through NOTIFY', async () => {
    expect(((await getSetting(s.rt.db, 'ui.defaults')) as { language: string }).language).toBe('zh-CN');
    await s.rt.db.query(
      `INSERT INTO settings (key, version, value, created_by) VALUES ('ui.defaults', 99, '{"language":"en","colorConvention":"green-up"}', 'test')`,
    );
    await s.rt.db.query(`SELECT pg_notify('investiq_settings', '{"key":"ui.defaults","version":99}')`);
    await waitFor(
      async () =>
        ((await getSetting(s.rt.db, 'ui.defaults')) as { colorConvention: string }).colorConvention ===
        'green-up',
      5000,
      'cache invalidation',
    );
  });

  it('key rotation: secrets under the previous key are re-encrypted at start-up', async () => {
    const oldKey = parseSecretsKey(SECRETS_KEY);
    const newKey = randomBytes(32);
    lastRotationKey = newKey;
    const rotated = { current: newKey, previous: [oldKey] };
    const stop = await attachSettings(s.rt.db, { keyring: rotated });
    await stop();
    const raw = await s.rt.db.query<{ value: { $enc: string } }>(
      `SELECT value FROM settings WHERE key = 'providers.apiKeys' ORDER BY version DESC LIMIT 1`,
    );
    expect(raw[0]!.value.$enc.split(':')[1]).toBe(keyId(newKey));
    expect(decryptValue({ current: newKey, previous: [] }, raw[0]!.value, 'providers.apiKeys')).toMatchObject(
      {
        finnhub: FINNHUB,
      },
    );
    expect(await reencryptSecrets(s.rt.db)).toBe(0);
    // the envelope is bound to its setting: moved to another key it does not decrypt
    const env = encryptValue({ current: newKey, previous: [] }, 'x', 'providers.apiKeys');
    expect(() => decryptValue({ current: newKey, previous: [] }, env, 'other.key')).toThrow();
  });

  it('re-encryption after a rotation runs in one process only (advisory lock), the others find nothing to do', async () => {
    const current = (
      await s.rt.db.query<{ value: { $enc: string } }>(
        `SELECT value FROM settings WHERE key = 'providers.apiKeys' ORDER BY version DESC LIMIT 1`,
      )
    )[0]!.value.$enc.split(':')[1];
    const stored = (
      await s.rt.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM settings WHERE jsonb_typeof(value) = 'object' AND value ? '$enc'`,
      )
    )[0]!.n;
    expect(stored).toBeGreaterThan(1);
    let other: DatabaseHandle = s.rt.db;
    if (PG && s.rt.dbUrl)
      other = await createDatabase({ databaseUrl: s.rt.dbUrl, migrate: false, poolMax: 2 });
    const next = randomBytes(32);
    // attach without `previous` (no start-up re-encryption yet), then add the old key: both processes now
    // hold the rotated keyring and race to re-encrypt
    const rings = [
      { current: next, previous: [] as Buffer[] },
      { current: next, previous: [] as Buffer[] },
    ];
    const stops = [await attachSettings(s.rt.db, { keyring: rings[0] })];
    if (other !== s.rt.db) stops.push(await attachSettings(other, { keyring: rings[1] }));
    try {
      // the previous test rotated to `lastRotationKey`: every secret is under it now
      const prevKey = lastRotationKey;
      expect(prevKey && keyId(prevKey)).toBe(current);
      for (const r of rings) r.previous.push(prevKey!);
      const counts = await Promise.all([reencryptSecrets(s.rt.db), reencryptSecrets(other)]);
      expect(counts.reduce((a, b) => a + b, 0)).toBe(stored);
      expect(Math.min(...counts)).toBe(0);
      const ids = await s.rt.db.query<{ kid: string }>(
        `SELECT split_part(value->>'$enc', ':', 2) AS kid FROM settings WHERE value ? '$enc'`,
      );
      expect(new Set(ids.map((r) => r.kid))).toEqual(new Set([keyId(next)]));
    } finally {
      for (const stop of stops) await stop();
      if (other !== s.rt.db) await other.close();
    }
  });
});
