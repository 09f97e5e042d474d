// Redirects, followed by hand in both runners: fetch and k6 are told never to follow one, and every
// Location is checked against the interlock before anything is sent there. A redirect to a refused
// host throws, so the iteration fails loudly and the verdict names it.
import { assertUrlAllowed, InterlockError, resolveLocation, urlParts } from '../../src/load-contract/interlock.js';

export interface RawResponse {
  readonly status: number;
  /** The Location header of a 3xx answer. */
  readonly location?: string;
  readonly body: unknown;
}

/** One request, without following redirects. */
export type Send = (
  method: string,
  url: string,
  body: string | null,
  headers: Record<string, string>,
) => Promise<RawResponse>;

export const MAX_REDIRECTS = 5;

const isRedirect = (r: RawResponse) => r.status >= 300 && r.status < 400 && r.status !== 304 && !!r.location;

export async function sendWithCheckedRedirects(
  send: Send,
  method: string,
  url: string,
  body: string | null,
  headers: Record<string, string>,
  allowedHosts: readonly string[],
): Promise<RawResponse> {
  let res = await send(method, url, body, headers);
  for (let hop = 1; isRedirect(res); hop++) {
    if (hop > MAX_REDIRECTS) throw new InterlockError(`more than ${MAX_REDIRECTS} redirects starting at ${url}`);
    const next = resolveLocation(url, res.location!);
    assertUrlAllowed(next, allowedHosts, `redirect ${res.status} from ${urlParts(url)?.host ?? url}`);
    // Credentials never travel to another origin; 303 (and 301/302 after a non-GET) become a GET.
    if (urlParts(next)?.origin !== urlParts(url)?.origin) {
      const { authorization: _dropped, ...rest } = headers;
      headers = rest;
    }
    if (res.status === 303 || ((res.status === 301 || res.status === 302) && method !== 'GET' && method !== 'HEAD')) {
      method = 'GET';
      body = null;
    }
    url = next;
    res = await send(method, url, body, headers);
  }
  return res;
}
