import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../runtime';
import { createTestRuntime, waitFor } from '../test-support/runtime';

describe('collector', () => {
  let rt: Runtime;
  beforeAll(async () => {
    rt = await createTestRuntime({ config: { collector: { enabled: false, intervalMs: 200 } } });
  });
  afterAll(async () => {
    await rt?.close();
  });

  it('has the demo universe and two years of daily bars after start-up', async () => {
    const n = await rt.db.query<{ symbols: number; bars: number }>(
      'SELECT (SELECT count(*)::int FROM symbols) AS symbols, (SELECT count(*)::int FROM daily_bars) AS bars',
    );
    expect(n[0]!.symbols).toBeGreaterThanOrEqual(12);
    expect(n[0]!.bars).toBeGreaterThan(12 * 240); // historyYears: 1 in tests
  });

  it('ingests one quote per symbol per tick, idempotently', async () => {
    const first = await rt.collector.tick();
    expect(first.inserted).toBeGreaterThanOrEqual(12);
    const count = async () =>
      (await rt.db.query<{ n: number }>('SELECT count(*)::int AS n FROM realtime_quotes'))[0]!.n;
    const before = await count();
    await rt.collector.tick(); // same second → same ts → duplicates, or a new second → new rows
    expect(await count()).toBeLessThanOrEqual(before + first.inserted);
  });

  it('runs on its interval, pauses and resumes', async () => {
    rt.collector.start();
    const t0 = rt.collector.status().ticks;
    await waitFor(() => rt.collector.status().ticks >= t0 + 2, 5000, 'two ticks');
    expect(rt.collector.pause().state).toBe('paused');
    const paused = rt.collector.status().ticks;
    await new Promise((r) => setTimeout(r, 600)); // three intervals: no tick may happen while paused
    expect(rt.collector.status().ticks).toBeLessThanOrEqual(paused + 1); // at most the one in flight
    expect(rt.collector.resume().state).toBe('running');
    await waitFor(() => rt.collector.status().ticks > paused + 1, 5000, 'tick after resume');
    expect(rt.collector.status().lastError).toBeNull();
  });
});
