import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../auth/api-tokens';
import { MAX_IMPORT_BYTES } from '../market/csv-import';
import { type ApiServer, startApiServer } from '../test-support/api-server';

// biome-ignore lint/suspicious/noExplicitAny: response bodies are asserted field by field
const j = (r: Response): Promise<any> => r.json();
const HEADER = 'market,symbol,date,open,high,low,close,volume';

describe('POST /api/admin/import (CSV upload)', () => {
  let s: ApiServer;
  let admin: string;
  let analyst: string;
  beforeAll(async () => {
    s = await startApiServer();
    admin = (await createApiToken(s.rt.db, { name: 'importer', role: 'admin' })).token;
    analyst = (await createApiToken(s.rt.db, { name: 'analyst', role: 'analyst' })).token;
  });
  afterAll(async () => {
    await s?.close();
  });
  const post = (body: string, opts: { token?: string; type?: string; kind?: string } = {}) =>
    fetch(`${s.base}/api/admin/import?kind=${opts.kind ?? 'bars'}&file=t.csv`, {
      method: 'POST',
      headers: { 'content-type': opts.type ?? 'text/csv', authorization: `Bearer ${opts.token ?? admin}` },
      body,
    });

  it('imports a good file (admin only, text/csv only)', async () => {
    const csv = `${HEADER}\nUS,ORCL,2024-01-02,492.44,492.95,475.95,481.68,41125400\n`;
    expect((await post(csv, { token: analyst })).status).toBe(403);
    expect((await post(csv, { type: 'text/plain' })).status).toBe(415);
    expect((await post(csv, { kind: 'ticks' })).status).toBe(400);
    const r = await post(csv);
    expect(r.status).toBe(200);
    expect(await j(r)).toEqual({ kind: 'bars', rows: 1, inserted: 1, updated: 0, symbolsRegistered: 1 });
  });

  it('answers 400 with the row report and writes nothing', async () => {
    const r = await post(
      `${HEADER}\nUS,AMD,2024-01-02,144.28,144.40,138.75,138.58,1\nUS,AMD,2024-01-03,1,2,1,1,1\n`,
    );
    expect(r.status).toBe(400);
    const body = await j(r);
    expect(body.error.code).toBe('BAD_REQUEST');
    expect(body.error.details.errors).toEqual([
      { row: 2, field: 'close', message: 'close 138.58 is outside low–high 138.75–144.4' },
    ]);
    const n = await s.rt.db.query<{ n: string }>(`SELECT count(*) AS n FROM daily_bars WHERE symbol = 'AMD'`);
    expect(Number(n[0]?.n)).toBe(0);
  });

  it('the tRPC mutation imports.csv takes the text inline and reports rows the same way', async () => {
    const call = (content: string) =>
      fetch(`${s.base}/api/trpc/imports.csv`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
        body: JSON.stringify({ kind: 'bars', content, fileName: 'inline.csv' }),
      });
    const bad = await call(`${HEADER}\nUS,IBM,2024-01-02,161.5,162,159.6,zero,4011800\n`);
    expect(bad.status).toBe(400);
    const err = (await j(bad)).error;
    expect(err.data.details.errors).toEqual([
      { row: 2, field: 'close', message: "close must be a number (got 'zero')" },
    ]);
    const ok = await call(`${HEADER}\nUS,IBM,2024-01-02,161.5,162,159.6,161.1,4011800\n`);
    expect(ok.status).toBe(200);
    expect((await j(ok)).result.data).toEqual({
      kind: 'bars',
      rows: 1,
      inserted: 1,
      updated: 0,
      symbolsRegistered: 1,
    });
  });

  it('answers 413 beyond the size limit', async () => {
    const big = `${HEADER}\n${'x'.repeat(MAX_IMPORT_BYTES + 10)}`;
    const r = await post(big);
    expect(r.status).toBe(413);
  });
});
