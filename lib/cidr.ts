/** An IPv4 CIDR block as numbers: the network address as an unsigned 32-bit value, and the prefix. */
export interface Ipv4Cidr {
  readonly address: number;
  readonly prefix: number;
}

/** Parses `a.b.c.d/n`; undefined when it is not a well-formed IPv4 CIDR (octets <= 255, prefix <= 32). */
export function parseIpv4Cidr(text: string): Ipv4Cidr | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text);
  if (!match) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  return { address: octets.reduce((acc, o) => acc * 256 + o, 0), prefix };
}
