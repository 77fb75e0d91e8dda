import { z } from 'zod';
import { jsonOf, outboundRequest } from '../outbound-http';
import { DeliveryError, defineChannel, renderText, ZHttpUrl } from './types';

/** HTTP header values are Latin-1: non-ASCII titles go RFC 2047-encoded, which ntfy decodes. */
function headerText(s: string): string {
  return /^[\x20-\x7e]*$/.test(s) ? s : `=?UTF-8?B?${Buffer.from(s, 'utf8').toString('base64')}?=`;
}

/**
 * ntfy publish (https://docs.ntfy.sh/publish/): POST {server}/{topic}, the message as the body, with
 * `Title`, `Priority` (1–5), `Tags` (comma-separated) and `Click` headers and, for protected topics,
 * `Authorization: Bearer <access token>`; the answer is the stored message as JSON (`{"id":…,"event":"message"}`).
 * No idempotency key: at-least-once.
 */
export const ntfyChannel = defineChannel({
  type: 'ntfy',
  label: 'ntfy',
  idempotency: 'in-body',
  config: z.strictObject({
    server: ZHttpUrl.default('https://ntfy.sh'),
    topic: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, '1–64 letters, digits, _ or -'),
    priority: z.number().int().min(1).max(5).default(3),
  }),
  secret: z.strictObject({ token: z.string().max(256).default('') }),
  async send(ctx, msg) {
    const { title, body } = renderText(msg);
    const tags = ['investiq', msg.event.replace(/[^A-Za-z0-9_-]/g, '_')];
    const headers: Record<string, string> = {
      'content-type': 'text/plain; charset=utf-8',
      title: headerText(title),
      priority: String(ctx.config.priority),
      tags: tags.join(','),
    };
    if (msg.link) headers.click = msg.link;
    if (ctx.secret.token) headers.authorization = `Bearer ${ctx.secret.token}`;
    const base = ctx.config.server.replace(/\/+$/, '');
    const res = await outboundRequest(
      `${base}/${ctx.config.topic}`,
      { headers, body: `${body}\n${msg.idempotencyKey}`, timeoutMs: ctx.timeoutMs },
      ctx.policy,
    );
    const answer = jsonOf(res);
    if (typeof answer.id !== 'string')
      throw new DeliveryError('ntfy: the answer carries no message id', { retryable: true });
  },
});
