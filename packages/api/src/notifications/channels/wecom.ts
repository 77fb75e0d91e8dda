import { z } from 'zod';
import { jsonOf, outboundRequest } from '../outbound-http';
import { DeliveryError, defineChannel, renderText, ZHttpUrl } from './types';

/** WeCom (企业微信) errcodes worth retrying: 45009 = over the 20-messages-a-minute limit; -1 = busy. */
const RETRYABLE = new Set([45009, -1]);

/**
 * WeCom group-robot webhook (https://developer.work.weixin.qq.com/document/path/91770):
 * POST {apiBase}/cgi-bin/webhook/send?key=<key>, JSON {"msgtype":"markdown","markdown":{"content":…}};
 * answer `{"errcode":0,"errmsg":"ok"}` (HTTP 200 also for errors). No idempotency key: at-least-once.
 */
export const wecomChannel = defineChannel({
  type: 'wecom',
  label: 'WeCom group bot',
  idempotency: 'in-body',
  config: z.strictObject({ apiBase: ZHttpUrl.default('https://qyapi.weixin.qq.com') }),
  secret: z.strictObject({
    key: z.string().regex(/^[A-Za-z0-9-]{8,64}$/, 'the key= value of the robot webhook URL'),
  }),
  async send(ctx, msg) {
    const { title, body } = renderText(msg);
    const url = new URL('/cgi-bin/webhook/send', ctx.config.apiBase);
    url.searchParams.set('key', ctx.secret.key);
    const res = await outboundRequest(
      url.toString(),
      {
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          msgtype: 'markdown',
          markdown: { content: `**${title}**\n${body}\n<font color="comment">${msg.idempotencyKey}</font>` },
        }),
        timeoutMs: ctx.timeoutMs,
      },
      ctx.policy,
    );
    const answer = jsonOf(res);
    const code = Number(answer.errcode);
    if (code !== 0)
      throw new DeliveryError(`WeCom errcode ${answer.errcode}: ${String(answer.errmsg ?? '')}`, {
        retryable: RETRYABLE.has(code),
      });
  },
});
