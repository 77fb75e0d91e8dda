import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { outboundRequest } from '../outbound-http';
import { defineChannel, ZHttpUrl } from './types';

export const SIGNATURE_HEADER = 'X-InvestIQ-Signature';

/** `sha256=<hex HMAC-SHA256 of the raw body under the channel's secret>` */
export function signWebhookBody(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/**
 * A generic JSON webhook. Body: {id, event, symbol, market, price, condition, time, link, title, text};
 * `id` and the `Idempotency-Key` header carry the delivery's idempotency key, so a receiver that dedupes
 * by it sees each message once even when a crashed worker's attempt is repeated.
 */
export const webhookChannel = defineChannel({
  type: 'webhook',
  label: 'Webhook',
  idempotency: 'key-header',
  config: z.strictObject({ url: ZHttpUrl }),
  secret: z.strictObject({ secret: z.string().min(16, 'at least 16 characters').max(512) }),
  async send(ctx, msg) {
    const body = JSON.stringify({
      id: msg.idempotencyKey,
      event: msg.event,
      symbol: msg.symbol ?? null,
      market: msg.market ?? null,
      price: msg.price ?? null,
      condition: msg.condition ?? null,
      time: msg.time,
      link: msg.link ?? null,
      ...(msg.links ? { links: msg.links } : {}),
      title: msg.title ?? null,
      text: msg.text ?? null,
    });
    await outboundRequest(
      ctx.config.url,
      {
        headers: {
          'content-type': 'application/json',
          'user-agent': 'InvestIQ-Notifier/1',
          'idempotency-key': msg.idempotencyKey,
          'x-investiq-event': msg.event,
          [SIGNATURE_HEADER.toLowerCase()]: signWebhookBody(body, ctx.secret.secret),
        },
        body,
        timeoutMs: ctx.timeoutMs,
      },
      ctx.policy,
    );
  },
});
