import { describe, expect, it } from 'vitest';
import { startReceiver } from '../test-support/http-receiver';
import { checkOutboundUrl, OutboundRefusedError, resolveOutbound } from './outbound-guard';
import { outboundRequest } from './outbound-http';

const deny = { allowPrivate: false };
// DNS answers are injected: the guard's decision is about the addresses a name resolves to
const dns = (map: Record<string, string[]>) => ({
  allowPrivate: false,
  resolve: async (h: string) => {
    const a = map[h];
    if (!a) throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
    return a;
  },
});

describe('outbound guard', () => {
  it.each([
    ['http://127.0.0.1/', 'loopback'],
    ['http://2130706433/', 'loopback'], // decimal form of 127.0.0.1
    ['http://0x7f.0.0.1/', 'loopback'], // hex form
    ['http://017700000001/', 'loopback'], // octal form
    ['http://[::1]/', 'loopback'],
    ['http://[::ffff:127.0.0.1]/', 'loopback'], // IPv4-mapped IPv6
    ['http://[::ffff:a9fe:a9fe]/', 'linkLocal'], // mapped 169.254.169.254
    ['http://169.254.169.254/latest/meta-data/', 'linkLocal'], // cloud metadata
    ['http://[fd00:ec2::254]/', 'uniqueLocal'], // AWS IPv6 metadata
    ['http://10.0.0.5/', 'private'],
    ['http://192.168.1.20:8080/', 'private'],
    ['http://172.16.3.4/', 'private'],
    ['http://100.100.100.200/', 'carrierGradeNat'], // Alibaba metadata
    ['http://0.0.0.0/', 'unspecified'],
    ['http://[fe80::1]/', 'linkLocal'],
    ['http://[64:ff9b::7f00:1]/', 'rfc6052'], // NAT64 embedding of 127.0.0.1
  ])('refuses %s (%s)', async (url, range) => {
    const err = await checkOutboundUrl(url, deny).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OutboundRefusedError);
    expect((err as Error).message).toContain(`(${range})`);
  });

  it('refuses names that resolve to a private address, and names with any private address among public ones', async () => {
    const policy = dns({
      'ntfy.lan': ['192.168.1.9'],
      'mixed.example': ['93.184.216.34', '127.0.0.1'],
      localhost: ['::1'],
    });
    await expect(resolveOutbound('ntfy.lan', policy)).rejects.toThrow(/192\.168\.1\.9 \(private\)/);
    await expect(resolveOutbound('mixed.example', policy)).rejects.toThrow(/127\.0\.0\.1/);
    await expect(resolveOutbound('localhost', policy)).rejects.toThrow(/loopback/);
  });

  it('lets public addresses through and returns them to pin the connection', async () => {
    const policy = dns({ 'hooks.example': ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'] });
    expect(await resolveOutbound('hooks.example', policy)).toEqual([
      '93.184.216.34',
      '2606:2800:220:1:248:1893:25c8:1946',
    ]);
    expect(await resolveOutbound('8.8.8.8', deny)).toEqual(['8.8.8.8']);
  });

  it('allows private destinations only with the flag', async () => {
    expect(
      await resolveOutbound('ntfy.lan', { ...dns({ 'ntfy.lan': ['192.168.1.9'] }), allowPrivate: true }),
    ).toEqual(['192.168.1.9']);
  });

  it('refuses other schemes and credentials in the URL', async () => {
    await expect(checkOutboundUrl('file:///etc/passwd', { allowPrivate: true })).rejects.toThrow(
      /scheme file:/,
    );
    await expect(checkOutboundUrl('gopher://x/', { allowPrivate: true })).rejects.toThrow(/scheme/);
    await expect(checkOutboundUrl('http://u:p@8.8.8.8/', deny)).rejects.toThrow(/credentials/);
  });

  it('without the flag a request to a local receiver is refused and never reaches it', async () => {
    const rx = await startReceiver(() => ({ status: 200 }));
    try {
      await expect(
        outboundRequest(`${rx.base}/x`, { body: '{}', timeoutMs: 2_000 }, deny),
      ).rejects.toMatchObject({
        name: 'DeliveryError',
        retryable: false,
      });
      expect(rx.requests).toHaveLength(0);
      // the same request with the flag arrives
      await outboundRequest(`${rx.base}/x`, { body: '{}', timeoutMs: 2_000 }, { allowPrivate: true });
      expect(rx.requests).toHaveLength(1);
    } finally {
      await rx.close();
    }
  });

  it('connects to the vetted address, not to a second DNS answer (rebinding)', async () => {
    const rx = await startReceiver(() => ({ status: 200 }));
    try {
      let calls = 0;
      // first answer: the local receiver; any later lookup would say 10.255.255.1 (unroutable here)
      const policy = {
        allowPrivate: true,
        resolve: async () => (++calls === 1 ? ['127.0.0.1'] : ['10.255.255.1']),
      };
      const port = new URL(rx.base).port;
      await outboundRequest(`http://rebind.test:${port}/x`, { body: '{}', timeoutMs: 2_000 }, policy);
      expect(calls).toBe(1);
      expect(rx.requests[0]?.headers.host).toBe(`rebind.test:${port}`);
    } finally {
      await rx.close();
    }
  });
});
