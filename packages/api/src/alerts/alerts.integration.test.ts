import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../auth/api-tokens';
import { createUser } from '../auth/users';
import { signWebhookBody } from '../notifications/channels/webhook';
import { ingestQuotes } from '../quotes/ingest-quotes';
import { type ApiServer, startApiServer } from '../test-support/api-server';
import { signedInCaller } from '../test-support/callers';
import { startReceiver } from '../test-support/http-receiver';
import { waitFor } from '../test-support/runtime';

// biome-ignore lint/suspicious/noExplicitAny: response bodies are asserted field by field
const j = (r: Response): Promise<any> => r.json();
const DB = process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite';
const SECRET = 'alert-webhook-secret-123456';

describe(`alerts end to end: REST → ingest → engine → signed webhook (${DB})`, () => {
  let api: ApiServer;
  let rx: Awaited<ReturnType<typeof startReceiver>>;
  let ana: string;
  let bo: string;
  let boUserId: string;
  let ownerless: string;
  let viewer: string;
  let tick = 0;

  beforeAll(async () => {
    rx = await startReceiver(() => ({ status: 200 }));
    // the receiver is on 127.0.0.1: private destinations allowed explicitly (OUTBOUND_ALLOW_PRIVATE)
    api = await startApiServer({
      config: {
        notifications: {
          allowPrivate: true,
          sendTimeoutMs: 3_000,
          queue: { retryLimit: 1, retryDelaySeconds: 1, pollingIntervalSeconds: 0.5, concurrency: 2 },
        },
        alerts: { groupWindowMs: 300 },
      },
    });
    const a = await createUser(api.rt.db, { username: 'ana', password: 'ana-password-1', role: 'analyst' });
    const b = await createUser(api.rt.db, { username: 'bo', password: 'bo-password-12', role: 'analyst' });
    boUserId = b.id;
    ana = (await createApiToken(api.rt.db, { name: 'ana-script', role: 'analyst', ownerId: a.id })).token;
    bo = (await createApiToken(api.rt.db, { name: 'bo-script', role: 'analyst', ownerId: b.id })).token;
    ownerless = (await createApiToken(api.rt.db, { name: 'ci', role: 'analyst' })).token;
    viewer = (await createApiToken(api.rt.db, { name: 'viewer', role: 'viewer', ownerId: a.id })).token;
  });
  afterAll(async () => {
    await api?.close();
    await rx?.close();
  });

  const call = (method: string, path: string, token: string | null, body?: unknown) =>
    fetch(`${api.base}/api/v1${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
  const channel = async (token: string, path: string) => {
    const res = await call('POST', '/notification-channels', token, {
      type: 'webhook',
      name: `hook ${path}`,
      url: `${rx.base}${path}`,
      secret: SECRET,
    });
    expect(res.status).toBe(201);
    return (await j(res)).id as string;
  };
  /** One quote, stored through the real ingest path (NOTIFY → quote hub → engine). */
  const ingest = (symbol: string, price: number, ts = new Date(Date.now() - 1_000 + tick++)) =>
    ingestQuotes(api.rt.db, [
      {
        market: 'US',
        symbol,
        ts,
        source: 'test',
        price,
        open: null,
        high: null,
        low: null,
        prevClose: 100,
        volume: null,
      },
    ]);
  const alertRow = async (id: string) =>
    (
      await api.rt.db.query<{ last_state: string; events: number }>(
        `SELECT last_state, (SELECT count(*)::int FROM alert_events e WHERE e.alert_id = a.id) AS events
           FROM alerts a WHERE id = $1`,
        [id],
      )
    )[0]!;
  const deliveries = async (channelId: string) =>
    api.rt.db.query<{ event: string; state: string; idempotency_key: string }>(
      'SELECT event, state, idempotency_key FROM notification_deliveries WHERE channel_id = $1',
      [channelId],
    );
  const at = (path: string) => rx.requests.filter((r) => r.url === path);

  it('fires once on the crossing quote: one signed webhook naming the alert; nothing within the cooldown', async () => {
    const ch = await channel(ana, '/ana');
    const res = await call('POST', '/alerts', ana, {
      market: 'US',
      symbol: 'aapl',
      condition: { type: 'price_above', value: 200 },
      channelIds: [ch],
    });
    expect(res.status).toBe(201);
    const { id } = await j(res);
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const got = await j(await call('GET', `/alerts/${id}`, ana));
    expect(got).toMatchObject({ symbol: 'AAPL', cooldownSeconds: 900, lastState: 'armed', channelIds: [ch] });

    await ingest('AAPL', 199.5); // below: nothing
    // a back-filled older quote above the line is not a crossing (the newest quote is below)
    await ingest('AAPL', 250, new Date(Date.now() - 60_000));
    await ingest('AAPL', 201.25); // crosses
    await waitFor(() => at('/ana').length > 0, 15_000, 'the alert webhook');
    expect(at('/ana')).toHaveLength(1);
    const req = at('/ana')[0]!;
    expect(req.headers['x-investiq-signature']).toBe(signWebhookBody(req.body, SECRET));
    const body = JSON.parse(req.body);
    expect(body).toMatchObject({ symbol: 'AAPL', market: 'US', price: 201.25, condition: 'price above 200' });
    expect(body.text).toContain(`alert ${id}`);
    expect(body.id).toMatch(new RegExp(`^alert:${id}:`));

    // back below re-arms; a second crossing within the 15-minute cooldown stores nothing and sends nothing
    await ingest('AAPL', 190);
    await waitFor(async () => (await alertRow(id)).last_state === 'armed', 10_000, 're-armed');
    await ingest('AAPL', 205);
    await waitFor(async () => (await alertRow(id)).last_state === 'triggered', 10_000, 'triggered again');
    await api.rt.alerts.idle();
    expect((await alertRow(id)).events).toBe(1);
    expect(await deliveries(ch)).toHaveLength(1);

    // history is the user's own
    const hist = await api.rt.db.query<{ price: string }>(
      'SELECT price FROM alert_events WHERE alert_id = $1',
      [id],
    );
    expect(hist.map((h) => Number(h.price))).toEqual([201.25]);
    expect((await j(await call('GET', '/alerts', bo))).alerts).toEqual([]);
    expect((await call('DELETE', `/alerts/${id}`, bo)).status).toBe(404);
    expect((await call('DELETE', `/alerts/${id}`, ana)).status).toBe(204);
    expect((await call('GET', `/alerts/${id}`, ana)).status).toBe(404);
  });

  it('ten alerts of one user firing on one quote go out as one digest per channel', async () => {
    const ch = await channel(bo, '/bo');
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) {
      const res = await call('POST', '/alerts', bo, {
        market: 'US',
        symbol: 'MSFT',
        condition: { type: 'price_above', value: 110 + i },
        channelIds: [ch],
      });
      expect(res.status).toBe(201);
      ids.push((await j(res)).id);
    }
    expect(api.rt.alerts.alertCount).toBeGreaterThanOrEqual(10);
    await ingest('MSFT', 150);
    await waitFor(() => at('/bo').length > 0, 15_000, 'the digest webhook');
    await waitFor(
      async () => (await deliveries(ch)).every((d) => d.state === 'delivered'),
      10_000,
      'delivered',
    );
    await api.rt.alerts.idle();
    const ds = await deliveries(ch);
    expect(ds).toHaveLength(1);
    expect(ds[0]!.event).toBe('alert.digest');
    const body = JSON.parse(at('/bo')[0]!.body);
    expect(body.title).toBe('10 alerts fired');
    for (const id of ids) expect(body.text).toContain(`alert ${id}`);
    const events = await api.rt.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM alert_events WHERE user_id = $1',
      [boUserId],
    );
    expect(events[0]!.n).toBe(10);
    expect(at('/bo')).toHaveLength(1);
  });

  it.each([
    [{ market: 'US', condition: { type: 'price_above', value: 1 } }, /^symbol: /],
    [{ market: 'XX', symbol: 'AAPL', condition: { type: 'price_above', value: 1 } }, /^market: /],
    [{ market: 'US', symbol: 'AAPL', condition: { type: 'price_sideways', value: 1 } }, /^condition\.type: /],
    [{ market: 'US', symbol: 'AAPL', condition: { type: 'price_above', value: 'x' } }, /^condition\.value: /],
    [{ market: 'US', symbol: 'AAPL' }, /^condition: /],
    [
      { market: 'US', symbol: 'ZZZZZ', condition: { type: 'price_above', value: 1 } },
      /^symbol: ZZZZZ is not in/,
    ],
    [{ market: 'US', symbol: 'aa pl', condition: { type: 'price_above', value: 1 } }, /^symbol: /],
    [
      { market: 'US', symbol: 'AAPL', condition: { type: 'price_above', value: 1 }, channelIds: ['nope'] },
      /^channelIds\.0: /,
    ],
    [{ market: 'US', symbol: 'AAPL', condition: { type: 'price_above', value: 1 }, extra: 1 }, /extra/],
    ['{"market":', /^body: not valid JSON/],
  ])('400 naming the field for %j, nothing written', async (body, message) => {
    const before = await api.rt.db.query<{ n: number }>('SELECT count(*)::int AS n FROM alerts');
    const res = await call('POST', '/alerts', ana, body);
    expect(res.status).toBe(400);
    expect((await j(res)).error.message).toMatch(message);
    expect(await api.rt.db.query('SELECT count(*)::int AS n FROM alerts')).toEqual(before);
  });

  it('refuses another user’s channel (400), an ownerless token (403), a viewer (403) and no token (401)', async () => {
    const bosChannel = await channel(bo, '/bo-other');
    const body = { market: 'US', symbol: 'AAPL', condition: { type: 'price_below', value: 50 } };
    const foreign = await call('POST', '/alerts', ana, { ...body, channelIds: [bosChannel] });
    expect(foreign.status).toBe(400);
    expect((await j(foreign)).error.message).toMatch(new RegExp(`^channelIds: .*${bosChannel}`));
    expect((await call('POST', '/alerts', ownerless, body)).status).toBe(403);
    expect((await call('POST', '/alerts', viewer, body)).status).toBe(403);
    expect((await call('POST', '/alerts', null, body)).status).toBe(401);
  });

  it('tRPC: create without channels; the firing lands in the history as unread; markRead clears the count', async () => {
    const { caller, user } = await signedInCaller(api.rt, 'cy', 'analyst');
    // the bell's live feed (SSE subscription alerts.unread): the count now, then after each change
    const ac = new AbortController();
    const live = api.rt.alertFeed.unreadCounts(api.rt.db, user.id, ac.signal);
    expect((await live.next()).value).toEqual({ count: 0 });
    const alert = await caller.alerts.create({
      market: 'US',
      symbol: 'AAPL',
      condition: { type: 'change_pct_below', value: -50 },
    });
    expect((await caller.alerts.list()).map((a) => a.id)).toEqual([alert.id]);
    expect(await caller.alerts.unreadCount()).toEqual({ count: 0 });
    await ingest('AAPL', 40); // prevClose 100: down 60 %
    expect((await live.next()).value).toEqual({ count: 1 }); // pushed by the firing, no polling
    expect(await caller.alerts.unreadCount()).toEqual({ count: 1 });
    const [ev] = await caller.alerts.history();
    expect(ev).toMatchObject({ alertId: alert.id, symbol: 'AAPL', price: 40, readAt: null });
    expect(ev!.message).toContain('day move below -50%');
    expect(await caller.alerts.markRead({})).toEqual({ marked: 1 });
    expect((await live.next()).value).toEqual({ count: 0 });
    expect(await caller.alerts.unreadCount()).toEqual({ count: 0 });
    ac.abort();
    expect((await live.next()).done).toBe(true);
    await caller.alerts.delete({ id: alert.id });
    expect(await caller.alerts.list()).toEqual([]);
  });
});
