import { randomUUID } from 'node:crypto';
import type { DatabaseHandle, QueryFn } from '@investiq/db';
import { z } from 'zod';
import { type Actor, writeAudit } from '../audit/audit-log';
import { AppError } from '../errors';
import type { Logger } from '../observability/logger';
import { decryptValue, encryptValue, isEnvelope, type SecretsKeyring } from '../settings/crypto';
import { getSetting, keyringOf, maskValue } from '../settings/service';
import { CHANNEL_TYPES, channelDescriptor } from './channels/index';
import {
  type ChannelDescriptor,
  DeliveryError,
  type NotificationMessage,
  ZNotificationPayload,
} from './channels/types';
import { type OutboundPolicy, OutboundRefusedError, resolveOutbound } from './outbound-guard';
import type { DeliveryJobMeta, DeliveryQueue } from './queue';
import { SNotificationsOutbound } from './settings';

/** What the notification functions need; the runtime builds one per process. */
export interface NotificationDeps {
  db: DatabaseHandle;
  queue: DeliveryQueue;
  log: Logger;
  now: () => Date;
  /** OUTBOUND_ALLOW_PRIVATE=true: private destinations allowed whatever the admin setting says. */
  allowPrivateFromEnv: boolean;
  /** One channel call's deadline (ms); keep it well below the queue's expireInSeconds. */
  sendTimeoutMs: number;
  /** Test seam for DNS; production uses the system resolver. */
  resolve?: OutboundPolicy['resolve'];
}

/** Who is acting: the audit actor and the user whose channels they may see and use. */
export interface ChannelScope {
  actor: Actor;
  /** The acting user (session user, or the token's owner); null for an ownerless API token. */
  ownerId: string | null;
  /** Admins see and manage every channel. */
  admin: boolean;
  ip?: string | null;
}

export interface TChannel {
  id: string;
  type: string;
  name: string;
  enabled: boolean;
  config: Record<string, unknown>;
  /** Secret fields, masked. */
  secret: Record<string, unknown>;
  ownerId: string | null;
  createdAt: string;
  createdBy: string;
}

const secretAad = (id: string) => `notification_channel:${id}`;

function describeZod(err: z.ZodError): string {
  return err.issues
    .slice(0, 5)
    .map((i) => `${i.path.length ? i.path.join('.') : 'body'}: ${i.message}`)
    .join('; ');
}

function badRequest(err: z.ZodError): AppError {
  return new AppError('BAD_REQUEST', describeZod(err), {
    details: { issues: err.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) },
  });
}

function requireKeyring(db: DatabaseHandle): SecretsKeyring {
  const k = keyringOf(db);
  if (!k)
    throw new AppError(
      'SERVICE_UNAVAILABLE',
      'notification channels keep secrets: set SECRETS_KEY (32 random bytes, base64) in the server environment',
    );
  return k;
}

export async function outboundPolicy(deps: NotificationDeps): Promise<OutboundPolicy> {
  const allowPrivate =
    deps.allowPrivateFromEnv || (await getSetting(deps.db, SNotificationsOutbound)).allowPrivate;
  return { allowPrivate, ...(deps.resolve ? { resolve: deps.resolve } : {}) };
}

const shapeOf = (s: z.ZodType) => (s as unknown as z.ZodObject).shape as Record<string, z.ZodType>;

/** The flat create body of one channel type: {type, name, …config fields, …secret fields}. */
function createSchema(d: ChannelDescriptor) {
  return z.strictObject({
    type: z.literal(d.type),
    name: z.string().trim().min(1, 'required').max(100),
    ...shapeOf(d.config),
    ...shapeOf(d.secret),
  });
}

const ZType = z.enum(CHANNEL_TYPES, { error: `must be one of ${CHANNEL_TYPES.join(', ')}` });

/** Validate a create body and split it into config and secret. Throws 400 naming the field. */
export function parseChannelInput(body: unknown): {
  descriptor: ChannelDescriptor;
  name: string;
  config: Record<string, unknown>;
  secret: Record<string, unknown>;
} {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new AppError('BAD_REQUEST', 'body: must be a JSON object');
  const type = ZType.safeParse((body as { type?: unknown }).type);
  if (!type.success) throw new AppError('BAD_REQUEST', `type: ${type.error.issues[0]?.message ?? 'invalid'}`);
  const descriptor = channelDescriptor(type.data)!;
  const parsed = createSchema(descriptor).safeParse(body);
  if (!parsed.success) throw badRequest(parsed.error);
  const configKeys = Object.keys(shapeOf(descriptor.config));
  const secretKeys = Object.keys(shapeOf(descriptor.secret));
  const all = parsed.data as Record<string, unknown>;
  const pick = (keys: string[]) => Object.fromEntries(keys.filter((k) => k in all).map((k) => [k, all[k]]));
  return { descriptor, name: parsed.data.name, config: pick(configKeys), secret: pick(secretKeys) };
}

/** Destinations named in a channel's config (the guard checks them again, resolved, at every send). */
function destinationsOf(config: Record<string, unknown>): { field: string; host: string }[] {
  const out: { field: string; host: string }[] = [];
  for (const field of ['url', 'apiBase', 'server'])
    if (typeof config[field] === 'string')
      out.push({ field, host: new URL(config[field] as string).hostname });
  if (typeof config.host === 'string') out.push({ field: 'host', host: config.host });
  return out;
}

/** Create a channel: validate, refuse private destinations early, encrypt the secret, insert + audit in one transaction. */
export async function createChannel(
  deps: NotificationDeps,
  scope: ChannelScope,
  body: unknown,
): Promise<TChannel> {
  const input = parseChannelInput(body);
  const policy = await outboundPolicy(deps);
  for (const d of destinationsOf(input.config)) {
    try {
      await resolveOutbound(d.host, policy);
    } catch (err) {
      // an unresolvable name may resolve later (offline set-up); a refused address never will
      if (err instanceof OutboundRefusedError && !err.message.startsWith('cannot resolve'))
        throw new AppError('BAD_REQUEST', `${d.field}: ${err.message}`);
    }
  }
  const keyring = requireKeyring(deps.db);
  const id = randomUUID();
  const envelope = encryptValue(keyring, input.secret, secretAad(id));
  const masked = maskValue(input.secret) as Record<string, unknown>;
  await deps.db.transaction(async (q) => {
    await q(
      `INSERT INTO notification_channels (id, owner_id, type, name, config, secret, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        id,
        scope.ownerId,
        input.descriptor.type,
        input.name,
        JSON.stringify(input.config),
        JSON.stringify(envelope),
        scope.actor,
      ],
    );
    await writeAudit(q, {
      actor: scope.actor,
      action: 'notification.channel.create',
      target: `notification_channel:${id}`,
      newValue: { type: input.descriptor.type, name: input.name, config: input.config, secret: masked },
      ip: scope.ip ?? null,
    });
  });
  deps.log.info(
    { channel: id, type: input.descriptor.type, actor: scope.actor },
    'notification channel created',
  );
  return (await getChannel(deps.db, scope, id))!;
}

interface ChannelRow {
  id: string;
  owner_id: string | null;
  type: string;
  name: string;
  config: Record<string, unknown>;
  secret: unknown;
  enabled: boolean;
  created_at: Date | string;
  created_by: string;
}

function openSecret(db: DatabaseHandle, row: Pick<ChannelRow, 'id' | 'secret'>): Record<string, unknown> {
  if (!isEnvelope(row.secret)) return {};
  return decryptValue(requireKeyring(db), row.secret, secretAad(row.id)) as Record<string, unknown>;
}

function toPublic(db: DatabaseHandle, r: ChannelRow): TChannel {
  let secret: Record<string, unknown>;
  try {
    secret = maskValue(openSecret(db, r)) as Record<string, unknown>;
  } catch {
    secret = { error: '(cannot decrypt)' };
  }
  return {
    id: r.id,
    type: r.type,
    name: r.name,
    enabled: r.enabled,
    config: r.config,
    secret,
    ownerId: r.owner_id,
    createdAt: new Date(r.created_at).toISOString(),
    createdBy: r.created_by,
  };
}

/** The scope condition with its admin flag and owner id as parameters $a and $b. */
const scopeSql = (a: number, b: number) => `($${a}::boolean OR owner_id IS NOT DISTINCT FROM $${b}::uuid)`;
const SCOPE_SQL = scopeSql(2, 3);

export async function listChannels(db: DatabaseHandle, scope: ChannelScope): Promise<TChannel[]> {
  const rows = await db.query<ChannelRow>(
    `SELECT * FROM notification_channels WHERE ${scopeSql(1, 2)} ORDER BY created_at, id`,
    [scope.admin, scope.ownerId],
  );
  return rows.map((r) => toPublic(db, r));
}

const ZId = z.uuid();

/** One channel the scope may see, or null (someone else's channel is "not found", not "forbidden"). */
export async function getChannel(
  db: DatabaseHandle,
  scope: ChannelScope,
  id: string,
): Promise<TChannel | null> {
  if (!ZId.safeParse(id).success) return null;
  const rows = await db.query<ChannelRow>(
    `SELECT * FROM notification_channels WHERE id = $1 AND ${SCOPE_SQL}`,
    [id, scope.admin, scope.ownerId],
  );
  return rows[0] ? toPublic(db, rows[0]) : null;
}

export async function deleteChannel(deps: NotificationDeps, scope: ChannelScope, id: string): Promise<void> {
  if (!ZId.safeParse(id).success) throw new AppError('NOT_FOUND', `no notification channel ${id}`);
  const deleted = await deps.db.transaction(async (q) => {
    const rows = await q<{ type: string; name: string }>(
      `DELETE FROM notification_channels WHERE id = $1 AND ${SCOPE_SQL} RETURNING type, name`,
      [id, scope.admin, scope.ownerId],
    );
    if (!rows[0]) return false;
    await writeAudit(q, {
      actor: scope.actor,
      action: 'notification.channel.delete',
      target: `notification_channel:${id}`,
      oldValue: rows[0],
      ip: scope.ip ?? null,
    });
    return true;
  });
  if (!deleted) throw new AppError('NOT_FOUND', `no notification channel ${id}`);
}

export const ZEnqueueInput = z.strictObject({
  userId: z.uuid().nullable(),
  channelId: z.uuid(),
  event: z.string().regex(/^[a-z][a-z0-9_.-]{0,63}$/, 'lower-case event name like alert.triggered'),
  idempotencyKey: z.string().min(1).max(200),
  payload: ZNotificationPayload,
});
export type TEnqueueInput = z.input<typeof ZEnqueueInput>;

/**
 * Queue one message for one channel. The delivery row (unique per channel and idempotency key) and its
 * job are written in one transaction: enqueueing the same key twice is a no-op that returns the first
 * delivery. Alerts and scheduled reports call this.
 */
export async function enqueueNotification(
  deps: NotificationDeps,
  input: TEnqueueInput,
): Promise<{ deliveryId: string; duplicate: boolean }> {
  const parsed = ZEnqueueInput.safeParse(input);
  if (!parsed.success) throw badRequest(parsed.error);
  const { userId, channelId, event, idempotencyKey } = parsed.data;
  const payload = { ...parsed.data.payload, time: parsed.data.payload.time ?? deps.now().toISOString() };
  return deps.db.transaction(async (q) => {
    const ch = await q<{ owner_id: string | null; enabled: boolean }>(
      'SELECT owner_id, enabled FROM notification_channels WHERE id = $1',
      [channelId],
    );
    if (!ch[0] || (ch[0].owner_id !== null && userId !== null && ch[0].owner_id !== userId))
      throw new AppError('NOT_FOUND', `no notification channel ${channelId}`);
    if (!ch[0].enabled) throw new AppError('CONFLICT', `notification channel ${channelId} is disabled`);
    const inserted = await q<{ id: string }>(
      `INSERT INTO notification_deliveries (channel_id, user_id, event, idempotency_key, payload)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT (channel_id, idempotency_key) DO NOTHING RETURNING id`,
      [channelId, userId, event, idempotencyKey, JSON.stringify(payload)],
    );
    if (inserted[0]) {
      await deps.queue.enqueueIn(q, inserted[0].id);
      return { deliveryId: inserted[0].id, duplicate: false };
    }
    const existing = await q<{ id: string }>(
      'SELECT id FROM notification_deliveries WHERE channel_id = $1 AND idempotency_key = $2',
      [channelId, idempotencyKey],
    );
    return { deliveryId: existing[0]!.id, duplicate: true };
  });
}

async function sendVia(
  deps: NotificationDeps,
  row: Pick<ChannelRow, 'id' | 'type' | 'config' | 'secret'>,
  msg: NotificationMessage,
): Promise<void> {
  const d = channelDescriptor(row.type);
  if (!d) throw new DeliveryError(`unknown channel type ${row.type}`, { retryable: false });
  // stored rows are re-read through the schemas so defaults added later apply
  const config = d.config.safeParse(row.config);
  let secretRaw: unknown;
  try {
    secretRaw = openSecret(deps.db, row);
  } catch (err) {
    throw new DeliveryError(`cannot decrypt the channel secret: ${(err as Error).message}`, {
      retryable: false,
    });
  }
  const secret = d.secret.safeParse(secretRaw);
  if (!config.success || !secret.success)
    throw new DeliveryError('the stored channel settings no longer validate; edit the channel', {
      retryable: false,
    });
  await d.send(
    {
      config: config.data,
      secret: secret.data,
      policy: await outboundPolicy(deps),
      timeoutMs: deps.sendTimeoutMs,
    },
    msg,
  );
}

/** Send a test message now (not queued), so the "send test" button can show the outcome. */
export async function sendTest(
  deps: NotificationDeps,
  scope: ChannelScope,
  channelId: string,
): Promise<{ ok: true } | { ok: false; error: string }> {
  if (!ZId.safeParse(channelId).success)
    throw new AppError('NOT_FOUND', `no notification channel ${channelId}`);
  const rows = await deps.db.query<ChannelRow>(
    `SELECT * FROM notification_channels WHERE id = $1 AND ${SCOPE_SQL}`,
    [channelId, scope.admin, scope.ownerId],
  );
  if (!rows[0]) throw new AppError('NOT_FOUND', `no notification channel ${channelId}`);
  const now = deps.now().toISOString();
  try {
    await sendVia(deps, rows[0], {
      event: 'test',
      title: 'InvestIQ test notification',
      text: `This is a test message for the channel "${rows[0].name}".`,
      time: now,
      idempotencyKey: `test-${randomUUID()}`,
    });
    return { ok: true };
  } catch (err) {
    if (err instanceof DeliveryError) return { ok: false, error: err.message };
    throw err;
  }
}

interface DeliveryRow {
  id: string;
  channel_id: string;
  event: string;
  idempotency_key: string;
  payload: Record<string, unknown>;
  state: string;
  type: string;
  config: Record<string, unknown>;
  secret: unknown;
}

const setState = (q: QueryFn | DatabaseHandle['query'], id: string, sql: string, params: unknown[] = []) =>
  q(`UPDATE notification_deliveries SET ${sql}, updated_at = now() WHERE id = $1`, [id, ...params]);

/**
 * Run one delivery attempt (the queue's job handler). The attempt is recorded (state 'sending',
 * attempts+1) and committed before the channel is called; a delivered/discarded/dead row is never sent
 * again. A crash between the send and the 'delivered' update repeats the send with the same idempotency
 * key: exactly once to receivers that dedupe by it, at least once otherwise. A permanent error, or the last
 * retry failing, moves the row to the dead-letter list.
 */
export async function runDelivery(
  deps: NotificationDeps,
  deliveryId: string,
  meta: DeliveryJobMeta,
): Promise<void> {
  const rows = await deps.db.query<DeliveryRow>(
    `SELECT d.id, d.channel_id, d.event, d.idempotency_key, d.payload, d.state, c.type, c.config, c.secret
       FROM notification_deliveries d JOIN notification_channels c ON c.id = d.channel_id WHERE d.id = $1`,
    [deliveryId],
  );
  const row = rows[0];
  if (!row || row.state === 'delivered' || row.state === 'discarded' || row.state === 'dead') return;
  await setState(deps.db.query.bind(deps.db), deliveryId, `state = 'sending', attempts = attempts + 1`);
  try {
    await sendVia(
      deps,
      { id: row.channel_id, type: row.type, config: row.config, secret: row.secret },
      {
        ...(row.payload as Omit<NotificationMessage, 'event' | 'idempotencyKey'>),
        event: row.event,
        idempotencyKey: row.idempotency_key,
      },
    );
  } catch (err) {
    const retryable = err instanceof DeliveryError ? err.retryable : true;
    const last = !retryable || meta.retryCount >= meta.retryLimit;
    const message = err instanceof Error ? err.message : String(err);
    await setState(deps.db.query.bind(deps.db), deliveryId, 'state = $2, last_error = $3', [
      last ? 'dead' : 'queued',
      message.slice(0, 1000),
    ]);
    deps.log.warn(
      {
        delivery: deliveryId,
        channel: row.channel_id,
        attempt: meta.retryCount + 1,
        dead: last,
        err: message,
      },
      last ? 'notification dead-lettered' : 'notification attempt failed; will retry',
    );
    if (last) return;
    throw err;
  }
  await setState(
    deps.db.query.bind(deps.db),
    deliveryId,
    `state = 'delivered', delivered_at = now(), last_error = NULL`,
  );
}
