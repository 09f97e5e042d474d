// The reference web client (reference-app/web/, docs/ui-contract.md): bundled in memory with esbuild
// when the app starts (deterministic: same sources and flags, same bytes) and served with the shell
// page on every client route, so a deep link or reload of /posts/12 works.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { build } from 'esbuild';
import type { FastifyInstance } from 'fastify';
import { WEB_CLIENT_BUNDLE, WEB_CLIENT_ROUTES } from '../../src/platform.js';
import { HttpError } from './errors.js';

export const WEB_DIR = resolve(import.meta.dirname, '../web');
const ROOT = resolve(WEB_DIR, '../..');

/** Build flags (reference-app/web/src/flags.ts). notificationPush=false exists only for the e2e self-test. */
export interface WebFlags {
  readonly notificationPush: boolean;
}
export const DEFAULT_WEB_FLAGS: WebFlags = { notificationPush: true };

/** The client routes (docs/ui-contract.md); each serves the same page, the client picks the view. */
export const CLIENT_ROUTES = WEB_CLIENT_ROUTES;
export const BUNDLE_PATH = WEB_CLIENT_BUNDLE;

export interface WebClient {
  readonly html: string;
  readonly js: string;
  /** sha256 of the bundle: the ETag, and what proves two builds identical. */
  readonly digest: string;
}

export async function buildWebClient(flags: WebFlags = DEFAULT_WEB_FLAGS): Promise<WebClient> {
  const result = await build({
    entryPoints: [resolve(WEB_DIR, 'src/main.ts')],
    absWorkingDir: ROOT,
    bundle: true,
    write: false,
    format: 'iife',
    target: 'es2022',
    platform: 'browser',
    charset: 'utf8',
    legalComments: 'none',
    logLevel: 'error',
    define: { __WEB_FLAGS__: JSON.stringify(flags) },
  });
  const js = result.outputFiles[0]!.text;
  const html = await readFile(resolve(WEB_DIR, 'index.html'), 'utf8');
  return { html, js, digest: createHash('sha256').update(js).digest('hex') };
}

/** Registers the page and bundle routes; `client()` is read per request (the bundle is built at start). */
export function webRoutes(http: FastifyInstance, client: () => WebClient | undefined): void {
  const ready = () => {
    const c = client();
    if (!c) throw new HttpError(503, 'starting', 'the web client is being built; retry');
    return c;
  };
  for (const url of CLIENT_ROUTES) {
    http.get(url, async (_req, reply) =>
      reply.header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-cache').send(ready().html),
    );
  }
  http.get(BUNDLE_PATH, async (req, reply) => {
    const c = ready();
    const etag = `"${c.digest.slice(0, 32)}"`;
    reply
      .header('etag', etag)
      .header('cache-control', 'no-cache')
      .header('content-type', 'text/javascript; charset=utf-8');
    if (req.headers['if-none-match'] === etag) return reply.code(304).send();
    return reply.send(c.js);
  });
}
