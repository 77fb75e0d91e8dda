import type { LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { DeliveryError } from './channels/types';
import { checkOutboundUrl, type OutboundPolicy } from './outbound-guard';

export interface OutboundResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/** Most of a vendor answer we read (they are small JSON objects); the rest is discarded. */
const MAX_RESPONSE_BYTES = 64 * 1024;

/**
 * One outbound HTTP(S) request through the outbound guard: the host is resolved and vetted first and the
 * socket is pinned to the vetted addresses (a custom `lookup`), so DNS rebinding between check and connect
 * cannot redirect it; TLS still verifies the certificate against the host name. Redirects are not followed
 * (a 3xx is a delivery error). A network error or 5xx/429 is retryable; another 4xx is not.
 */
export async function outboundRequest(
  rawUrl: string,
  init: { method?: string; headers?: Record<string, string>; body?: string | Buffer; timeoutMs: number },
  policy: OutboundPolicy,
): Promise<OutboundResponse> {
  let checked: Awaited<ReturnType<typeof checkOutboundUrl>>;
  try {
    checked = await checkOutboundUrl(rawUrl, policy);
  } catch (err) {
    throw new DeliveryError((err as Error).message, { retryable: false, cause: err });
  }
  const { url, addresses } = checked;
  const pinned = addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  const lookup = (
    _host: string,
    opts: { all?: boolean } | number,
    cb: (err: NodeJS.ErrnoException | null, a: string | LookupAddress[], f?: number) => void,
  ) => {
    if (typeof opts === 'object' && opts.all) cb(null, pinned);
    else cb(null, pinned[0]!.address, pinned[0]!.family);
  };
  const mod = url.protocol === 'https:' ? https : http;
  return new Promise<OutboundResponse>((resolve, reject) => {
    const req = mod.request(
      url,
      {
        method: init.method ?? 'POST',
        headers: init.headers,
        lookup: lookup as never,
        timeout: init.timeoutMs,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size <= MAX_RESPONSE_BYTES) chunks.push(c);
        });
        res.on('error', (err) =>
          reject(new DeliveryError(`response failed: ${err.message}`, { retryable: true })),
        );
        res.on('end', () => {
          const out = {
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          };
          if (out.status >= 300 && out.status < 400)
            reject(
              new DeliveryError(`redirect ${out.status} not followed`, {
                retryable: false,
                status: out.status,
              }),
            );
          else if (out.status >= 400)
            reject(
              new DeliveryError(`HTTP ${out.status}: ${out.text.slice(0, 200)}`, {
                retryable: out.status >= 500 || out.status === 429 || out.status === 408,
                status: out.status,
              }),
            );
          else resolve(out);
        });
      },
    );
    // a deadline for the whole exchange, not just idle gaps: a receiver that trickles bytes is cut off too
    const deadline = setTimeout(
      () => req.destroy(new Error(`no answer within ${init.timeoutMs} ms`)),
      init.timeoutMs,
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${init.timeoutMs} ms`)));
    req.on('error', (err) =>
      reject(new DeliveryError(`request failed: ${err.message}`, { retryable: true, cause: err })),
    );
    req.on('close', () => clearTimeout(deadline));
    req.end(init.body);
  });
}

/** Parse a vendor's JSON answer; a body that is not JSON is a (retryable) delivery error. */
export function jsonOf(res: OutboundResponse): Record<string, unknown> {
  try {
    const v = JSON.parse(res.text) as unknown;
    if (typeof v === 'object' && v !== null) return v as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new DeliveryError(`unexpected answer (not a JSON object): ${res.text.slice(0, 200)}`, {
    retryable: true,
  });
}
