// Who "one client" is, for rate limits and the connection cap: an IPv4 address, or an IPv6
// address's /64 prefix (one household, one hosting customer: a single /64 holds 2^64 addresses, so
// counting each would give one attacker endless budgets). IPv4-mapped IPv6 counts as IPv4.
// PROTOCOL.md §34.1. The result is only ever used in memory, behind an HMAC.
import { isIPv4, isIPv6 } from 'node:net';

/** The eight 16-bit groups of an IPv6 address, expanded ("::" filled in), without a zone. */
function groupsOf(address: string): string[] | null {
  const bare = address.split('%')[0]!;
  const [head, tail] = bare.includes('::') ? bare.split('::') as [string, string] : [bare, undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  // An embedded IPv4 tail (a.b.c.d) is two groups.
  const last = (tail !== undefined ? right : left).at(-1);
  if (last && isIPv4(last)) {
    const [a, b, c, d] = last.split('.').map(Number) as [number, number, number, number];
    const list = tail !== undefined ? right : left;
    list.splice(-1, 1, ((a << 8) | b).toString(16), ((c << 8) | d).toString(16));
  }
  const fill = tail !== undefined ? 8 - left.length - right.length : 0;
  const groups = [...left, ...Array<string>(Math.max(fill, 0)).fill('0'), ...right];
  return groups.length === 8 ? groups.map((g) => (parseInt(g, 16) || 0).toString(16)) : null;
}

export function clientKey(ip: string | undefined): string {
  if (!ip) return 'unknown';
  if (isIPv4(ip)) return ip;
  if (!isIPv6(ip)) return ip;
  const groups = groupsOf(ip);
  if (!groups) return ip;
  // ::ffff:a.b.c.d (IPv4-mapped): the IPv4 client it is.
  if (groups.slice(0, 5).every((g) => g === '0') && groups[5] === 'ffff') {
    const hi = parseInt(groups[6]!, 16);
    const lo = parseInt(groups[7]!, 16);
    return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  }
  return `${groups.slice(0, 4).join(':')}::/64`;
}
