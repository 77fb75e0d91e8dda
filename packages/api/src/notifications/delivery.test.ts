import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../runtime';
import { startReceiver } from '../test-support/http-receiver';
import { createTestRuntime, waitFor } from '../test-support/runtime';
import { signWebhookBody } from './channels/webhook';
import { discardDeadLetter, listDeadLetters, retryDeadLetter, sweepOrphanedDeliveries } from './dead-letters';
import { type ChannelScope, createChannel, enqueueNotification, listChannels, sendTest } from './service';

const DB = process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite';
const SECRET = 'webhook-secret-0123456789';

describe(`notification delivery (${DB})`, () => {
  let rt: Runtime;
  const scope: ChannelScope = { actor: 'user:ana', ownerId: null, admin: false };
  // Receivers listen on 127.0.0.1: the runtime allows private destinations explicitly (OUTBOUND_ALLOW_PRIVATE).
  beforeAll(async () => {
    rt = await createTestRuntime({
      config: {
        notifications: {
          allowPrivate: true,
          sendTimeoutMs: 3_000,
          queue: { retryLimit: 2, retryDelaySeconds: 1, pollingIntervalSeconds: 0.5, concurrency: 2 },
        },
      },
    });
  });
  afterAll(async () => {
    await rt?.close();
  });

  const delivery = async (id: string) =>
    (
      await rt.db.query<{ state: string; attempts: number; last_error: string | null }>(
        'SELECT state, attempts, last_error FROM notification_deliveries WHERE id = $1',
        [id],
      )
    )[0]!;

  const webhook = async (url: string) =>
    createChannel(rt.notifications, scope, { type: 'webhook', name: 'hook', url, secret: SECRET });

  it('stores the secret encrypted, shows it masked, and audits the creation', async () => {
    const ch = await webhook('http://127.0.0.1:9/unused');
    expect(ch.secret).toEqual({ secret: '••••••6789' });
    const raw = await rt.db.query<{ secret: unknown; config: unknown }>(
      'SELECT secret, config FROM notification_channels WHERE id = $1',
      [ch.id],
    );
    expect(JSON.stringify(raw[0])).not.toContain(SECRET);
    expect(raw[0]!.secret).toMatchObject({ $enc: expect.stringMatching(/^v1:/) });
    const audit = await rt.db.query<{ action: string; new_value: unknown }>(
      'SELECT action, new_value FROM audit_log WHERE target = $1',
      [`notification_channel:${ch.id}`],
    );
    expect(audit.map((a) => a.action)).toEqual(['notification.channel.create']);
    expect(JSON.stringify(audit[0]!.new_value)).not.toContain(SECRET);
    expect((await listChannels(rt.db, scope)).map((c) => c.id)).toContain(ch.id);
    // another user's scope does not see it
    expect(await listChannels(rt.db, { ...scope, ownerId: '00000000-0000-4000-8000-000000000001' })).toEqual(
      [],
    );
  });

  it('delivers a queued message once, signed; enqueueing the same key again is a no-op', async () => {
    const rx = await startReceiver(() => ({ status: 200 }));
    try {
      const ch = await webhook(`${rx.base}/in`);
      const input = {
        userId: null,
        channelId: ch.id,
        event: 'alert.triggered',
        idempotencyKey: 'alert-1@2026-12-03T10:00',
        payload: { symbol: '600519', market: 'CN', price: 1520.5, condition: 'price > 1500' },
      };
      const first = await enqueueNotification(rt.notifications, input);
      const again = await enqueueNotification(rt.notifications, input);
      expect(again).toEqual({ deliveryId: first.deliveryId, duplicate: true });
      await waitFor(
        async () => (await delivery(first.deliveryId)).state === 'delivered',
        10_000,
        'delivered',
      );
      expect(rx.requests).toHaveLength(1);
      const req = rx.requests[0]!;
      expect(req.headers['x-investiq-signature']).toBe(signWebhookBody(req.body, SECRET));
      expect(JSON.parse(req.body)).toMatchObject({
        id: input.idempotencyKey,
        symbol: '600519',
        price: 1520.5,
      });
      expect(await delivery(first.deliveryId)).toMatchObject({ attempts: 1, last_error: null });
    } finally {
      await rx.close();
    }
  });

  it('retries 5xx answers with backoff and then delivers', async () => {
    const rx = await startReceiver((_r, n) => (n <= 2 ? { status: 503, body: 'busy' } : { status: 200 }));
    try {
      const ch = await webhook(`${rx.base}/in`);
      const { deliveryId } = await enqueueNotification(rt.notifications, {
        userId: null,
        channelId: ch.id,
        event: 'alert.triggered',
        idempotencyKey: 'retry-me',
        payload: { title: 'retry' },
      });
      await waitFor(
        async () => (await delivery(deliveryId)).state === 'delivered',
        20_000,
        'delivered after retries',
      );
      expect(await delivery(deliveryId)).toMatchObject({ attempts: 3 });
      expect(rx.requests).toHaveLength(3);
      // every attempt carries the same idempotency key
      expect(new Set(rx.requests.map((r) => r.headers['idempotency-key']))).toEqual(new Set(['retry-me']));
    } finally {
      await rx.close();
    }
  });

  it('dead-letters after retryLimit+1 failed attempts; an admin retry delivers it, discard removes it', async () => {
    let healthy = false;
    const rx = await startReceiver(() => (healthy ? { status: 200 } : { status: 500, body: 'down' }));
    try {
      const ch = await webhook(`${rx.base}/in`);
      const enqueue = (key: string) =>
        enqueueNotification(rt.notifications, {
          userId: null,
          channelId: ch.id,
          event: 'report.ready',
          idempotencyKey: key,
          payload: {},
        });
      const a = await enqueue('dead-1');
      const b = await enqueue('dead-2');
      for (const id of [a.deliveryId, b.deliveryId])
        await waitFor(async () => (await delivery(id)).state === 'dead', 25_000, 'dead-lettered');
      expect(await delivery(a.deliveryId)).toMatchObject({
        attempts: 3,
        last_error: expect.stringContaining('HTTP 500'),
      });
      const dead = await listDeadLetters(rt.db);
      expect(dead.map((d) => d.id)).toEqual(expect.arrayContaining([a.deliveryId, b.deliveryId]));
      const sentBefore = rx.requests.length;
      expect(sentBefore).toBe(6);

      healthy = true;
      await retryDeadLetter(rt.notifications, 'user:admin', a.deliveryId);
      await discardDeadLetter(rt.notifications, 'user:admin', b.deliveryId);
      await waitFor(
        async () => (await delivery(a.deliveryId)).state === 'delivered',
        10_000,
        'delivered on retry',
      );
      expect((await delivery(b.deliveryId)).state).toBe('discarded');
      expect(rx.requests.length).toBe(sentBefore + 1);
      expect((await listDeadLetters(rt.db)).map((d) => d.id)).not.toContain(a.deliveryId);
      await expect(retryDeadLetter(rt.notifications, 'user:admin', b.deliveryId)).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
      const actions = await rt.db.query<{ action: string }>(
        `SELECT action FROM audit_log WHERE target IN ($1, $2) ORDER BY id`,
        [`notification_delivery:${a.deliveryId}`, `notification_delivery:${b.deliveryId}`],
      );
      expect(actions.map((x) => x.action)).toEqual([
        'notification.delivery.retry',
        'notification.delivery.discard',
      ]);
    } finally {
      await rx.close();
    }
  });

  it('a permanent 4xx goes to the dead-letter list at once, without retries', async () => {
    const rx = await startReceiver(() => ({ status: 410, body: 'gone' }));
    try {
      const ch = await webhook(`${rx.base}/in`);
      const { deliveryId } = await enqueueNotification(rt.notifications, {
        userId: null,
        channelId: ch.id,
        event: 'alert.triggered',
        idempotencyKey: 'gone-1',
        payload: {},
      });
      await waitFor(async () => (await delivery(deliveryId)).state === 'dead', 10_000, 'dead');
      expect(await delivery(deliveryId)).toMatchObject({ attempts: 1 });
      expect(rx.requests).toHaveLength(1);
    } finally {
      await rx.close();
    }
  });

  it('sendTest sends now and reports the outcome', async () => {
    const rx = await startReceiver((_r, n) =>
      n === 1 ? { status: 200 } : { status: 404, body: 'no such hook' },
    );
    try {
      const ch = await webhook(`${rx.base}/in`);
      expect(await sendTest(rt.notifications, scope, ch.id)).toEqual({ ok: true });
      expect(JSON.parse(rx.requests[0]!.body)).toMatchObject({ event: 'test' });
      expect(await sendTest(rt.notifications, scope, ch.id)).toEqual({
        ok: false,
        error: expect.stringContaining('HTTP 404'),
      });
    } finally {
      await rx.close();
    }
  });

  it('a delivery left queued/sending without a live job is dead-lettered by the sweep; one with a live job is not', async () => {
    let hung = 0;
    const rx = await startReceiver(() => {
      hung++;
      return 'hang';
    });
    try {
      const ch = await webhook(`${rx.base}/in`);
      // orphan: a row whose job pg-boss already failed (simulated: a row with no job at all)
      const orphan = await rt.db.query<{ id: string }>(
        `INSERT INTO notification_deliveries (channel_id, event, idempotency_key, payload, state, attempts, updated_at)
         VALUES ($1, 'alert.triggered', 'orphan-1', '{}', 'sending', 3, now() - interval '1 hour') RETURNING id`,
        [ch.id],
      );
      // live: claimed by the worker, its request hanging at the receiver
      const live = await enqueueNotification(rt.notifications, {
        userId: null,
        channelId: ch.id,
        event: 'alert.triggered',
        idempotencyKey: 'live-1',
        payload: {},
      });
      await waitFor(() => hung === 1, 10_000, 'the live delivery to be in flight');
      await rt.db.query(
        `UPDATE notification_deliveries SET updated_at = now() - interval '1 hour' WHERE id = $1`,
        [live.deliveryId],
      );
      expect(await sweepOrphanedDeliveries(rt.db, 60)).toBe(1);
      expect(await delivery(orphan[0]!.id)).toMatchObject({
        state: 'dead',
        last_error: expect.stringContaining('worker stopped'),
      });
      expect((await delivery(live.deliveryId)).state).toBe('sending');
    } finally {
      await rx.close();
    }
  });

  it('rejects bad input naming the field, and writes nothing', async () => {
    const count = async () =>
      (await rt.db.query<{ n: number }>('SELECT count(*)::int AS n FROM notification_channels'))[0]!.n;
    const before = await count();
    await expect(
      createChannel(rt.notifications, scope, { type: 'webhook', name: 'x', url: 'ftp://x', secret: SECRET }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/^url: /) });
    await expect(
      createChannel(rt.notifications, scope, {
        type: 'webhook',
        name: 'x',
        url: 'http://a.example/',
        secret: 'short',
      }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/^secret: /) });
    await expect(createChannel(rt.notifications, scope, { type: 'pigeon', name: 'x' })).rejects.toMatchObject(
      {
        code: 'BAD_REQUEST',
        message: expect.stringMatching(/^type: /),
      },
    );
    await expect(
      enqueueNotification(rt.notifications, {
        userId: null,
        channelId: '00000000-0000-4000-8000-000000000009',
        event: 'Bad Event',
        idempotencyKey: 'k',
        payload: {},
      }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/^event: /) });
    expect(await count()).toBe(before);
  });
});
