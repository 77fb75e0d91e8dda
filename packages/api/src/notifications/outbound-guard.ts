import { lookup as dnsLookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';

/**
 * Which outbound destinations a notification may reach. Only globally routable unicast addresses pass;
 * loopback, private (RFC 1918), link-local (cloud metadata 169.254.169.254), CGNAT (100.64/10, incl.
 * Alibaba's 100.100.100.200), unique-local IPv6 (AWS fd00:ec2::254), multicast, reserved, NAT64/6to4/Teredo
 * embeddings and the unspecified address are refused unless private destinations are explicitly allowed
 * (admin setting `notifications.outbound` or OUTBOUND_ALLOW_PRIVATE=true). Classification is ipaddr.js's
 * range table; IPv4-mapped IPv6 (::ffff:127.0.0.1) is unwrapped first.
 */
export class OutboundRefusedError extends Error {
  override readonly name = 'OutboundRefusedError';
}

export interface OutboundPolicy {
  allowPrivate: boolean;
  /** Injected for tests; defaults to the system resolver (all addresses). */
  resolve?: (host: string) => Promise<string[]>;
}

/** The ipaddr.js range of an address, after unwrapping IPv4-mapped IPv6. */
export function addressRange(address: string): string {
  const parsed = ipaddr.process(address);
  return parsed.range();
}

/** Global unicast only: ipaddr.js names every special-purpose block, and 'unicast' is what is left. */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  return addressRange(address) === 'unicast';
}

/**
 * The host as an IP literal when it is one. WHATWG URL parsing already turns decimal/hex/octal/short IPv4
 * forms (http://2130706433/, http://0x7f.1/) into dotted quads and brackets IPv6; this strips the brackets.
 */
function literalOf(hostname: string): string | null {
  const h = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  return ipaddr.isValid(h) && (h.includes(':') || ipaddr.IPv4.isValidFourPartDecimal(h)) ? h : null;
}

/** Normalise a bare host name (SMTP host) the way a URL would: `0x7f.1` → `127.0.0.1`. */
export function normaliseHost(host: string): string {
  try {
    const h = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
    return new URL(`http://${h}/`).hostname;
  } catch {
    throw new OutboundRefusedError(`'${host}' is not a valid host name`);
  }
}

const systemResolve = async (host: string) =>
  (await dnsLookup(host, { all: true, verbatim: true })).map((a) => a.address);

/**
 * Resolve `hostname` (every address) and refuse it when any address is not public (a name with one public
 * and one private address is refused: which one a connect would use is not ours to pick). Returns the
 * addresses to connect to; callers pin the connection to them so a second DNS answer (rebinding) is never
 * used.
 */
export async function resolveOutbound(hostname: string, policy: OutboundPolicy): Promise<string[]> {
  const host = normaliseHost(hostname);
  const literal = literalOf(host);
  let addresses: string[];
  if (literal) addresses = [literal];
  else {
    try {
      addresses = await (policy.resolve ?? systemResolve)(host);
    } catch (err) {
      throw new OutboundRefusedError(`cannot resolve ${host}: ${(err as NodeJS.ErrnoException).code ?? err}`);
    }
    if (addresses.length === 0) throw new OutboundRefusedError(`${host} has no addresses`);
  }
  if (!policy.allowPrivate) {
    const blocked = addresses.find((a) => !isPublicAddress(a));
    if (blocked)
      throw new OutboundRefusedError(
        `${host} resolves to ${blocked} (${ipaddr.isValid(blocked) ? addressRange(blocked) : 'invalid'}), ` +
          'a loopback/private/link-local address; an admin may allow private destinations ' +
          '(setting notifications.outbound or OUTBOUND_ALLOW_PRIVATE=true)',
      );
  }
  // an IPv4-mapped answer connects as IPv4
  return addresses.map((a) => ipaddr.process(a).toString());
}

/** Check an outbound URL (scheme and destination) and return it parsed with its vetted addresses. */
export async function checkOutboundUrl(
  raw: string,
  policy: OutboundPolicy,
): Promise<{ url: URL; addresses: string[] }> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new OutboundRefusedError('not a valid URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new OutboundRefusedError(`scheme ${url.protocol} is not allowed (http or https only)`);
  if (url.username || url.password)
    throw new OutboundRefusedError('credentials in the URL are not allowed; use the channel secret');
  return { url, addresses: await resolveOutbound(url.hostname, policy) };
}
