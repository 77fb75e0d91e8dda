import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { jsonOf, outboundRequest } from '../outbound-http';
import { DeliveryError, defineChannel, renderText, ZHttpUrl } from './types';

/** Feishu codes worth retrying: 9499 / 11232 = too many requests. */
const RETRYABLE = new Set([9499, 11232]);

/**
 * Feishu's signature (https://open.feishu.cn/document/client-docs/bot-v3/add-custom-bot, "signature
 * verification"): base64(HMAC-SHA256(key = timestamp + "\n" + secret, data = "")), timestamp in seconds.
 */
export function feishuSign(timestampSeconds: string, secret: string): string {
  return createHmac('sha256', `${timestampSeconds}\n${secret}`).update('').digest('base64');
}

/**
 * Feishu / Lark custom bot: POST {apiBase}/open-apis/bot/v2/hook/<hook id>, JSON
 * {"timestamp":"…","sign":"…","msg_type":"text","content":{"text":…}}; answer `{"code":0,"msg":"success"}`
 * (older deployments: `{"StatusCode":0}`). No idempotency key: at-least-once.
 */
export const feishuChannel = defineChannel({
  type: 'feishu',
  label: 'Feishu / Lark group bot',
  idempotency: 'in-body',
  config: z.strictObject({ apiBase: ZHttpUrl.default('https://open.feishu.cn') }),
  secret: z.strictObject({
    hookId: z.string().regex(/^[A-Za-z0-9-]{8,64}$/, 'the last part of the bot webhook URL'),
    /** Only when the bot has "signature verification" switched on. */
    secret: z.string().max(128).default(''),
  }),
  async send(ctx, msg) {
    const { title, body } = renderText(msg);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const res = await outboundRequest(
      new URL(
        `/open-apis/bot/v2/hook/${encodeURIComponent(ctx.secret.hookId)}`,
        ctx.config.apiBase,
      ).toString(),
      {
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          ...(ctx.secret.secret ? { timestamp, sign: feishuSign(timestamp, ctx.secret.secret) } : {}),
          msg_type: 'text',
          content: { text: `${title}\n${body}\n${msg.idempotencyKey}` },
        }),
        timeoutMs: ctx.timeoutMs,
      },
      ctx.policy,
    );
    const answer = jsonOf(res);
    const code = Number(answer.code ?? answer.StatusCode);
    if (code !== 0)
      throw new DeliveryError(`Feishu code ${String(answer.code)}: ${String(answer.msg ?? '')}`, {
        retryable: RETRYABLE.has(code),
      });
  },
});
