import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../auth/api-tokens';
import { ingestQuotes } from '../quotes/ingest-quotes';
import { type ApiServer, startApiServer } from '../test-support/api-server';
import { signedInCaller } from '../test-support/callers';
import { startReceiver } from '../test-support/http-receiver';
import { waitFor } from '../test-support/runtime';

const DB = process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite';

describe(`alert conditions fired by the engine on ingest and on its sweep (${DB})`, () => {
  let api: ApiServer;
  let rx: Awaited<ReturnType<typeof startReceiver>>;
  /** The runtime's clock runs this far ahead of the wall clock (quiet hours end by moving it). */
  let offsetMs = 0;
  let caller: Awaited<ReturnType<typeof signedInCaller>>['caller'];
  let userId: string;
  let channelId: string;
  let token: string;

  beforeAll(async () => {
    rx = await startReceiver(() => ({ status: 200 }));
    api = await startApiServer({
      now: () => new Date(Date.now() + offsetMs),
      config: {
        notifications: {
          allowPrivate: true,
          sendTimeoutMs: 3_000,
          queue: { retryLimit: 1, retryDelaySeconds: 1, pollingIntervalSeconds: 0.5, concurrency: 2 },
        },
        // the sweep runs when the test asks (engine.sweep()), not on a timer
        alerts: { groupWindowMs: 200, sweepIntervalMs: 3_600_000 },
      },
    });
    const s = await signedInCaller(api.rt, 'dee', 'analyst');
    caller = s.caller;
    userId = s.user.id;
    const ch = await caller.notifications.create({
      type: 'webhook',
      name: 'hook',
      url: `${rx.base}/dee`,
      secret: 'alert-webhook-secret-123456',
    });
    channelId = ch.id;
    token = (await createApiToken(api.rt.db, { name: 'dee-script', role: 'analyst', ownerId: userId })).token;
    // symbols of our own (no demo bars or quotes): ALRTA … ALRTF
    await api.rt.db.query(
      `INSERT INTO symbols (market, symbol, name, name_zh, currency, exchange, source, tracked)
       SELECT 'US', s, s, s, 'USD', 'NASDAQ', 'test', false FROM unnest($1::text[]) s`,
      [['ALRTA', 'ALRTB', 'ALRTC', 'ALRTD', 'ALRTE']],
    );
  });
  afterAll(async () => {
    await api?.close();
    await rx?.close();
  });

  const quote = (symbol: string, price: number, ts: Date, extra: { volume?: number; source?: string } = {}) =>
    ingestQuotes(api.rt.db, [
      {
        market: 'US',
        symbol,
        ts,
        source: extra.source ?? 'test',
        price,
        open: null,
        high: null,
        low: null,
        prevClose: 100,
        volume: extra.volume ?? null,
      },
    ]);
  /** Wait until the engine has evaluated `n` more quotes (NOTIFY reaches it asynchronously on PostgreSQL). */
  const evaluated = async (n: number, from: number) => {
    await waitFor(() => api.rt.alerts.quotesEvaluated >= from + n, 15_000, `${n} quotes evaluated`);
    await api.rt.alerts.idle();
  };
  const events = (alertId: string) =>
    api.rt.db.query<{ condition_type: string; observed: number; message: string }>(
      'SELECT condition_type, observed, message FROM alert_events WHERE alert_id = $1',
      [alertId],
    );

  it('RSI, moving-average cross, volume spike and % move over a window fire from daily bars + the live quote', async () => {
    const symbol = 'ALRTA';
    // 60 completed sessions rising by 1 (100 … 159), volume 1000 each, before today (US trading date)
    const stored = await api.rt.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM daily_bars WHERE market = 'US' AND symbol = $1",
      [symbol],
    );
    expect(stored[0]!.n).toBe(0);
    await api.rt.db.query(
      `INSERT INTO daily_bars (market, symbol, date, source, open, high, low, close, volume)
       SELECT 'US', $1, (now() AT TIME ZONE 'America/New_York')::date - 61 + i, 'test', 100 + i, 100 + i, 100 + i, 100 + i, 1000
         FROM generate_series(0, 59) i`,
      [symbol],
    );
    const mk = (condition: unknown) =>
      caller.alerts.create({ market: 'US', symbol, condition: condition as never, channelIds: [channelId] });
    const rsi = await mk({ type: 'rsi_below', value: 30 });
    const cross = await mk({ type: 'ma_cross', fast: 5, slow: 20, direction: 'down' });
    const crossUp = await mk({ type: 'ma_cross', fast: 5, slow: 20, direction: 'up' });
    const vol = await mk({ type: 'volume_spike', multiple: 3, lookbackDays: 20 });
    const win = await mk({ type: 'change_pct_window', windowMinutes: 5, value: -20 });

    const t = Date.now();
    const n0 = api.rt.alerts.quotesEvaluated;
    await quote(symbol, 159, new Date(t - 6 * 60_000), { volume: 2000 }); // nothing holds
    await evaluated(1, n0);
    for (const a of [rsi, cross, crossUp, vol, win]) expect(await events(a.id)).toEqual([]);
    // live 100: RSI(14) = 100 − 100/(1 + 13/59) ≈ 18.06; SMA5 146 < SMA20 147.5 (was above); −37 % in 6 min
    await quote(symbol, 100, new Date(t - 1_000), { volume: 3001 }); // 3001 > 3 × 1000
    await evaluated(2, n0);
    const [r] = await events(rsi.id);
    expect(r).toMatchObject({ condition_type: 'rsi_below' });
    expect(r!.observed).toBeCloseTo(100 - 100 / (1 + 13 / 59), 9);
    expect((await events(cross.id))[0]).toMatchObject({ condition_type: 'ma_cross', observed: 146 - 147.5 });
    expect(await events(crossUp.id)).toEqual([]);
    expect((await events(vol.id))[0]).toMatchObject({ observed: 3.001 });
    expect((await events(win.id))[0]).toMatchObject({ observed: -37.106918 }); // (100 − 159) / 159
    // still crossed a second later: no new firing (transition only)
    await quote(symbol, 99, new Date(t - 500), { volume: 3100 });
    await evaluated(3, n0);
    for (const a of [rsi, cross, vol, win]) expect(await events(a.id)).toHaveLength(1);

    // the four firings of one quote: one digest to the webhook; history shows each with its delivery state
    await waitFor(() => rx.requests.some((q) => q.url === '/dee'), 15_000, 'the digest webhook');
    await waitFor(
      async () =>
        (await caller.alerts.history({ symbol })).every((h) =>
          h.deliveries.every((d) => d.state === 'delivered'),
        ),
      15_000,
      'delivered in the history',
    );
    const hist = await caller.alerts.history({ symbol, conditionType: 'ma_cross' });
    expect(hist).toHaveLength(1);
    expect(hist[0]).toMatchObject({
      conditionType: 'ma_cross',
      description: 'SMA5 crosses below SMA20',
      price: 100,
      deliveries: [{ channelId, channelName: 'hook', state: 'delivered' }],
    });
    expect(await caller.alerts.history({ symbol, deliveryState: 'held' })).toEqual([]);
    for (const a of [rsi, cross, crossUp, vol, win]) await caller.alerts.delete({ id: a.id });
  });

  it('quiet hours hold the channel message (the bell is immediate), then one digest when they end', async () => {
    const symbol = 'ALRTB';
    const now = new Date(Date.now() + offsetMs);
    const hhmm = (d: Date) => d.toISOString().slice(11, 16);
    // quiet from an hour ago to two hours ahead (UTC)
    await caller.alerts.setQuietHours({
      enabled: true,
      timeZone: 'UTC',
      start: hhmm(new Date(now.getTime() - 3_600_000)),
      end: hhmm(new Date(now.getTime() + 2 * 3_600_000)),
    });
    const a1 = await caller.alerts.create({
      market: 'US',
      symbol,
      condition: { type: 'price_above', value: 200 },
      channelIds: [channelId],
    });
    const a2 = await caller.alerts.create({
      market: 'US',
      symbol,
      condition: { type: 'price_above', value: 210 },
      channelIds: [channelId],
    });
    const before = rx.requests.length;
    const n0 = api.rt.alerts.quotesEvaluated;
    await quote(symbol, 205, new Date(Date.now() - 2_000));
    await quote(symbol, 190, new Date(Date.now() - 1_500)); // re-arms a1
    await quote(symbol, 215, new Date(Date.now() - 1_000)); // a2 fires; a1 crosses again within its cooldown
    await evaluated(3, n0);
    const held = await caller.alerts.history({ symbol, deliveryState: 'held' });
    expect(held.map((h) => h.alertId).sort()).toEqual([a1.id, a2.id].sort());
    expect((await caller.alerts.unreadCount()).count).toBeGreaterThanOrEqual(2); // the bell is not held
    await api.rt.alerts.sweep(); // quiet hours not over: nothing released
    await api.rt.alerts.idle();
    expect(rx.requests.length).toBe(before);

    offsetMs = 3 * 3_600_000; // the quiet hours are over
    await api.rt.alerts.sweep();
    await waitFor(() => rx.requests.length > before, 15_000, 'the quiet-hours digest');
    const sent = rx.requests.slice(before);
    expect(sent).toHaveLength(1);
    const body = JSON.parse(sent[0]!.body);
    expect(body.title).toBe('2 alerts during your quiet hours');
    expect(body.text).toContain(`alert ${a1.id}`);
    expect(body.text).toContain(`alert ${a2.id}`);
    await waitFor(
      async () => (await caller.alerts.history({ symbol, deliveryState: 'delivered' })).length === 2,
      15_000,
      'both delivered in one digest',
    );
    await caller.alerts.setQuietHours({ enabled: false, timeZone: 'UTC', start: '00:00', end: '01:00' });
    expect(await caller.alerts.quietHours()).toMatchObject({ enabled: false, timeZone: 'UTC' });
    offsetMs = 0;
  });

  it('sweep conditions: a quote going stale in session, a report signal change', async () => {
    offsetMs = 0;
    const stale = await caller.alerts.create({
      market: 'US',
      symbol: 'ALRTC',
      condition: { type: 'quote_stale', maxAgeSeconds: 5 },
    });
    // a demo-source quote (the demo market trades around the clock in tests): fresh, then 60 s old
    await quote('ALRTC', 150, new Date(Date.now() - 1_000), { source: 'demo' });
    await api.rt.alerts.sweep();
    expect(await events(stale.id)).toEqual([]);
    await quote('ALRTC', 150, new Date(Date.now() - 1_000 + 1), { source: 'demo' });
    offsetMs = 60_000; // a minute passes without a new quote
    await api.rt.alerts.sweep();
    const [st] = await events(stale.id);
    expect(st).toMatchObject({ condition_type: 'quote_stale' });
    expect(st!.observed).toBeGreaterThanOrEqual(59);
    await api.rt.alerts.sweep();
    expect(await events(stale.id)).toHaveLength(1); // stays stale: no repeat
    offsetMs = 0;

    const report = async (macdHist: number, p50End: number) => {
      const [r] = await api.rt.db.query<{ id: string }>(
        `INSERT INTO reports (market, symbol, status, modules, params, language, finished_at)
         VALUES ('US', 'ALRTD', 'complete', '[]', '{}', 'en', now()) RETURNING id`,
      );
      await api.rt.db.query(
        `INSERT INTO report_sections (report_id, module, status, output) VALUES
           ($1, 'indicators', 'ok', $2), ($1, 'forecast', 'ok', $3)`,
        [
          r!.id,
          JSON.stringify({ latest: { rsi: 50, macdHist } }),
          JSON.stringify({ lastClose: 100, p50: [100, p50End] }),
        ],
      );
      return r!.id;
    };
    await report(1, 105); // bullish, before the alert
    const sig = await caller.alerts.create({
      market: 'US',
      symbol: 'ALRTD',
      condition: { type: 'report_signal_change', to: 'any' },
    });
    await api.rt.alerts.sweep(); // remembers the newest report; nothing fires
    expect(await events(sig.id)).toEqual([]);
    await report(1, 106); // still bullish
    await api.rt.alerts.sweep();
    expect(await events(sig.id)).toEqual([]);
    const bearish = await report(-1, 95);
    await api.rt.alerts.sweep();
    const [ev] = await events(sig.id);
    expect(ev).toMatchObject({ condition_type: 'report_signal_change', observed: -2 });
    expect(ev!.message).toContain(`report ${bearish}: bullish → bearish`);
    void userId;
  });

  it('portfolio drawdown: value now against the peak of its daily values, on the sweep', async () => {
    offsetMs = 0;
    const p = await caller.portfolio.create({ name: 'dd', baseCurrency: 'USD' });
    const day = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
    await caller.portfolio.addTransaction({
      id: p.id,
      transaction: {
        type: 'buy',
        market: 'US',
        symbol: 'ALRTE',
        tradeDate: day(30),
        quantity: 10,
        price: 100,
      },
    });
    // daily closes: 100 … a peak of 200 ten days ago … 180 yesterday
    await api.rt.db.query(
      `INSERT INTO daily_bars (market, symbol, date, source, open, high, low, close, volume)
       VALUES ('US', 'ALRTE', $1, 't', 100, 100, 100, 100, 1), ('US', 'ALRTE', $2, 't', 200, 200, 200, 200, 1),
              ('US', 'ALRTE', $3, 't', 180, 180, 180, 180, 1)`,
      [day(29), day(10), day(1)],
    );
    const dd = await caller.alerts.create({
      condition: { type: 'portfolio_drawdown', portfolioId: p.id, limitPct: 20 },
    });
    expect(dd).toMatchObject({ market: null, symbol: null, portfolioId: p.id });
    await quote('ALRTE', 170, new Date(Date.now() - 1_000), { source: 'demo' }); // 1 700 vs 2 000: −15 %
    await api.rt.alerts.sweep();
    expect(await events(dd.id)).toEqual([]);
    await quote('ALRTE', 150, new Date(Date.now() - 500), { source: 'demo' }); // 1 500 vs 2 000: −25 %
    await api.rt.alerts.sweep();
    const [ev] = await events(dd.id);
    expect(ev).toMatchObject({ condition_type: 'portfolio_drawdown', observed: 25 });
    expect(ev!.message).toContain('value 1500.00 USD, peak 2000.00');
  });

  it('REST and tRPC name the field of a bad condition (400) and write nothing', async () => {
    const bad = [
      [{ type: 'rsi_above', value: 120 }, /^condition\.value: value must be below 100/],
      [{ type: 'ma_cross', fast: 50, slow: 20, direction: 'up' }, /^condition\.fast: fast must be shorter/],
      [{ type: 'macd_cross', direction: 'sideways' }, /^condition\.direction: direction must be up or down/],
      [{ type: 'volume_spike', multiple: 1 }, /^condition\.multiple: multiple must be above 1/],
      [{ type: 'change_pct_window', windowMinutes: 500, value: 2 }, /^condition\.windowMinutes: /],
      [{ type: 'portfolio_drawdown', portfolioId: 'x', limitPct: 10 }, /^condition\.portfolioId: /],
    ] as const;
    const post = (body: unknown) =>
      fetch(`${api.base}/api/v1/alerts`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const before = await api.rt.db.query('SELECT count(*)::int AS n FROM alerts');
    for (const [condition, message] of bad) {
      const res = await post({ market: 'US', symbol: 'AAPL', condition });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(message);
    }
    const foreign = await post({
      condition: {
        type: 'portfolio_drawdown',
        portfolioId: '00000000-0000-4000-8000-000000000000',
        limitPct: 10,
      },
    });
    expect(((await foreign.json()) as { error: { message: string } }).error.message).toMatch(
      /^condition\.portfolioId: no portfolio/,
    );
    const noSymbol = await post({ condition: { type: 'price_above', value: 1 } });
    expect(noSymbol.status).toBe(400);
    expect(((await noSymbol.json()) as { error: { message: string } }).error.message).toMatch(
      /^market: required/,
    );
    expect(await api.rt.db.query('SELECT count(*)::int AS n FROM alerts')).toEqual(before);
  });
});
