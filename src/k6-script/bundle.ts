// Bundles the k6 entry with esbuild for one k6 generation: CommonJS, es2020, k6 modules left to k6,
// load/k6/runtime.ts replaced by the generation's real timer and WebSocket modules, and the SLOs'
// load measures injected from src/slos/ so the bundle carries no copy of a threshold.
import { build, type Plugin } from 'esbuild';
import { resolve } from 'node:path';
import { K6_GENERATIONS, runtimeModuleSource, type K6Generation } from './generations.js';
import { sloLoadMap } from '../slos/load-thresholds.js';

const K6_DIR = resolve(import.meta.dirname, '../../load/k6');
export const K6_ENTRY = resolve(K6_DIR, 'main.ts');
export const K6_BUNDLE_DIR = resolve(import.meta.dirname, '../../artifacts/k6');
export const bundlePath = (generation: K6Generation, dir = K6_BUNDLE_DIR) => resolve(dir, `main.${generation}.js`);

/** Resolves `./runtime.js` inside load/k6/ to the generation's module names (no file of its own). */
function runtimePlugin(generation: K6Generation): Plugin {
  return {
    name: 'k6-runtime',
    setup(b) {
      b.onResolve({ filter: /^\.\/runtime(\.[jt]s)?$/ }, (args) =>
        args.resolveDir === K6_DIR ? { path: `runtime:${generation}`, namespace: 'k6-runtime' } : undefined,
      );
      b.onLoad({ filter: /.*/, namespace: 'k6-runtime' }, () => ({
        contents: runtimeModuleSource(generation),
        loader: 'js',
        resolveDir: K6_DIR,
      }));
    },
  };
}

export interface BundleOptions {
  /** Which k6 release line the bundle runs on (src/k6-script/generations.ts). */
  readonly generation: K6Generation;
  /** Default artifacts/k6/main.<generation>.js. */
  readonly outfile?: string;
}

/** Writes the bundle and returns its path. */
export async function bundleK6(opts: BundleOptions): Promise<string> {
  if (!K6_GENERATIONS[opts.generation])
    throw new Error(`unknown k6 generation "${opts.generation}" (known: ${Object.keys(K6_GENERATIONS).join(', ')})`);
  const outfile = opts.outfile ?? bundlePath(opts.generation);
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
    plugins: [runtimePlugin(opts.generation)],
    define: { __SLO_LOAD__: JSON.stringify(sloLoadMap()) },
    logLevel: 'error',
    legalComments: 'none',
  });
  return outfile;
}
