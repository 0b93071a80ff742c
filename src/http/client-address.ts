// The client address a sign-in limit counts: an IPv4 address as it is, an IPv6 address by its /64
// (one subscriber's network hands out a whole /64, so single IPv6 addresses cost nothing to vary).

const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

const isIPv4 = (address: string) => IPV4.test(address);

/** The URL parser knows IPv6 literals (embedded IPv4 tails included) on both runtimes. */
function isIPv6(address: string): boolean {
  if (!address.includes(":")) return false;
  try {
    return new URL(`http://[${address}]/`).hostname.startsWith("[");
  } catch {
    return false;
  }
}

const IPV4_MAPPED = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

/** The eight 16-bit groups of an IPv6 address, "::" expanded (an embedded IPv4 tail kept whole). */
function groupsOf(address: string): string[] {
  const [head = "", tail] = address.split("::");
  const left = head ? head.split(":") : [];
  if (tail === undefined) return left;
  const right = tail ? tail.split(":") : [];
  return [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill("0"), ...right];
}

export function clientAddressKey(address: string): string {
  const bare = address.split("%")[0] ?? address; // an IPv6 zone id names an interface, not a client
  const mapped = IPV4_MAPPED.exec(bare)?.[1];
  if (mapped) return mapped;
  if (isIPv4(bare) || !isIPv6(bare)) return bare;
  const network = groupsOf(bare)
    .slice(0, 4)
    .map((group) => Number.parseInt(group, 16).toString(16));
  return `${network.join(":")}::/64`;
}
