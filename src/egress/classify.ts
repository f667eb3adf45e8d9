import ipaddr from 'ipaddr.js';

/** Why an address is not a public unicast address, in words for the timeline; ipaddr.js names the range. */
const REASONS: Record<string, string> = {
  unspecified: 'unspecified',
  broadcast: 'broadcast',
  multicast: 'multicast',
  linkLocal: 'link-local',
  loopback: 'loopback',
  carrierGradeNat: 'carrier-grade NAT (CGNAT)',
  private: 'private',
  uniqueLocal: 'unique-local (private)',
  reserved: 'reserved',
};

/** The cloud providers' instance metadata addresses, named as such in the reason. */
const METADATA = new Set(['169.254.169.254', '169.254.170.2', '100.100.100.200', 'fd00:ec2::254']);

export interface Classification {
  /** The address as the socket would connect to it (IPv4-mapped IPv6 unwrapped to IPv4). */
  address: string;
  /** ipaddr.js's range name: 'unicast' for a public address. */
  range: string;
  /** Why it is refused, or null for a public unicast address. */
  refusal: string | null;
}

/**
 * Classifies one IP address with ipaddr.js's `range()`: only public unicast passes. An IPv4-mapped IPv6
 * address (`::ffff:127.0.0.1`) is judged as the IPv4 address it carries; so are the other IPv6 forms that
 * embed one (NAT64, 6to4, Teredo), which are refused outright as they can reach an inner network.
 */
export function classifyAddress(raw: string): Classification {
  const text = raw.startsWith('[') && raw.endsWith(']') ? raw.slice(1, -1) : raw;
  if (!ipaddr.isValid(text)) return { address: text, range: 'invalid', refusal: 'not an IP address' };
  let addr = ipaddr.parse(text);
  if (addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress()) {
    addr = (addr as ipaddr.IPv6).toIPv4Address();
  }
  const address = addr.toString();
  const range = addr.range();
  if (range === 'unicast') return { address, range, refusal: null };
  const label = REASONS[range] ?? `special-purpose (${range})`;
  return { address, range, refusal: `${label}${METADATA.has(address) ? '/cloud metadata' : ''} address` };
}

/** The host as written in a URL or an allow-list, compared without brackets, case and IPv6 spelling. */
export function normalizeHost(host: string): string {
  const h = (host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host).toLowerCase().replace(/\.$/, '');
  if (h.includes(':') && ipaddr.IPv6.isValid(h)) return ipaddr.IPv6.parse(h).toString();
  return h;
}

/** Whether the host, exactly as named (not what it resolves to), is on the allow-list. */
export function isAllowed(host: string, allow: readonly string[]): boolean {
  const h = normalizeHost(host);
  return allow.some((a) => normalizeHost(a) === h);
}
