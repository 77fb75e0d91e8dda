import { createHmac } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver } from '../../test-support/http-receiver';
import { dingtalkChannel } from './dingtalk';
import { emailChannel } from './email';
import { feishuChannel } from './feishu';
import answers from './fixtures/vendor-answers.json';
import { ntfyChannel } from './ntfy';
import { telegramChannel } from './telegram';
import { DeliveryError, type NotificationMessage } from './types';
import { webhookChannel } from './webhook';
import { wecomChannel } from './wecom';

// Tests deliver to receivers on 127.0.0.1, so private destinations are allowed explicitly here;
// outbound-guard.test.ts proves the refusal without the flag.
const policy = { allowPrivate: true };
const msg: NotificationMessage = {
  event: 'alert.triggered',
  symbol: 'NVDA',
  market: 'US',
  price: 131.25,
  condition: 'price crosses above 130',
  time: '2026-12-03T15:30:00.000Z',
  link: 'https://investiq.example/symbols/US/NVDA',
  idempotencyKey: 'alert-42-2026-12-03T15:30',
};
const ctx = <C, S>(config: C, secret: S) => ({ config, secret, policy, timeoutMs: 5_000 });

describe('webhook channel', () => {
  it('posts the JSON body signed with HMAC-SHA256 of the raw body, which the receiver verifies', async () => {
    const secret = 'whsec-0123456789abcdef';
    const verified: boolean[] = [];
    const rx = await startReceiver((req) => {
      const expected = `sha256=${createHmac('sha256', secret).update(req.body).digest('hex')}`;
      const ok = req.headers['x-investiq-signature'] === expected;
      verified.push(ok);
      return { status: ok ? 204 : 401 };
    });
    try {
      await webhookChannel.send(ctx({ url: `${rx.base}/hook` }, { secret }), msg);
      expect(verified).toEqual([true]);
      const req = rx.requests[0]!;
      expect(req.headers['idempotency-key']).toBe(msg.idempotencyKey);
      expect(JSON.parse(req.body)).toMatchObject({
        id: msg.idempotencyKey,
        event: 'alert.triggered',
        symbol: 'NVDA',
        market: 'US',
        price: 131.25,
        condition: 'price crosses above 130',
        time: msg.time,
        link: msg.link,
      });
      // a receiver with another secret refuses: the signature depends on the secret
      await expect(
        webhookChannel.send(ctx({ url: `${rx.base}/hook` }, { secret: 'another-secret-value!' }), msg),
      ).rejects.toMatchObject({ name: 'DeliveryError', status: 401, retryable: false });
    } finally {
      await rx.close();
    }
  });

  it('5xx and 429 are retryable, a redirect is not followed', async () => {
    const rx = await startReceiver((_r, n) =>
      n === 1
        ? { status: 503 }
        : n === 2
          ? { status: 429 }
          : { status: 302, headers: { location: 'http://169.254.169.254/' } },
    );
    try {
      const send = () => webhookChannel.send(ctx({ url: rx.base }, { secret: 'x'.repeat(16) }), msg);
      await expect(send()).rejects.toMatchObject({ retryable: true, status: 503 });
      await expect(send()).rejects.toMatchObject({ retryable: true, status: 429 });
      await expect(send()).rejects.toMatchObject({
        retryable: false,
        message: expect.stringMatching(/redirect 302 not followed/),
      });
      expect(rx.requests).toHaveLength(3);
    } finally {
      await rx.close();
    }
  });
});

describe('Telegram channel (replayed Bot API)', () => {
  it('POSTs /bot<token>/sendMessage with chat_id and text', async () => {
    const rx = await startReceiver(() => ({ status: 200, body: answers.telegram['sendMessage.ok'] }));
    try {
      const token = '5123456789:AAH-abcdefghijklmnopqrstuvwxyz012345';
      await telegramChannel.send(
        ctx({ chatId: '-1001234567890', apiBase: rx.base }, { botToken: token }),
        msg,
      );
      const req = rx.requests[0]!;
      expect(req.method).toBe('POST');
      expect(req.url).toBe(`/bot${token}/sendMessage`);
      expect(req.headers['content-type']).toBe('application/json');
      const body = JSON.parse(req.body);
      expect(body.chat_id).toBe('-1001234567890');
      expect(body.text).toContain('NVDA');
      expect(body.text).toContain(msg.idempotencyKey);
    } finally {
      await rx.close();
    }
  });

  it('a 400 answer is permanent and its message never carries the bot token', async () => {
    const rx = await startReceiver(() => ({
      status: 400,
      body: answers.telegram['sendMessage.chatNotFound'],
    }));
    try {
      const token = '5123456789:AAH-abcdefghijklmnopqrstuvwxyz012345';
      const err = await telegramChannel
        .send(ctx({ chatId: '42', apiBase: rx.base }, { botToken: token }), msg)
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DeliveryError);
      expect((err as DeliveryError).retryable).toBe(false);
      expect((err as Error).message).toContain('chat not found');
      expect((err as Error).message).not.toContain(token);
    } finally {
      await rx.close();
    }
  });
});

describe('WeCom channel (replayed group-robot webhook)', () => {
  it('POSTs /cgi-bin/webhook/send?key= with a markdown message; errcode ≠ 0 is an error', async () => {
    const rx = await startReceiver((_r, n) => ({
      status: 200,
      body:
        n === 1
          ? answers.wecom['send.ok']
          : n === 2
            ? answers.wecom['send.rateLimited']
            : answers.wecom['send.invalidKey'],
    }));
    try {
      const c = ctx({ apiBase: rx.base }, { key: '693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa' });
      await wecomChannel.send(c, msg);
      const req = rx.requests[0]!;
      const url = new URL(req.url, rx.base);
      expect(url.pathname).toBe('/cgi-bin/webhook/send');
      expect(url.searchParams.get('key')).toBe('693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa');
      const body = JSON.parse(req.body);
      expect(body.msgtype).toBe('markdown');
      expect(body.markdown.content).toContain('price crosses above 130');
      await expect(wecomChannel.send(c, msg)).rejects.toMatchObject({
        retryable: true,
        message: expect.stringContaining('45009'),
      });
      await expect(wecomChannel.send(c, msg)).rejects.toMatchObject({
        retryable: false,
        message: expect.stringContaining('93000'),
      });
    } finally {
      await rx.close();
    }
  });
});

describe('DingTalk channel (replayed custom robot)', () => {
  it('signs timestamp+"\\n"+secret with HMAC-SHA256 in the query string; the receiver verifies it', async () => {
    const secret = 'SECb6b4e2f3a1d0c9e8f7a6b5c4d3e2f1a0';
    const rx = await startReceiver((req) => {
      const u = new URL(req.url, 'http://x');
      const ts = u.searchParams.get('timestamp') ?? '';
      const expected = createHmac('sha256', secret).update(`${ts}\n${secret}`).digest('base64');
      return {
        status: 200,
        body:
          u.searchParams.get('sign') === expected
            ? answers.dingtalk['send.ok']
            : answers.dingtalk['send.signMismatch'],
      };
    });
    try {
      await dingtalkChannel.send(
        ctx({ apiBase: rx.base }, { accessToken: 'a1b2c3d4e5f6a7b8c9d0', secret }),
        msg,
      );
      const req = rx.requests[0]!;
      // the raw query carries the base64 sign URL-encoded (+, / and = escaped), as the docs require
      expect(req.url).toMatch(
        /^\/robot\/send\?access_token=a1b2c3d4e5f6a7b8c9d0&timestamp=\d{13}&sign=[A-Za-z0-9%]+$/,
      );
      expect(JSON.parse(req.body)).toMatchObject({
        msgtype: 'markdown',
        markdown: { title: expect.stringContaining('NVDA') },
      });
      await expect(
        dingtalkChannel.send(
          ctx({ apiBase: rx.base }, { accessToken: 'a1b2c3d4e5f6a7b8c9d0', secret: `${secret}X` }),
          msg,
        ),
      ).rejects.toMatchObject({ retryable: false, message: expect.stringContaining('310000') });
    } finally {
      await rx.close();
    }
  });
});

describe('Feishu channel (replayed custom bot)', () => {
  it('POSTs /open-apis/bot/v2/hook/<id> with timestamp and sign in the body; the receiver verifies it', async () => {
    const secret = 'fs-secret-7Hq2wX';
    const rx = await startReceiver((req) => {
      const b = JSON.parse(req.body);
      const expected = createHmac('sha256', `${b.timestamp}\n${secret}`).update('').digest('base64');
      return {
        status: 200,
        body: b.sign === expected ? answers.feishu['hook.ok'] : answers.feishu['hook.signFail'],
      };
    });
    try {
      await feishuChannel.send(ctx({ apiBase: rx.base }, { hookId: '2d5ab7c0-1f3e-4e5a', secret }), msg);
      const req = rx.requests[0]!;
      expect(req.url).toBe('/open-apis/bot/v2/hook/2d5ab7c0-1f3e-4e5a');
      const body = JSON.parse(req.body);
      expect(body.timestamp).toMatch(/^\d{10}$/);
      expect(body.msg_type).toBe('text');
      expect(body.content.text).toContain('NVDA');
      await expect(
        feishuChannel.send(ctx({ apiBase: rx.base }, { hookId: '2d5ab7c0-1f3e-4e5a', secret: 'wrong' }), msg),
      ).rejects.toMatchObject({ retryable: false, message: expect.stringContaining('19021') });
    } finally {
      await rx.close();
    }
  });
});

describe('ntfy channel (replayed publish API)', () => {
  it('POSTs /<topic> with Title, Priority, Tags, Click and the bearer token', async () => {
    const rx = await startReceiver(() => ({ status: 200, body: answers.ntfy['publish.ok'] }));
    try {
      await ntfyChannel.send(
        ctx({ server: rx.base, topic: 'investiq-alerts', priority: 4 }, { token: 'tk_abcdefghijklmnop' }),
        { ...msg, title: '英伟达 突破 130' },
      );
      const req = rx.requests[0]!;
      expect(req.url).toBe('/investiq-alerts');
      expect(req.headers.priority).toBe('4');
      expect(req.headers.tags).toBe('investiq,alert_triggered');
      expect(req.headers.click).toBe(msg.link);
      expect(req.headers.authorization).toBe('Bearer tk_abcdefghijklmnop');
      // non-ASCII title: RFC 2047 encoded-word, which ntfy decodes
      const title = String(req.headers.title);
      expect(title.startsWith('=?UTF-8?B?')).toBe(true);
      expect(Buffer.from(title.slice(10, -2), 'base64').toString('utf8')).toBe('英伟达 突破 130');
      expect(req.body).toContain('Condition: price crosses above 130');
    } finally {
      await rx.close();
    }
  });

  it('a 403 from a protected topic is permanent', async () => {
    const rx = await startReceiver(() => ({ status: 403, body: answers.ntfy['publish.unauthorized'] }));
    try {
      await expect(
        ntfyChannel.send(ctx({ server: rx.base, topic: 't', priority: 3 }, { token: '' }), msg),
      ).rejects.toMatchObject({ retryable: false, status: 403 });
    } finally {
      await rx.close();
    }
  });
});

describe('e-mail channel (a real SMTP server in the test process)', () => {
  let server: SMTPServer;
  let port: number;
  const mails: { from: string; to: string[]; parsed: ParsedMail; user?: string }[] = [];

  beforeAll(async () => {
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      onAuth(auth, _s, cb) {
        if (auth.username === 'alerts' && auth.password === 'smtp-pass-1') cb(null, { user: auth.username });
        else cb(new Error('bad credentials'));
      },
      onData(stream, session, cb) {
        simpleParser(stream).then(
          (parsed) => {
            mails.push({
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              to: session.envelope.rcptTo.map((r) => r.address),
              parsed,
              ...(session.user ? { user: String(session.user) } : {}),
            });
            cb();
          },
          (err: Error) => cb(err),
        );
      },
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
  });

  const config = () => ({
    host: '127.0.0.1',
    port,
    secure: false,
    requireTls: false,
    username: 'alerts',
    from: 'investiq@example.org',
    to: ['ana@example.org', 'bo@example.org'],
  });

  it('delivers a mail the server receives and mailparser reads back', async () => {
    await emailChannel.send(ctx(config(), { password: 'smtp-pass-1' }), msg);
    expect(mails).toHaveLength(1);
    const m = mails[0]!;
    expect(m.user).toBe('alerts');
    expect(m.from).toBe('investiq@example.org');
    expect(m.to).toEqual(['ana@example.org', 'bo@example.org']);
    expect(m.parsed.subject).toBe('alert.triggered: US:NVDA');
    expect(m.parsed.text).toContain('Condition: price crosses above 130');
    expect(m.parsed.text).toContain('Price: 131.25');
    expect(m.parsed.messageId).toBe('<alert-42-2026-12-03T15_30@investiq.notifications>');
    expect(m.parsed.headers.get('x-investiq-idempotency-key')).toBe(msg.idempotencyKey);
  });

  it('wrong SMTP credentials are a permanent error', async () => {
    await expect(emailChannel.send(ctx(config(), { password: 'nope' }), msg)).rejects.toMatchObject({
      name: 'DeliveryError',
      retryable: false,
    });
  });

  it('an SMTP host on a private address is refused without the flag, before any connection', async () => {
    const before = mails.length;
    await expect(
      emailChannel.send(
        { ...ctx(config(), { password: 'smtp-pass-1' }), policy: { allowPrivate: false } },
        msg,
      ),
    ).rejects.toMatchObject({ retryable: false, message: expect.stringContaining('loopback') });
    expect(mails.length).toBe(before);
  });
});
