// The safety interlock for commands: the contract's rule (src/load-contract/interlock.ts, shared with
// the k6 bundle and the Kubernetes manifests) with the hosts allowed by STRESS_ALLOWED_HOSTS.
import { assertTargetUrl, parseAllowedHosts } from '../load-contract/interlock.js';

/**
 * Returns the URL when its host is loopback or listed in `allowedHosts` (comma-separated, as in
 * STRESS_ALLOWED_HOSTS); throws otherwise, naming the variable to set. `variable` names the setting
 * the URL came from in messages (TARGET_URL for load, BASE_URL for the browser journeys).
 */
export function assertTargetAllowed(
  target: string,
  allowedHosts = process.env.STRESS_ALLOWED_HOSTS ?? '',
  variable = 'TARGET_URL',
  action = 'send load to',
): URL {
  return assertTargetUrl(target, parseAllowedHosts(allowedHosts), variable, action);
}

/** The allowed hosts the runners check redirects against. */
export const allowedHosts = (text = process.env.STRESS_ALLOWED_HOSTS): string[] => parseAllowedHosts(text);
