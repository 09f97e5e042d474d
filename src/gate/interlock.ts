// The safety interlock for commands: the TARGET_URL check. The rule itself (loopback, or a host listed
// in STRESS_ALLOWED_HOSTS; redirects included) is in load/lib/interlock.ts, shared with the k6 bundle.
import { hostAllowed, InterlockError, parseAllowedHosts, refusal } from '../../load/lib/interlock.js';

export { InterlockError } from '../../load/lib/interlock.js';

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
  if (hostAllowed(url.hostname, parseAllowedHosts(allowedHosts))) return url;
  throw new InterlockError(refusal(url.hostname, variable));
}

/** The allowed hosts the runners check redirects against. */
export const allowedHosts = (text = process.env.STRESS_ALLOWED_HOSTS): string[] => parseAllowedHosts(text);
