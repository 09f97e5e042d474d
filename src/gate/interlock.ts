// The safety interlock: load only ever goes to loopback unless a host is explicitly allowed, so
// nobody load-tests production by accident.
import { isIP } from 'node:net';

export class InterlockError extends Error {
  override name = 'InterlockError';
}

function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1';
  return false;
}

/**
 * Returns the URL when its host is loopback or listed in `allowedHosts` (comma-separated, as in
 * STRESS_ALLOWED_HOSTS); throws otherwise, naming the variable to set. `variable` names the setting
 * the URL came from in messages (TARGET_URL for load, BASE_URL for the browser journeys).
 */
export function assertTargetAllowed(target: string, allowedHosts = process.env.STRESS_ALLOWED_HOSTS ?? '', variable = 'TARGET_URL'): URL {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new InterlockError(`${variable} "${target}" is not a URL (expected e.g. http://127.0.0.1:18080)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InterlockError(`${variable} must be http(s), not ${url.protocol}`);
  const allowed = allowedHosts.split(',').map((h) => h.trim().toLowerCase()).filter(Boolean);
  if (isLoopback(url.hostname) || allowed.includes(url.hostname.toLowerCase())) return url;
  throw new InterlockError(
    `refusing to send load to ${url.hostname}: only loopback is allowed by default. ` +
      `If ${url.hostname} is a staging host you own, add it to STRESS_ALLOWED_HOSTS.`,
  );
}
