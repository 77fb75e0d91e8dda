import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectRefused, type Harness, type HostileCase, startHarness } from './harness';
import { AUTH_CASES, INGEST_CASES, PAGE_CASES, REST_CASES, TRPC_CASES } from './web-cases';

// The hostile-input suite against the web process (REST, tRPC queries/mutations/subscriptions, ingest,
// pages): every case answers its 4xx, writes nothing, and the process answers a ping after it and a
// health check after each batch. Cases are data in web-cases.ts.

const DB = process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite';
let h: Harness;

beforeAll(async () => {
  h = await startHarness({ requestTimeoutMs: 2_000 });
});
afterAll(async () => {
  await h?.close();
});

async function healthAfterBatch() {
  const res = await fetch(`${h.s.base}/api/health`, { signal: AbortSignal.timeout(15_000) });
  expect(res.status).toBe(200);
}

const BATCHES: [string, HostileCase[]][] = [
  ['ingest (REST, JSON body)', INGEST_CASES],
  ['REST reads, routes and methods', REST_CASES],
  ['sign-in and setup', AUTH_CASES],
  ['tRPC queries, mutations and subscriptions', TRPC_CASES],
  ['page paths', PAGE_CASES],
];

describe(`hostile input against the web process (${DB})`, () => {
  it('has at least 250 web cases with unique names', () => {
    const all = BATCHES.flatMap(([, cases]) => cases);
    expect(all.length).toBeGreaterThanOrEqual(250);
    expect(new Set(all.map((c) => c.name)).size).toBe(all.length);
  });

  for (const [batch, cases] of BATCHES) {
    describe(batch, () => {
      it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
        await expectRefused(h, c);
      });
      it('the process is healthy after the batch', healthAfterBatch);
    });
  }

  describe('malformed HTTP (answered by the server, not the handler)', () => {
    /** Writes raw bytes and returns the status line's code (0 when the server just closed). */
    const raw = (bytes: string) =>
      new Promise<number>((resolve, reject) => {
        const { port } = new URL(h.s.base);
        const sock = connect(Number(port), '127.0.0.1');
        let text = '';
        sock.setTimeout(15_000, () => {
          sock.destroy();
          reject(new Error('no answer within 15 s'));
        });
        const status = () => Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1] ?? 0);
        sock.on('data', (d) => {
          text += d.toString('latin1');
          // the answer's head is enough; a kept-alive connection would stay open
          if (text.includes('\r\n\r\n')) {
            resolve(status());
            sock.destroy();
          }
        });
        sock.on('close', () => resolve(status()));
        sock.on('error', () => resolve(status()));
        // written, not ended: a half-closed socket may be torn down before a slow answer is sent
        sock.write(bytes);
      });
    const CASES: [string, string, number][] = [
      ['a garbage request line', 'HELLO\r\n\r\n', 400],
      ['a space in the path', 'GET /api/health x y HTTP/1.1\r\nHost: a\r\n\r\n', 400],
      ['a NUL in a header', 'GET /api/health HTTP/1.1\r\nHost: a\r\nX: a\u0000b\r\n\r\n', 400],
      ['a 64 KiB header', `GET /api/health HTTP/1.1\r\nHost: a\r\nX: ${'a'.repeat(64 * 1024)}\r\n\r\n`, 431],
      [
        'Content-Length and Transfer-Encoding together (smuggling)',
        'POST /api/v1/market-data/quotes HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
        400,
      ],
      [
        'two Content-Length headers',
        'POST /api/auth/login HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}',
        400,
      ],
      [
        'a broken chunk size',
        'POST /api/auth/login HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n',
        400,
      ],
      [
        'a negative Content-Length',
        'POST /api/auth/login HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n',
        400,
      ],
      [
        'an absolute-form target to another host',
        'GET http://evil.example/%61dmin HTTP/1.1\r\nHost: a\r\n\r\n',
        302,
      ],
    ];
    it.each(CASES)('%s', async (_name, bytes, status) => {
      const before = await h.snapshot();
      expect(await raw(bytes)).toBe(status);
      expect(await h.snapshot()).toEqual(before);
      await h.ping();
    });
    it('the process is healthy after the batch', healthAfterBatch);
  });

  describe('slow clients sending half a body (bounded: 20 connections, 2 s request timeout)', () => {
    it('keep answering others while they stall, time them out with 408, write nothing', async () => {
      const before = await h.snapshot();
      const { port } = new URL(h.s.base);
      const token = h.auth('analystToken').authorization!;
      const admin = h.auth('adminToken').authorization!;
      const body = JSON.stringify({
        quotes: [{ market: 'US', symbol: 'AAPL', ts: new Date().toISOString(), price: 1 }],
      });
      const targets = [
        ['/api/v1/market-data/quotes', `authorization: ${token}\r\n`],
        ['/api/auth/login', ''],
        ['/api/trpc/users.create', `authorization: ${admin}\r\n`],
      ] as const;
      const answers = Array.from({ length: 20 }, (_, i) => {
        const [path, auth] = targets[i % targets.length]!;
        return new Promise<string>((resolve) => {
          const sock = connect(Number(port), '127.0.0.1');
          let text = '';
          const hard = setTimeout(() => sock.destroy(), 20_000);
          sock.on('data', (d) => {
            text += d.toString('latin1');
          });
          const done = () => {
            clearTimeout(hard);
            resolve(text);
          };
          sock.on('close', done);
          sock.on('error', done);
          // headers and half of the body, then silence
          sock.write(
            `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n${auth}Content-Length: ${body.length}\r\n\r\n${body.slice(0, body.length / 2)}`,
          );
        });
      });
      // while they hang, others are served promptly
      for (let i = 0; i < 5; i++) await h.ping();
      const texts = await Promise.all(answers);
      for (const t of texts) expect(t).toMatch(/^HTTP\/1\.1 408 /);
      expect(await h.snapshot()).toEqual(before);
      await healthAfterBatch();
    });
  });
});
