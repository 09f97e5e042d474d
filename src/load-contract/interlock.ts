// The safety interlock's rule, free of Node so the k6 bundle applies the very same one: load only
// ever goes to loopback unless a host is explicitly allowed (STRESS_ALLOWED_HOSTS), and that holds
// for every redirect too, so nobody load-tests production by accident or by a 307. The commands read
// STRESS_ALLOWED_HOSTS in src/gate/interlock.ts; the Kubernetes manifests name theirs.

export class InterlockError extends Error {
  override name = 'InterlockError';
}

const IPV4_LOOPBACK = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const IPV6_LOOPBACK = /^(?:0{0,4}:){0,7}:?0{0,3}1$/;

export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost') return true;
  const v4 = IPV4_LOOPBACK.exec(h);
  if (v4) return v4.slice(1).every((o) => Number(o) <= 255);
  return h.includes(':') && IPV6_LOOPBACK.test(h) && h.replace(/[:0]/g, '') === '1';
}

/** `STRESS_ALLOWED_HOSTS` text → lower-case host names. */
export const parseAllowedHosts = (text: string | undefined): string[] =>
  (text ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);

export const hostAllowed = (host: string, allowed: readonly string[]): boolean =>
  isLoopbackHost(host) || allowed.includes(host.replace(/^\[|\]$/g, '').toLowerCase());

export interface UrlParts {
  readonly protocol: string;
  readonly host: string;
  /** scheme://host[:port] */
  readonly origin: string;
}

/** Scheme and host of an absolute URL, without the URL global (k6 v0.48 has none). */
export function urlParts(url: string): UrlParts | undefined {
  const m = /^([a-z][a-z0-9+.-]*):\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^/:?#]*)(?::(\d*))?/i.exec(url);
  if (!m) return undefined;
  const protocol = m[1]!.toLowerCase();
  const host = m[2]!.toLowerCase();
  return { protocol, host, origin: `${protocol}://${host}${m[3] ? `:${m[3]}` : ''}` };
}

/** Refusal text naming the variable to set. */
export function refusal(host: string, what: string, action = 'send load to'): string {
  return `refusing to ${action} ${host} (${what}): only loopback is allowed by default. If ${host} is a staging host you own, add it to STRESS_ALLOWED_HOSTS.`;
}

/** Throws InterlockError unless `url` is http(s) to loopback or an allowed host. */
export function assertUrlAllowed(url: string, allowed: readonly string[], what: string): UrlParts {
  const parts = urlParts(url);
  if (!parts) throw new InterlockError(`${what}: "${url}" is not an absolute URL`);
  if (parts.protocol !== 'http' && parts.protocol !== 'https' && parts.protocol !== 'ws' && parts.protocol !== 'wss') {
    throw new InterlockError(`${what}: only http(s) is allowed, not ${parts.protocol}:`);
  }
  if (!hostAllowed(parts.host, allowed)) throw new InterlockError(refusal(parts.host, what));
  return parts;
}

/** Resolves a Location header against the URL that answered with it. */
export function resolveLocation(from: string, location: string): string {
  if (urlParts(location)) return location;
  const base = urlParts(from);
  if (!base) throw new InterlockError(`cannot resolve redirect "${location}" against "${from}"`);
  if (location.startsWith('//')) return `${base.protocol}:${location}`;
  if (location.startsWith('/')) return `${base.origin}${location}`;
  const path = from.slice(base.origin.length).replace(/[?#].*$/, '');
  return `${base.origin}${path.slice(0, path.lastIndexOf('/') + 1) || '/'}${location}`;
}

/**
 * A run's target (TARGET_URL, BASE_URL, a TestRun's target): the URL when it is http(s) to loopback
 * or an allowed host; throws InterlockError otherwise, naming the setting `variable` it came from.
 * Uses the URL global, so it is for Node-side callers (the bundle checks URLs with assertUrlAllowed).
 */
export function assertTargetUrl(
  target: string,
  allowed: readonly string[],
  variable: string,
  action = 'send load to',
): URL {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new InterlockError(`${variable} "${target}" is not a URL (expected e.g. http://127.0.0.1:18080)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new InterlockError(`${variable} must be http(s), not ${url.protocol}`);
  if (hostAllowed(url.hostname, allowed)) return url;
  throw new InterlockError(refusal(url.hostname, variable, action));
}
