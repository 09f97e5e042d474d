// k6 moved modules between releases: timers went from `k6/experimental/timers` to globals (v0.52)
// and the experimental module was then removed; WebSockets graduated from `k6/experimental/websockets`
// to `k6/websockets` (v1.6). Everything the load layer needs to know about that lives here, as data:
// the bundler resolves the k6 client's runtime module (load/k6/runtime.ts) from it, `stressgate load`
// picks a generation from `k6 version`, and a test checks each bundle's require() calls against the
// modules its generation serves.

export const K6_GENERATION_NAMES = ['legacy', 'transitional', 'current'] as const;
export type K6Generation = (typeof K6_GENERATION_NAMES)[number];

export type Version = readonly [major: number, minor: number, patch: number];

export interface GenerationSpec {
  readonly summary: string;
  /** k6 versions whose binaries run this generation's bundle: `from` inclusive, `until` exclusive. */
  readonly versions: { readonly from: Version; readonly until?: Version };
  /** Where setTimeout/clearTimeout come from: a module, or the runtime's globals. */
  readonly timers: { readonly module: string } | 'global';
  /** The module exporting `WebSocket` (the web-standard API, not the old `k6/ws`). */
  readonly websockets: string;
  /** Modules this generation serves: a bundle for it may require() only these. */
  readonly serves: readonly string[];
  /** Timer globals the runtime defines; any other bare use is a ReferenceError at run time. */
  readonly timerGlobals: readonly string[];
}

const CORE = [
  'k6',
  'k6/http',
  'k6/ws',
  'k6/metrics',
  'k6/execution',
  'k6/crypto',
  'k6/encoding',
  'k6/data',
  'k6/html',
  'k6/net/grpc',
] as const;
const TIMER_GLOBALS = ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] as const;

export const K6_GENERATIONS: Readonly<Record<K6Generation, GenerationSpec>> = {
  // The k6 in ../shared/tools/k6 (v0.48.0): its README lists the modules it serves.
  legacy: {
    summary: 'k6 v0.48 up to the last release serving k6/experimental/timers (announced for removal in v0.54)',
    versions: { from: [0, 48, 0], until: [0, 54, 0] },
    timers: { module: 'k6/experimental/timers' },
    websockets: 'k6/experimental/websockets',
    serves: [
      ...CORE,
      'k6/experimental/websockets',
      'k6/experimental/timers',
      'k6/experimental/browser',
      'k6/experimental/grpc',
      'k6/experimental/redis',
      'k6/experimental/tracing',
      'k6/experimental/webcrypto',
      'k6/experimental/fs',
    ],
    timerGlobals: [],
  },
  // Global timers (v0.52+) but no k6/websockets yet: the experimental WebSocket module still serves.
  transitional: {
    summary: 'k6 v0.54 up to v1.5: global timers, WebSockets still only in k6/experimental/websockets',
    versions: { from: [0, 54, 0], until: [1, 6, 0] },
    timers: 'global',
    websockets: 'k6/experimental/websockets',
    serves: [
      ...CORE,
      'k6/timers',
      'k6/experimental/websockets',
      'k6/browser',
      'k6/experimental/fs',
      'k6/experimental/redis',
      'k6/experimental/streams',
    ],
    timerGlobals: TIMER_GLOBALS,
  },
  current: {
    summary: 'k6 >= 1.6: k6/websockets, global timers, no k6/experimental/timers',
    versions: { from: [1, 6, 0] },
    timers: 'global',
    websockets: 'k6/websockets',
    serves: [
      ...CORE,
      'k6/timers',
      'k6/websockets',
      'k6/browser',
      'k6/secrets',
      'k6/experimental/fs',
      'k6/experimental/streams',
      'k6/experimental/csv',
    ],
    timerGlobals: TIMER_GLOBALS,
  },
};

/** `k6 v0.48.0 (go1.19.8, linux/amd64)` or `k6 v1.2.3 (commit/…, go1.24, …)` → [0, 48, 0]. */
export function parseK6Version(output: string): Version | undefined {
  const m = /\bk6 v(\d+)\.(\d+)\.(\d+)/.exec(output);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

const compare = (a: Version, b: Version) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
export const versionText = (v: Version) => `v${v.join('.')}`;

/** The generation whose bundle runs on k6 `version`, or undefined (older than any we support). */
export function generationFor(version: Version): K6Generation | undefined {
  return K6_GENERATION_NAMES.find((g) => {
    const { from, until } = K6_GENERATIONS[g].versions;
    return compare(version, from) >= 0 && (!until || compare(version, until) < 0);
  });
}

/** The runtime module's source for a generation: what load/k6/runtime.ts declares, from real modules. */
export function runtimeModuleSource(generation: K6Generation): string {
  const g = K6_GENERATIONS[generation];
  const timers =
    g.timers === 'global'
      ? 'export const setTimeout = (fn, ms) => globalThis.setTimeout(fn, ms);\nexport const clearTimeout = (id) => globalThis.clearTimeout(id);'
      : `export { setTimeout, clearTimeout } from ${JSON.stringify(g.timers.module)};`;
  return `// k6 runtime for the ${generation} generation (src/k6-script/generations.ts)\n${timers}\nexport { WebSocket } from ${JSON.stringify(g.websockets)};\n`;
}
