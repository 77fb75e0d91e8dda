import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { applySecurityHeaders, contentSecurityPolicy } from './headers';

describe('security headers', () => {
  it('sends a same-origin CSP (charts need only self, inline styles and data:/blob: images) and HSTS over HTTPS', async () => {
    const server = createServer((req, res) => {
      applySecurityHeaders(req, res, { dev: false });
      res.end('ok');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const plain = await fetch(base);
      const csp = plain.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).not.toContain('unsafe-eval');
      expect(csp).not.toMatch(/https?:\/\//); // no external origin allowed anywhere
      expect(plain.headers.get('x-content-type-options')).toBe('nosniff');
      expect(plain.headers.get('x-frame-options')).toBe('DENY');
      expect(plain.headers.get('strict-transport-security')).toBeNull();
      const https = await fetch(base, { headers: { 'x-forwarded-proto': 'https' } });
      expect(https.headers.get('strict-transport-security')).toContain('max-age=');
    } finally {
      server.close();
    }
    expect(contentSecurityPolicy({ dev: true })).toContain("'unsafe-eval'");
  });
});
