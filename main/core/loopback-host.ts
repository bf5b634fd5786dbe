import { BlockList, isIPv4, isIPv6 } from 'node:net';

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

/**
 * Whether a URL's hostname names this machine: `localhost`, 127.0.0.0/8 or ::1 (IPv4-mapped
 * forms included). WHATWG URL parsing has already turned `127.1` or `0x7f.0.0.1` into dotted
 * quads and wrapped IPv6 in brackets; any other name could resolve anywhere, so it is not.
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (host === 'localhost') return true;
  if (isIPv4(host)) return loopback.check(host, 'ipv4');
  if (isIPv6(host)) return loopback.check(host, 'ipv6');
  return false;
}
