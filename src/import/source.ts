// Where an importer reads its input: a file, or an http(s) URL that passes the interlock (loopback,
// or a host in STRESS_ALLOWED_HOSTS), redirects included, so an import never reaches a host nobody
// allowed. Every failure is one line naming the file or URL (a UsageError: exit 2, no stack).
import { readFile } from 'node:fs/promises';
import { hostAllowed, parseAllowedHosts, resolveLocation, urlParts } from '../load-contract/interlock.js';
import { UsageError } from '../usage-error.js';

const MAX_REDIRECTS = 5;

function allowedUrl(url: string, command: string, allowed: readonly string[]): string {
  const parts = urlParts(url);
  if (!parts || (parts.protocol !== 'http' && parts.protocol !== 'https'))
    throw new UsageError(`${command}: ${url} is not an http(s) URL`);
  if (!hostAllowed(parts.host, allowed))
    throw new UsageError(
      `${command}: refusing to read ${url}: ${parts.host} is not loopback; add it to STRESS_ALLOWED_HOSTS if it is a host you own`,
    );
  return url;
}

/** The text at `url`, following redirects by hand, each checked against the interlock first. */
export async function fetchAllowed(
  url: string,
  command: string,
  allowedHosts = process.env.STRESS_ALLOWED_HOSTS,
  timeoutMs = 10_000,
): Promise<string> {
  const allowed = parseAllowedHosts(allowedHosts);
  let current = allowedUrl(url, command, allowed);
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    let res: Response;
    try {
      res = await fetch(current, {
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
        headers: { accept: 'text/plain;version=0.0.4' },
      });
    } catch (err) {
      const cause = (err as Error).cause instanceof Error ? ((err as Error).cause as Error).message : '';
      throw new UsageError(`${command}: cannot reach ${current}: ${cause || (err as Error).message}`);
    }
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location) {
      current = allowedUrl(resolveLocation(current, location), command, allowed);
      continue;
    }
    if (!res.ok) throw new UsageError(`${command}: cannot read ${current}: HTTP ${res.status}`);
    return res.text();
  }
  throw new UsageError(`${command}: more than ${MAX_REDIRECTS} redirects from ${url}`);
}

/** A file's text, or the URL's when `source` is one. */
export async function readSource(source: string, command: string): Promise<string> {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(source)) return fetchAllowed(source, command);
  try {
    return await readFile(source, 'utf8');
  } catch (err) {
    throw new UsageError(
      `${command}: cannot read ${source}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
}
