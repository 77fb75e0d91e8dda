import { startTelemetry, type Telemetry, withSpan } from '@investiq/telemetry';
import { inDroppedTrace, type OtlpReceiver, startOtlpReceiver } from '@investiq/telemetry/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from './client';

// The pg instrumentation runs on PostgreSQL only. Tracing is started before pg loads (client.ts imported
// after startTelemetry), as every process does.
const url = process.env.TEST_DATABASE_URL;

describe.skipIf(!url)('SQL spans with the pool under tracing (PostgreSQL)', () => {
  let receiver: OtlpReceiver;
  let telemetry: Telemetry;
  let h: DatabaseHandle;
  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = receiver.url;
    telemetry = await startTelemetry({
      enabled: true,
      serviceName: 'investiq-db-test',
      protocol: 'http/json',
      sampler: { ratio: 1 },
      httpServerSpans: true,
    });
    const { createDatabase } = await import('./client');
    // one connection: the second query waits in the pool's queue
    h = await createDatabase({ databaseUrl: url, migrate: false, poolMax: 1 });
  });
  afterAll(async () => {
    await h?.close();
    await telemetry?.shutdown();
    await receiver?.close();
  });

  it('a query queued behind another trace stays in its own trace; a dropped trace records none', async () => {
    let queued: Promise<unknown> | undefined;
    let traced: Promise<unknown> | undefined;
    const held = withSpan('holder', {}, () =>
      h.transaction(async (q) => {
        // while this trace holds the only client: one query from a dropped trace, one from a recorded one
        queued = inDroppedTrace(() => h.query("SELECT 'from the dropped trace'"));
        traced = withSpan('waiter', {}, () => h.query("SELECT 'from the waiting trace'"));
        await q("SELECT 'from the holder'");
      }),
    );
    await held;
    await Promise.all([queued, traced]);
    await telemetry.shutdown();
    const sql = receiver.spans.filter((s) => typeof s.attributes['db.query.text'] === 'string');
    const byText = (t: string) => sql.filter((s) => String(s.attributes['db.query.text']).includes(t));
    const holder = receiver.spans.find((s) => s.name === 'holder')!;
    const waiter = receiver.spans.find((s) => s.name === 'waiter')!;
    expect(byText('from the holder').map((s) => s.traceId)).toEqual([holder.traceId]);
    expect(byText('from the waiting trace').map((s) => s.parentSpanId)).toEqual([waiter.spanId]);
    expect(byText('from the dropped trace')).toEqual([]);
  });
});
