/**
 * Pure addressing: which availability zones and which CIDR blocks the private subnets get. Names
 * are computed rather than read from `data aws_availability_zones`, so that the plan is the same
 * whatever the caller's credentials and the tests can see the zones; the table below carries the
 * regions whose zone letters are not a, b, c, ….
 */
import { Ipv4Cidr, parseIpv4Cidr } from "../../lib/cidr";
import { ConfigValidationError } from "../../lib/validation";

/** Zone letters that exist in every account, where they are not simply a, b, c, …. */
export const ZONE_LETTERS_BY_REGION: Readonly<Record<string, string>> = {
  "us-east-1": "abcdef",
  "us-west-1": "bc",
  "us-west-2": "abcd",
  "ap-northeast-1": "acd",
  "ap-northeast-2": "abcd",
  "ca-central-1": "abd",
};
const DEFAULT_ZONE_LETTERS = "abc";

/** The zones of `region` subnets may be placed in, in order (environment validation reads this too). */
export function availabilityZonesOf(region: string): string[] {
  return [...(ZONE_LETTERS_BY_REGION[region] ?? DEFAULT_ZONE_LETTERS)].map((letter) => `${region}${letter}`);
}

/** `count` distinct zone names of the region, in order; throws when the region has fewer. */
export function availabilityZoneNames(region: string, count: number): string[] {
  const letters = ZONE_LETTERS_BY_REGION[region] ?? DEFAULT_ZONE_LETTERS;
  if (!Number.isInteger(count) || count < 1 || count > letters.length) {
    throw new ConfigValidationError("Invalid network configuration", [
      {
        path: "network.availabilityZones",
        value: count,
        message: `must be between 1 and ${letters.length}: region ${region} offers the zones ${[...letters].map((l) => region + l).join(", ")}`,
      },
    ]);
  }
  return [...letters.slice(0, count)].map((letter) => `${region}${letter}`);
}

function parseCidr(cidr: string): Ipv4Cidr {
  const parsed = parseIpv4Cidr(cidr);
  if (!parsed) {
    throw new ConfigValidationError("Invalid network configuration", [{ path: "network.cidr", value: cidr, message: "must be an IPv4 CIDR block like 10.20.0.0/16" }]);
  }
  return parsed;
}

function formatAddress(address: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256).join(".");
}

/** Extra prefix bits per subnet: room for 16 subnets, so that zones can be added without renumbering. */
export const SUBNET_EXTRA_BITS = 4;
/** AWS's smallest subnet. */
const MAX_SUBNET_PREFIX = 28;

/**
 * The VPC split into equal blocks (prefix + 4, at most /28): private subnets take blocks 0..n-1,
 * the public subnet (NAT only) the last block, so that adding a zone never moves an existing one.
 */
export function subnetCidrs(vpcCidr: string, privateCount: number): { private: string[]; public: string } {
  const { address, prefix } = parseCidr(vpcCidr);
  const subnetPrefix = Math.min(prefix + SUBNET_EXTRA_BITS, MAX_SUBNET_PREFIX);
  const blocks = 2 ** (subnetPrefix - prefix);
  if (privateCount + 1 > blocks) {
    throw new ConfigValidationError("Invalid network configuration", [
      { path: "network.availabilityZones", value: privateCount, message: `needs ${privateCount + 1} subnets but ${vpcCidr} holds only ${blocks} /${subnetPrefix} blocks; use a larger CIDR` },
    ]);
  }
  const size = 2 ** (32 - subnetPrefix);
  const block = (index: number) => `${formatAddress(address + index * size)}/${subnetPrefix}`;
  return { private: Array.from({ length: privateCount }, (_, i) => block(i)), public: block(blocks - 1) };
}
