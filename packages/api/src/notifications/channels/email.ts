import nodemailer from 'nodemailer';
import { z } from 'zod';
import { normaliseHost, OutboundRefusedError, resolveOutbound } from '../outbound-guard';
import { renderHtml } from './email-html';
import { DeliveryError, defineChannel, renderText } from './types';

/** SMTP reply codes 4xx are transient (retry), 5xx permanent (dead-letter). */
function smtpRetryable(err: { responseCode?: number; code?: string }): boolean {
  if (typeof err.responseCode === 'number') return err.responseCode < 500;
  return err.code !== 'EAUTH';
}

/**
 * E-mail over SMTP (nodemailer). The SMTP host passes the same outbound guard as HTTP channels and the
 * connection is pinned to the vetted address (TLS still checks the certificate against the host name).
 * The Message-ID is derived from the idempotency key, so a repeated attempt is the same message to the
 * receiving side (mail stores and clients collapse duplicates by Message-ID).
 */
export const emailChannel = defineChannel({
  type: 'email',
  label: 'E-mail (SMTP)',
  idempotency: 'message-id',
  config: z.strictObject({
    host: z.string().min(1).max(253),
    port: z.number().int().min(1).max(65535).default(587),
    /** true: TLS from the first byte (port 465); false: STARTTLS when offered. */
    secure: z.boolean().default(false),
    /** Refuse to send without TLS (STARTTLS required when `secure` is false). */
    requireTls: z.boolean().default(true),
    username: z.string().max(256).default(''),
    from: z.email().max(320),
    to: z.array(z.email().max(320)).min(1).max(20),
  }),
  secret: z.strictObject({ password: z.string().max(512).default('') }),
  async send(ctx, msg) {
    const c = ctx.config;
    let address: string;
    try {
      [address] = (await resolveOutbound(c.host, ctx.policy)) as [string];
    } catch (err) {
      if (err instanceof OutboundRefusedError) throw new DeliveryError(err.message, { retryable: false });
      throw err;
    }
    const servername = normaliseHost(c.host);
    const transport = nodemailer.createTransport({
      host: address,
      port: c.port,
      secure: c.secure,
      requireTLS: c.requireTls && !c.secure,
      ignoreTLS: !c.requireTls && !c.secure,
      tls: { servername },
      name: 'investiq',
      connectionTimeout: ctx.timeoutMs,
      greetingTimeout: ctx.timeoutMs,
      socketTimeout: ctx.timeoutMs,
      ...(c.username ? { auth: { user: c.username, pass: ctx.secret.password } } : {}),
    });
    const { title, body } = renderText(msg);
    try {
      await transport.sendMail({
        from: c.from,
        to: c.to,
        subject: title,
        text: body,
        ...(msg.links?.length ? { html: renderHtml(msg) } : {}),
        messageId: `<${msg.idempotencyKey.replace(/[^A-Za-z0-9._-]/g, '_')}@investiq.notifications>`,
        headers: { 'X-InvestIQ-Event': msg.event, 'X-InvestIQ-Idempotency-Key': msg.idempotencyKey },
      });
    } catch (err) {
      const e = err as Error & { responseCode?: number; code?: string };
      throw new DeliveryError(`SMTP: ${e.message}`, { retryable: smtpRetryable(e), cause: err });
    } finally {
      transport.close();
    }
  },
});
