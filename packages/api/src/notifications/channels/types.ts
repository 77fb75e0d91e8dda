import { z } from 'zod';
import type { OutboundPolicy } from '../outbound-guard';

/** What a notification says. Alerts fill symbol/market/price/condition; other events may leave them out. */
export const ZNotificationPayload = z.strictObject({
  title: z.string().min(1).max(200).optional(),
  text: z.string().max(4000).optional(),
  symbol: z.string().min(1).max(32).optional(),
  market: z.string().min(1).max(16).optional(),
  price: z.number().finite().optional(),
  condition: z.string().max(500).optional(),
  /** When the event happened (ISO 8601); defaults to the enqueue time. */
  time: z.iso.datetime({ offset: true }).optional(),
  link: z
    .url({ protocol: /^https?$/ })
    .max(2000)
    .optional(),
  /** Several links (a scheduled summary: one per report); text channels list them, e-mail links them in HTML. */
  links: z
    .array(
      z.strictObject({
        label: z.string().min(1).max(200),
        url: z.url({ protocol: /^https?$/ }).max(2000),
      }),
    )
    .max(50)
    .optional(),
});
export type TNotificationPayload = z.infer<typeof ZNotificationPayload>;

/** One message as a channel sends it. */
export interface NotificationMessage extends TNotificationPayload {
  event: string;
  time: string;
  /** The delivery's idempotency key: sent where the vendor API takes one, else in the body. */
  idempotencyKey: string;
}

export interface SendContext<C, S> {
  config: C;
  secret: S;
  policy: OutboundPolicy;
  timeoutMs: number;
}

/** A failed send. `retryable` false (bad credentials, refused destination, 4xx) goes straight to dead-letter. */
export class DeliveryError extends Error {
  override readonly name = 'DeliveryError';
  readonly retryable: boolean;
  readonly status: number | undefined;
  constructor(message: string, opts: { retryable: boolean; status?: number; cause?: unknown }) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.retryable = opts.retryable;
    this.status = opts.status;
  }
}

/**
 * One kind of channel. Adding a kind is one file in channels/ plus its line in channels/index.ts; the
 * service, REST API, tRPC router and UI derive everything else from `config`/`secret` schemas.
 */
export interface ChannelDescriptor<C = unknown, S = unknown> {
  type: string;
  label: string;
  /** Non-secret settings, stored in plain JSON. */
  config: z.ZodType<C>;
  /** Secret settings, stored encrypted and shown masked. */
  secret: z.ZodType<S>;
  /** Exactly-once where the receiver dedupes by the key we send; otherwise at-least-once. */
  idempotency: 'key-header' | 'message-id' | 'in-body';
  send(ctx: SendContext<C, S>, msg: NotificationMessage): Promise<void>;
}

export function defineChannel<C, S>(d: ChannelDescriptor<C, S>): ChannelDescriptor<C, S> {
  return d;
}

/** Link lines for chat messages, at most ~1500 characters (WeCom text caps at 2048 bytes); the rest counted. */
function linkLines(links: readonly { label: string; url: string }[]): string[] {
  const out: string[] = [];
  let size = 0;
  for (const [i, l] of links.entries()) {
    const line = `${l.label}: ${l.url}`;
    if (size + line.length > 1500) {
      out.push(`(+${links.length - i} more)`);
      break;
    }
    out.push(line);
    size += line.length + 1;
  }
  return out;
}

/** A plain-text rendering shared by the chat channels. */
export function renderText(msg: NotificationMessage): { title: string; body: string } {
  const title =
    msg.title ??
    (msg.symbol
      ? `${msg.event}: ${msg.market ? `${msg.market}:` : ''}${msg.symbol}`
      : `InvestIQ ${msg.event}`);
  const lines = [
    msg.text,
    msg.condition ? `Condition: ${msg.condition}` : undefined,
    msg.price !== undefined ? `Price: ${msg.price}` : undefined,
    ...linkLines(msg.links ?? []),
    `Time: ${msg.time}`,
    msg.link,
  ].filter((l): l is string => !!l);
  return { title, body: lines.join('\n') };
}

/** An http(s) URL field. */
export const ZHttpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(2000);
