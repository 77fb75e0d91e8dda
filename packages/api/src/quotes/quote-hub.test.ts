import type { TQuote } from '@investiq/contracts';
import { createDatabase, type DatabaseHandle } from '@investiq/db';
import { createTestDatabase } from '@investiq/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../test-support/runtime';
import { ingestQuotes, notifyPayloads, parseIngestBatch } from './ingest-quotes';
import { QuoteHub } from './quote-hub';

const DB = process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite';

describe(`live fan-out over LISTEN/NOTIFY (${DB})`, () => {
  let writer: DatabaseHandle & { url?: string };
  let reader: DatabaseHandle;
  beforeAll(async () => {
    writer = await createTestDatabase();
    // On PostgreSQL the reader is a second, independent client (as another web process would be);
    // PGlite is in-process, so its reader is the same instance.
    reader = writer.url ? await createDatabase({ databaseUrl: writer.url, migrate: false }) : writer;
    await writer.query(`INSERT INTO symbols VALUES ('HK','0700.HK','Tencent','腾讯','HKD','HKEX','t',true)`);
  });
  afterAll(async () => {
    if (reader !== writer) await reader?.close();
    await writer?.close();
  });

  it('delivers a quote ingested by one client to subscribers of another, filtered by symbol', async () => {
    const hubA = new QuoteHub();
    const hubB = new QuoteHub();
    await hubA.start(reader);
    await hubB.start(reader === writer ? writer : reader);
    const got: TQuote[] = [];
    const ac = new AbortController();
    const consume = (async () => {
      try {
        for await (const q of hubA.subscribe(['HK:0700.HK'], ac.signal)) got.push(q);
      } catch {
        /* aborted */
      }
    })();
    const gotAll: TQuote[] = [];
    const consumeAll = (async () => {
      try {
        for await (const q of hubB.subscribe([], ac.signal)) gotAll.push(q);
      } catch {
        /* aborted */
      }
    })();
    const now = new Date();
    const rows = parseIngestBatch(
      {
        quotes: [
          {
            market: 'HK',
            symbol: '0700.HK',
            ts: new Date(now.getTime() - 2000).toISOString(),
            price: 370.2,
            prevClose: 365,
          },
          {
            market: 'HK',
            symbol: '0700.HK',
            ts: new Date(now.getTime() - 1000).toISOString(),
            price: 371.4,
            prevClose: 365,
          },
          { market: 'US', symbol: 'TSLA', ts: now.toISOString(), price: 250, prevClose: 240 },
        ],
      },
      { now, retentionDays: 30, defaultSource: 'test' },
    );
    await ingestQuotes(writer, rows);
    await waitFor(() => got.length >= 1 && gotAll.length >= 2, 5000, 'notifications');
    ac.abort();
    await Promise.all([consume, consumeAll]);
    // newest per symbol only, and only the wanted symbol for the filtered subscriber
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ symbol: '0700.HK', price: 371.4, change: 6.4 });
    expect(gotAll.map((q) => q.symbol).sort()).toEqual(['0700.HK', 'TSLA']);
    await hubA.stop();
    await hubB.stop();
  });

  it('splits large notifications under the 8000-byte limit', () => {
    const rows = Array.from({ length: 500 }, (_, i) => ({
      market: 'US' as const,
      symbol: `S${i}`,
      ts: new Date(),
      source: 'demo',
      price: 1,
      open: 1,
      high: 1,
      low: 1,
      prevClose: 1,
      volume: 1,
    }));
    const payloads = notifyPayloads(rows);
    expect(payloads.length).toBeGreaterThan(1);
    for (const p of payloads) expect(Buffer.byteLength(p)).toBeLessThan(8000);
    expect(payloads.flatMap((p) => JSON.parse(p))).toHaveLength(500);
  });
});
