import type { IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';

/**
 * Which reverse proxies in front of us are trusted (`TRUST_PROXY`): false = none (the socket address is
 * the client); a number n = the n hops nearest to us are proxies (`true` = 1); a list = the proxies'
 * addresses/CIDRs (and proxy-addr's names `loopback`, `linklocal`, `uniquelocal`). The client is the first
 * untrusted address walking X-Forwarded-For from the right, so entries a client prepends are never used.
 */
export type TrustProxy = boolean | number | string[];

type TrustFn = (addr: string, i: number) => boolean;

/** Parse and validate a TRUST_PROXY value; throws a message naming the problem. */
export function parseTrustProxy(raw: string): TrustProxy {
  const v = raw.trim().toLowerCase();
  if (v === '' || v === 'false' || v === 'no' || v === '0') return false;
  if (v === 'true' || v === 'yes') return 1;
  if (/^\d+$/.test(v)) {
    const n = Number(v);
    if (n > 20) throw new Error('TRUST_PROXY: a hop count must be 0…20');
    return n;
  }
  const list = v
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  try {
    proxyaddr.compile(list);
  } catch (err) {
    throw new Error(
      `TRUST_PROXY: ${(err as Error).message}; use false, a hop count, or proxy addresses/CIDRs separated by commas`,
    );
  }
  return list;
}

const compiled = new Map<string, TrustFn>();

function trustFn(trust: TrustProxy | undefined): TrustFn {
  const key = JSON.stringify(trust ?? false);
  let fn = compiled.get(key);
  if (!fn) {
    if (trust === undefined || trust === false || trust === 0) fn = () => false;
    else if (trust === true) fn = (_a, i) => i < 1;
    else if (typeof trust === 'number') fn = (_a, i) => i < trust;
    else fn = proxyaddr.compile(trust);
    compiled.set(key, fn);
  }
  return fn;
}

const bare = (a: string) => a.replace(/^::ffff:/, '');

/** The client's IP: the socket address, or the X-Forwarded-For entry the trusted proxies vouch for. */
export function clientIp(req: IncomingMessage, trust: TrustProxy | undefined): string {
  if (!req.socket.remoteAddress) return 'unknown';
  return bare(proxyaddr(req, trustFn(trust))).slice(0, 64);
}

/** Did this request reach us through a trusted proxy (so its X-Forwarded-* headers may be believed)? */
export function fromTrustedProxy(req: IncomingMessage, trust: TrustProxy | undefined): boolean {
  const a = req.socket.remoteAddress;
  return a !== undefined && trustFn(trust)(bare(a), 0);
}
