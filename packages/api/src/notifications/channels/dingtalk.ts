import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { jsonOf, outboundRequest } from '../outbound-http';
import { DeliveryError, defineChannel, renderText, ZHttpUrl } from './types';

/** DingTalk errcodes worth retrying: 130101 = sending too fast; -1 = busy. */
const RETRYABLE = new Set([130101, -1]);

/**
 * DingTalk's signature (https://open.dingtalk.com/document/robots/customize-robot-security-settings):
 * base64(HMAC-SHA256(key = secret, data = timestamp + "\n" + secret)), timestamp in milliseconds; both go
 * in the query string (URLSearchParams does the URL-encoding the docs ask for).
 */
export function dingtalkSign(timestampMs: string, secret: string): string {
  return createHmac('sha256', secret).update(`${timestampMs}\n${secret}`, 'utf8').digest('base64');
}

/**
 * DingTalk custom robot (https://open.dingtalk.com/document/robots/custom-robot-access):
 * POST {apiBase}/robot/send?access_token=…&timestamp=…&sign=…, JSON
 * {"msgtype":"markdown","markdown":{"title":…,"text":…}}; answer `{"errcode":0,"errmsg":"ok"}`.
 * No idempotency key: at-least-once.
 */
export const dingtalkChannel = defineChannel({
  type: 'dingtalk',
  label: 'DingTalk group bot (signed)',
  idempotency: 'in-body',
  config: z.strictObject({ apiBase: ZHttpUrl.default('https://oapi.dingtalk.com') }),
  secret: z.strictObject({
    accessToken: z.string().regex(/^[A-Za-z0-9]{16,128}$/, 'the access_token= value of the robot URL'),
    secret: z.string().regex(/^SEC[A-Za-z0-9]{16,128}$/, 'the signing secret, starting with SEC'),
  }),
  async send(ctx, msg) {
    const { title, body } = renderText(msg);
    const timestamp = String(Date.now());
    const url = new URL('/robot/send', ctx.config.apiBase);
    url.searchParams.set('access_token', ctx.secret.accessToken);
    url.searchParams.set('timestamp', timestamp);
    url.searchParams.set('sign', dingtalkSign(timestamp, ctx.secret.secret));
    const res = await outboundRequest(
      url.toString(),
      {
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          msgtype: 'markdown',
          markdown: {
            title,
            text: `### ${title}\n\n${body.replaceAll('\n', '  \n')}\n\n${msg.idempotencyKey}`,
          },
        }),
        timeoutMs: ctx.timeoutMs,
      },
      ctx.policy,
    );
    const answer = jsonOf(res);
    const code = Number(answer.errcode);
    if (code !== 0)
      throw new DeliveryError(`DingTalk errcode ${answer.errcode}: ${String(answer.errmsg ?? '')}`, {
        retryable: RETRYABLE.has(code),
      });
  },
});
