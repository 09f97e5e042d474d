// Bundles the k6 entry with esbuild: CommonJS, es2020, k6 modules left to k6, the SLO thresholds
// injected from src/slos/ so the bundle carries no copy of them.
import { build } from 'esbuild';
import { resolve } from 'node:path';
import { sloLoadMap } from './thresholds.js';

/**
 * The WebSocket module's name is the one thing that differs between k6 versions:
 * `k6/experimental/websockets` from v0.48, `k6/websockets` (stable) from v1.6.
 */
export const WS_MODULES = { experimental: 'k6/experimental/websockets', stable: 'k6/websockets' } as const;
export type WsModule = keyof typeof WS_MODULES;

export const K6_ENTRY = resolve(import.meta.dirname, '../../load/k6/main.ts');
export const K6_BUNDLE = resolve(import.meta.dirname, '../../artifacts/k6/main.js');

export async function bundleK6(opts: { ws?: WsModule; outfile?: string } = {}): Promise<string> {
  const outfile = opts.outfile ?? K6_BUNDLE;
  await build({
    entryPoints: [K6_ENTRY],
    outfile,
    // esbuild names each module in a comment relative to this directory: pin it, or the bundle's
    // bytes would depend on where the command was started from.
    absWorkingDir: resolve(import.meta.dirname, '../..'),
    bundle: true,
    format: 'cjs',
    target: 'es2020',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    external: ['k6', 'k6/*'],
    alias: { 'k6/websockets': WS_MODULES[opts.ws ?? 'experimental'] },
    define: { __SLO_LOAD__: JSON.stringify(sloLoadMap()) },
    logLevel: 'error',
    legalComments: 'none',
  });
  return outfile;
}
