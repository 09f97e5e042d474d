// The layout promises of the README: no import circles, small modules, one folder per concern, and
// load/ and the gate meeting only in the load contract, which k6 can bundle.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, posix, relative } from 'node:path';
import { test } from 'node:test';

const ROOT = join(import.meta.dirname, '..');
const SOURCE_DIRS = ['src', 'load', 'reference-app/src', 'scripts', 'bench', 'journeys'];
/** Modules that are declarative data (definitions read by reviewers), exempt from the size limit. */
const DATA_MODULES = new Set(['src/catalog/metrics.ts']);
const MAX_LINES = 300;

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(join(ROOT, dir)).sort()) {
    const rel = `${dir}/${name}`;
    if (statSync(join(ROOT, rel)).isDirectory()) walk(rel, out);
    else if (name.endsWith('.ts')) out.push(rel);
  }
  return out;
}

const sources = SOURCE_DIRS.flatMap((d) => walk(d));

/** Strongly connected components of size > 1 (or self-loops): the import circles. */
function cycles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || graph.get(v)?.includes(v)) found.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return found;
}

/** Every module specifier a module imports or re-exports, type-only and dynamic ones included. */
function specifiersOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  return [
    ...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'";]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g),
  ].map((m) => m[1] ?? m[2]!);
}

/** Relative imports of a module, type-only ones included (a circle of types is still a circle to a reader). */
function importsOf(file: string): string[] {
  return specifiersOf(file)
    .filter((s) => s.startsWith('.'))
    .map((s) => posix.normalize(posix.join(posix.dirname(file), s)).replace(/\.js$/, '.ts'))
    .filter((f) => existsSync(join(ROOT, f)));
}

test('no import circle among the source modules, type imports included', () => {
  const graph = new Map(sources.map((f) => [f, importsOf(f)] as const));
  const circles = cycles(graph);
  assert.deepEqual(circles, [], `import circles:\n${circles.map((c) => `  ${c.join(' <-> ')}`).join('\n')}`);
});

test('the import reader sees type-only, re-export and dynamic imports', () => {
  const imports = importsOf('src/cli.ts');
  assert.ok(imports.includes('src/gate/run.ts'), `dynamic import of ./gate/run.js missing from ${imports.join(', ')}`);
  assert.ok(
    importsOf('reference-app/src/context.ts').includes('reference-app/src/hub.ts'),
    'import type { Hub } from ./hub.js',
  );
});

test('the cycle finder reports a circle', () => {
  const g = new Map([
    ['a', ['b']],
    ['b', ['c']],
    ['c', ['a']],
    ['d', ['a']],
  ]);
  assert.deepEqual(cycles(g), [['a', 'b', 'c']]);
});

/**
 * The floors of the package, bottom first (README, "How it fits together"). A folder may import its
 * own floor and the floors below, never one above, and no two folders may import each other: shared
 * pieces go down to the floor both stand on. A file directly under src/ is a node of its own.
 */
const FLOORS: readonly (readonly string[])[] = [
  ['src/kernel', 'src/usage-error.ts', 'src/command.ts'],
  ['src/catalog', 'src/promql', 'src/constructs', 'src/load-contract'],
  [
    'src/platform.ts',
    'src/recording-rules',
    'src/slos',
    'src/alerts',
    'src/dashboards',
    'src/cluster',
    'src/definitions.ts',
  ],
  ['src/synth', 'src/k6-script', 'src/openslo', 'load/lib', 'load/flows', 'load/k6', 'load/node', 'reference-app'],
  ['src/lint', 'src/catalog-check', 'src/verify', 'src/diff', 'src/foreign-lint', 'src/gate', 'src/import'],
  ['src/report', 'src/e2e', 'src/drills', 'src/live', 'src/backtest', 'scripts/stack'],
  ['src/cli.ts', 'bench', 'journeys'],
];

/** The node of the folder graph a module belongs to. */
function folderOf(file: string): string {
  const parts = file.split('/');
  if (parts[0] === 'reference-app' || parts[0] === 'bench' || parts[0] === 'journeys') return parts[0];
  return parts.length === 2 ? file : parts.slice(0, 2).join('/');
}

/** Folder → folders it imports, with one importing module per edge (for the message). */
function folderGraph(files: readonly string[], imports: (f: string) => string[]): Map<string, Map<string, string>> {
  const graph = new Map<string, Map<string, string>>();
  for (const f of files) {
    for (const target of imports(f)) {
      const [a, b] = [folderOf(f), folderOf(target)];
      if (a === b) continue;
      const out = graph.get(a) ?? graph.set(a, new Map()).get(a)!;
      if (!out.has(b)) out.set(b, `${f} imports ${target}`);
    }
  }
  return graph;
}

/** What breaks the floors: two-way ties, imports up a floor, folders on no floor. */
function floorProblems(
  graph: Map<string, Map<string, string>>,
  folders: Iterable<string>,
  floors: readonly (readonly string[])[],
): string[] {
  const floorOf = new Map(floors.flatMap((names, i) => names.map((n) => [n, i] as const)));
  const problems = [...new Set(folders)]
    .filter((f) => !floorOf.has(f))
    .map((f) => `${f} is on no floor: add it to FLOORS in test/layout.test.ts and to the README's layout`);
  for (const [a, out] of graph) {
    for (const [b, why] of out) {
      if (a < b && graph.get(b)?.has(a)) problems.push(`${a} <-> ${b}: ${why}; ${graph.get(b)!.get(a)}`);
      if ((floorOf.get(b) ?? -1) > (floorOf.get(a) ?? Infinity))
        problems.push(`${a} (floor ${floorOf.get(a)}) reaches up to ${b} (floor ${floorOf.get(b)}): ${why}`);
    }
  }
  return problems;
}

test('the folder graph keeps its floors: no two-way ties, no import up a floor, every folder placed', () => {
  const problems = floorProblems(folderGraph(sources, importsOf), sources.map(folderOf), FLOORS);
  assert.deepEqual(problems, [], `the folder graph:\n${problems.map((p) => `  ${p}`).join('\n')}`);
});

test('the floor check reports a two-way tie, an upward import and an unplaced folder', () => {
  const graph = folderGraph(
    ['src/a/x.ts', 'src/b/y.ts', 'src/c/z.ts'],
    (f) => ({ 'src/a/x.ts': ['src/b/y.ts'], 'src/b/y.ts': ['src/a/x.ts'], 'src/c/z.ts': ['src/a/x.ts'] })[f] ?? [],
  );
  assert.deepEqual(floorProblems(graph, ['src/a', 'src/b', 'src/c'], [['src/b', 'src/c'], ['src/a']]), [
    'src/a <-> src/b: src/a/x.ts imports src/b/y.ts; src/b/y.ts imports src/a/x.ts',
    'src/b (floor 0) reaches up to src/a (floor 1): src/b/y.ts imports src/a/x.ts',
    'src/c (floor 0) reaches up to src/a (floor 1): src/c/z.ts imports src/a/x.ts',
  ]);
  assert.deepEqual(floorProblems(new Map(), ['src/d'], []), [
    "src/d is on no floor: add it to FLOORS in test/layout.test.ts and to the README's layout",
  ]);
});

/** The README's layout block: top-level entries (`load/`) and the entries under src/ (`  kernel/`). */
function readmeLayout(readme: string): { top: string[]; src: string[] } {
  const block = /## How it fits together\n\n```\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
  const names = (re: RegExp) => [...block.matchAll(re)].map((m) => m[1]!);
  return { top: names(/^([\w.-]+\/)(?=[\w/.-]*\s)/gm).map((n) => n.slice(0, -1)), src: names(/^ {2}([\w.-]+)\/?\s/gm) };
}

test("the README's layout names every folder of src/ and every top-level folder, and only those", () => {
  const { top, src } = readmeLayout(readFileSync(join(ROOT, 'README.md'), 'utf8'));
  const dirs = (d: string) =>
    readdirSync(join(ROOT, d)).filter((n) => !n.startsWith('.') && statSync(join(ROOT, d, n)).isDirectory());
  const srcEntries = [...dirs('src'), ...readdirSync(join(ROOT, 'src')).filter((n) => n === 'cli.ts')].sort();
  assert.deepEqual(
    [...new Set(src.map((n) => n.replace(/\.ts$/, '.ts')))].sort(),
    srcEntries,
    'README "How it fits together": the src/ entries',
  );
  const UNLISTED = new Set(['node_modules', 'artifacts', 'dist']);
  assert.deepEqual(
    [...new Set(top)].sort(),
    dirs('.')
      .filter((n) => !UNLISTED.has(n))
      .sort(),
    'README "How it fits together": the top-level folders',
  );
});

test('the README layout reader sees top-level and src/ entries', () => {
  const { top, src } = readmeLayout(
    '## How it fits together\n\n```\nsrc/   the package\n  kernel/   floor\n                 continued/ text\n  cli.ts   the CLI\nload/     runs\ninfra/prometheus/  GENERATED\n```\n',
  );
  assert.deepEqual(top, ['src', 'load', 'infra']);
  assert.deepEqual(src, ['kernel', 'cli.ts']);
});

test(`no module over ${MAX_LINES} lines outside declarative data`, () => {
  const big = sources
    .filter((f) => !DATA_MODULES.has(f))
    .map((f) => ({ f, lines: readFileSync(join(ROOT, f), 'utf8').split('\n').length }))
    .filter(({ lines }) => lines > MAX_LINES);
  assert.deepEqual(big, [], `split these by concern: ${big.map(({ f, lines }) => `${f} (${lines})`).join(', ')}`);
});

test('one folder per concern: no two code folders share a name, top-level folders included', () => {
  // Folders holding data by tool (infra/prometheus, schemas/grafana, ...) are named for the tool on purpose.
  const DATA = new Set(['infra', 'schemas', 'docs', 'test', 'artifacts', 'node_modules', 'catalog']);
  const topLevel = readdirSync(ROOT).filter(
    (n) => !n.startsWith('.') && !DATA.has(n) && statSync(join(ROOT, n)).isDirectory(),
  );
  const nested = SOURCE_DIRS.flatMap((d) => [...new Set(walk(d).map((f) => f.slice(0, f.lastIndexOf('/'))))]);
  const byName = new Map<string, string[]>();
  for (const d of new Set([...topLevel, ...nested])) {
    const name = d.slice(d.lastIndexOf('/') + 1);
    byName.set(name, [...(byName.get(name) ?? []), relative(ROOT, join(ROOT, d))]);
  }
  // The reference app is its own package: its src/ mirrors the repository's by convention.
  const dupes = [...byName.values()].filter(
    (ds) => ds.length > 1 && !ds.every((d) => d === 'reference-app/src' || d === 'src'),
  );
  assert.deepEqual(dupes, []);
});

const CONTRACT = 'src/load-contract/';
const NODE_BUILTINS = new Set(builtinModules);

/** Imports from `from` into `into` (path prefixes), as `importer -> imported`. */
const crossings = (from: string, into: string): string[] =>
  sources
    .filter((f) => f.startsWith(from))
    .flatMap((f) =>
      importsOf(f)
        .filter((i) => i.startsWith(into))
        .map((i) => `${f} -> ${i}`),
    );

test('load/ and the gate meet in the load contract: neither imports the other', () => {
  assert.deepEqual(crossings('load/', 'src/gate/'), [], 'load/ imports the gate: take it from src/load-contract/');
  assert.deepEqual(
    crossings('src/gate/', 'load/'),
    [],
    'the gate imports load/: take it from src/load-contract/, or be given it (as runLoad is given the Node runner)',
  );
  assert.deepEqual(crossings(CONTRACT, 'load/'), []);
  assert.deepEqual(crossings(CONTRACT, 'src/gate/'), []);
});

test('the load contract uses no Node API, nor does anything it imports (k6 bundles it)', () => {
  const reached = new Set<string>();
  const visit = (f: string) => {
    if (reached.has(f)) return;
    reached.add(f);
    importsOf(f).forEach(visit);
  };
  sources.filter((f) => f.startsWith(CONTRACT)).forEach(visit);
  assert.ok(reached.has('src/load-contract/thresholds.ts'), [...reached].join(', '));
  const node = [...reached].flatMap((f) =>
    specifiersOf(f)
      .filter((s) => s.startsWith('node:') || NODE_BUILTINS.has(s.split('/')[0]!))
      .map((s) => `${f} imports ${s}`),
  );
  assert.deepEqual(node, []);
  const globals = [...reached].filter((f) =>
    /\b(?:process|Buffer|__dirname)\b|import\.meta/.test(readFileSync(join(ROOT, f), 'utf8').replace(/\/\/.*$/gm, '')),
  );
  assert.deepEqual(globals, [], 'Node globals in modules the k6 bundle may carry');
});

test('one home per module: no file beside a folder of its name (verdict.ts beside verdict/)', () => {
  const dirs = new Set(sources.map((f) => f.slice(0, f.lastIndexOf('/'))));
  assert.deepEqual(
    sources.filter((f) => dirs.has(f.replace(/\.ts$/, ''))),
    [],
  );
});

test('every hand-written file is as prettier formats it (`make format` fixes it)', async () => {
  const { execFile } = await import('node:child_process');
  const result = await new Promise<{ code: number; out: string }>((done) =>
    execFile(
      join(ROOT, 'node_modules/.bin/prettier'),
      ['--list-different', '--cache', '--cache-strategy', 'content', '.'],
      { cwd: ROOT },
      (err, stdout, stderr) =>
        done({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr }),
    ),
  );
  assert.equal(result.code, 0, `not formatted (run \`make format\`):\n${result.out}`);
});

test('tests mirror src/: a test lives under the folder of what it tests', () => {
  // Repo-wide promises stay at the top: the layout, the Makefile, the installed command, the deploy files.
  const REPO_WIDE = new Set(['layout', 'makefile', 'bin', 'deploy']);
  // Suites named for what they run against rather than a src/ folder: the other packages and the live stack.
  const OTHER = new Set(['load', 'reference-app', 'live', 'fixtures']);
  const srcFolders = new Set(
    readdirSync(join(ROOT, 'src')).filter((n) => statSync(join(ROOT, 'src', n)).isDirectory()),
  );
  const misplaced = walk('test')
    .filter((f) => f.endsWith('.test.ts'))
    .filter((f) => {
      const [, first, ...rest] = f.split('/');
      if (!rest.length) return !REPO_WIDE.has(first!.replace(/\.test\.ts$/, ''));
      if (OTHER.has(first!)) return false;
      // Deeper folders mirror src/ all the way down: test/gate/verdict/ for src/gate/verdict/.
      const dir = ['src', first!, ...rest.slice(0, -1)].join('/');
      return !srcFolders.has(first!) || !existsSync(join(ROOT, dir));
    });
  assert.deepEqual(misplaced, [], 'move each under test/<the src folder it tests>/');
});
