// Which addresses a fetch for a Webmention may reach: public ones only. A source or an endpoint
// on a private, loopback or link-local address would let anyone make this server read its own
// network (SSRF). IPv4-mapped and IPv4-compatible IPv6 addresses are judged as the IPv4 they carry.
import net from 'node:net';

const blockedV4 = new net.BlockList();
for (const [prefix, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  blockedV4.addSubnet(prefix, bits, 'ipv4');
}

const blockedV6 = new net.BlockList();
for (const [prefix, bits] of [
  ['::', 128],
  ['::1', 128],
  ['100::', 64],
  ['2001:db8::', 32],
  // 6to4 and NAT64 carry an IPv4 address that could be anyone's: refused rather than decoded.
  ['2002::', 16],
  ['64:ff9b::', 96],
  ['64:ff9b:1::', 48],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const) {
  blockedV6.addSubnet(prefix, bits, 'ipv6');
}

/** The eight 16-bit groups of an IPv6 address (valid per net.isIPv6), its last group possibly dotted IPv4. */
function groupsOf(address: string): number[] {
  const plain = address.split('%')[0] as string;
  let head = plain;
  const tail: number[] = [];
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(plain);
  if (dotted) {
    const bytes = (dotted[1] as string).split('.').map(Number);
    tail.push(((bytes[0] as number) << 8) | (bytes[1] as number), ((bytes[2] as number) << 8) | (bytes[3] as number));
    head = plain.slice(0, -(dotted[1] as string).length).replace(/:$/, ':');
    if (head.endsWith(':') && !head.endsWith('::')) head = head.slice(0, -1);
  }
  const [left = '', right] = head.split('::');
  const parse = (s: string) => (s === '' ? [] : s.split(':').map((g) => Number.parseInt(g, 16)));
  const l = parse(left);
  const r = right === undefined ? [] : parse(right);
  const fill = 8 - tail.length - l.length - r.length;
  return [...l, ...Array(right === undefined ? 0 : fill).fill(0), ...r, ...tail];
}

/** The IPv4 address an IPv6 one carries as ::ffff:a.b.c.d (mapped) or ::a.b.c.d (compatible), else null. */
export function embeddedIPv4(address: string): string | null {
  const g = groupsOf(address);
  if (g.length !== 8 || g.slice(0, 5).some((x) => x !== 0)) return null;
  if (g[5] !== 0xffff && g[5] !== 0) return null;
  if (g[5] === 0 && g[6] === 0) return null; // :: and ::1 are IPv6's own
  const [hi, lo] = [g[6] as number, g[7] as number];
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

/** True when the address is a public unicast one, on the Internet at large. */
export function isPublicAddress(address: string): boolean {
  const family = net.isIP(address);
  if (family === 4) return !blockedV4.check(address, 'ipv4');
  if (family !== 6) return false;
  const v4 = embeddedIPv4(address);
  if (v4 !== null) return !blockedV4.check(v4, 'ipv4');
  return !blockedV6.check(address.split('%')[0] as string, 'ipv6');
}
