import { z } from 'zod';
import { jsonOf, outboundRequest } from '../outbound-http';
import { DeliveryError, defineChannel, renderText, ZHttpUrl } from './types';

/**
 * Telegram Bot API `sendMessage` (https://core.telegram.org/bots/api#sendmessage):
 * POST {apiBase}/bot<token>/sendMessage, JSON {chat_id, text}; answer `{"ok":true,"result":Message}` or
 * `{"ok":false,"error_code":…,"description":…,"parameters":{"retry_after":…}}`. No idempotency key in the
 * API: at-least-once, the key is in the text's last line.
 */
export const telegramChannel = defineChannel({
  type: 'telegram',
  label: 'Telegram',
  idempotency: 'in-body',
  config: z.strictObject({
    chatId: z.string().regex(/^(-?\d{1,20}|@[A-Za-z0-9_]{5,32})$/, 'a numeric chat id or @channelname'),
    /** Telegram, or a self-hosted Bot API server. */
    apiBase: ZHttpUrl.default('https://api.telegram.org'),
  }),
  secret: z.strictObject({
    botToken: z.string().regex(/^\d{3,20}:[A-Za-z0-9_-]{20,100}$/, 'looks like 123456:ABC-…'),
  }),
  async send(ctx, msg) {
    const { title, body } = renderText(msg);
    const base = ctx.config.apiBase.replace(/\/+$/, '');
    let res: Awaited<ReturnType<typeof outboundRequest>>;
    try {
      res = await outboundRequest(
        `${base}/bot${ctx.secret.botToken}/sendMessage`,
        {
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            chat_id: ctx.config.chatId,
            text: `${title}\n${body}\n#${msg.idempotencyKey.slice(0, 64)}`,
            link_preview_options: { is_disabled: true },
          }),
          timeoutMs: ctx.timeoutMs,
        },
        ctx.policy,
      );
    } catch (err) {
      // the token is in the path: never let it reach an error message
      if (err instanceof DeliveryError)
        throw new DeliveryError(err.message.replaceAll(ctx.secret.botToken, '<token>'), {
          retryable: err.retryable,
          status: err.status,
        });
      throw err;
    }
    const answer = jsonOf(res);
    if (answer.ok !== true)
      throw new DeliveryError(`Telegram: ${String(answer.description ?? 'not ok')}`, { retryable: false });
  },
});
