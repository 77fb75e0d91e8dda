import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, startApiServer } from '../test-support/api-server';
import { firstRunSetupToken } from './setup';

const DB = process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite';

describe(`first-run setup under concurrency (${DB})`, () => {
  let s: ApiServer;
  beforeAll(async () => {
    s = await startApiServer();
  });
  afterAll(async () => {
    await s?.close();
  });

  it('concurrent setup requests with the valid token create exactly one admin', async () => {
    const token = await firstRunSetupToken(s.rt.db);
    const attempt = (username: string) =>
      fetch(`${s.base}/api/auth/setup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token, username, password: 'long-enough-pw' }),
      });
    const res = await Promise.all(['alice', 'bob', 'carol', 'dave'].map(attempt));
    const statuses = res.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 409, 409, 409]);
    const users = await s.rt.db.query<{ role: string }>('SELECT role FROM users');
    expect(users).toEqual([{ role: 'admin' }]);
  });
});
