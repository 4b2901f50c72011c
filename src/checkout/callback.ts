/**
 * Where a result may be POSTed (Logic Apps' HTTP Webhook pattern): only https hosts on the
 * configured allowlist, never an address inside a private network. The identity this app runs
 * as can reach places a caller cannot; an open callback would let any caller use it to probe
 * them.
 */

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** `*.logic.azure.com` matches any subdomain; anything else must match exactly. */
export function hostAllowed(host: string, allowedHosts: readonly string[]): boolean {
  const name = host.toLowerCase();
  return allowedHosts.some((pattern) => {
    const p = pattern.toLowerCase();
    return p.startsWith('*.') ? name.endsWith(p.slice(1)) && name.length > p.length - 1 : name === p;
  });
}

export function callbackUrlProblem(value: string, allowedHosts: readonly string[]): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an absolute https URL';
  }
  if (url.username !== '' || url.password !== '') return 'must not carry credentials';
  if (url.hash !== '') return 'must not carry a fragment';
  const loopback = LOOPBACK_HOSTS.has(url.hostname);
  // Loopback only where listed by name (local runs and tests); private ranges never.
  if (loopback && !allowedHosts.includes(url.hostname)) return 'must not point at this machine';
  if (!loopback && isPrivateAddress(url.hostname.replace(/^\[|\]$/g, ''))) return 'must not point at a private or link-local address';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) return 'must be an https URL';
  if (!hostAllowed(url.hostname, allowedHosts)) {
    return `must be on an allowed host (CALLBACK_ALLOWED_HOSTS: ${allowedHosts.join(', ') || 'none'}), not ${url.hostname}`;
  }
  return undefined;
}

/** IPv4/IPv6 literals in loopback, private, link-local, CGNAT, unique-local or unspecified ranges. */
export function isPrivateAddress(address: string): boolean {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(address);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    return (
      a === 0 ||
      a === 10 ||
      a === 127 ||
      (a === 100 && b >= 64 && b <= 127) ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      a >= 224
    );
  }
  const v6 = address.toLowerCase();
  if (!v6.includes(':')) return false;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(v6);
  if (mapped) return isPrivateAddress(mapped[1]!);
  return v6 === '::' || v6 === '::1' || /^f[cd]/.test(v6) || /^fe[89ab]/.test(v6) || v6.startsWith('ff');
}
