// `stressgate import catalog`: from a real exposition, a module of proposed catalog entries for the
// families the catalog lacks, and the catalog metrics the exposition contradicts. Conformance decides
// both (the same comparison verify runs on the snapshots), so an entry proposed here is one that
// conformance then accepts.
import { catalog, metrics as catalogMetrics, type Metric } from '../catalog/index.js';
import { ANY_VALUE, checkExposition, RUNTIME_PREFIXES, type Mismatch } from './conformance.js';
import { parseExposition } from './exposition.js';
import { proposeCatalogEntries, type Proposal } from './proposals.js';

export interface CatalogImport {
  /** TypeScript: the entries, with what to check as comments; unformatted. */
  readonly module: string;
  readonly entries: readonly Proposal[];
  /** Families no catalog entry can describe, with why. */
  readonly skipped: readonly string[];
  /** Catalog metrics whose type, labels, label values or buckets differ from the exposition. */
  readonly differing: readonly Mismatch[];
  /** Client-library runtime families left out (`runtime: true` proposes them). */
  readonly runtimeLeftOut: readonly string[];
}

const DIFFERING: ReadonlySet<Mismatch['kind']> = new Set(['type', 'labels', 'label-value', 'buckets']);

export function importCatalog(
  text: string,
  source: string,
  opts: { runtime?: boolean; typesImport?: string; metrics?: readonly Metric[] } = {},
): CatalogImport {
  // A committed snapshot (`--metrics-url catalog/snapshots/api.prom`) records open labels as `*`.
  const result = checkExposition(text, source, {
    strict: true,
    metrics: opts.metrics ?? catalog,
    anyValue: ANY_VALUE,
  });
  const isRuntime = (name: string) => RUNTIME_PREFIXES.some((p) => name.startsWith(p));
  const families = result.extra.filter((f) => opts.runtime || !isRuntime(f.name));
  const runtimeLeftOut = result.extra.filter((f) => !opts.runtime && isRuntime(f.name)).map((f) => f.name);
  const proposed = proposeCatalogEntries(families, Object.keys(catalogMetrics));
  const { entries } = proposed;
  // Declared with no sample (a labelled series nobody has touched yet): nothing to read labels or buckets from.
  const known = new Set((opts.metrics ?? catalog).map((m) => m.name));
  const empty = [...parseExposition(text).values()]
    .filter((f) => f.samples.length === 0 && !known.has(f.name) && (opts.runtime || !isRuntime(f.name)))
    .map((f) => `${f.name}: declared without a sample in this scrape; scrape again once it has seen traffic`);
  const skipped = [...proposed.skipped, ...empty];
  const differing = result.mismatches.filter((m) => DIFFERING.has(m.kind));
  const types = [...new Set(entries.map((e) => /= (counter|gauge|histogram)\b/.exec(e.code)![1]!))].sort();
  const comment = (lines: readonly string[]) => lines.map((l) => `//   ${l}`);
  const header = [
    `// Proposed by \`stressgate import catalog\` from ${source}: entries for the families src/catalog/metrics.ts lacks.`,
    '// Check every TODO, then move the entries into src/catalog/metrics.ts.',
    ...(entries.length ? ['// Not inferred from the exposition:'] : []),
    ...comment(entries.flatMap((e) => e.notes.map((n) => `${e.name}: ${n}`))),
    ...(skipped.length ? ['// Not proposed:', ...comment(skipped)] : []),
    ...(runtimeLeftOut.length
      ? [`// Client-library runtime families left out (--runtime proposes them): ${runtimeLeftOut.join(', ')}`]
      : []),
    ...(differing.length
      ? [
          '// Catalog metrics the exposition contradicts:',
          ...comment(differing.map((m) => `${m.metric}: ${m.message}`)),
        ]
      : []),
  ];
  const body = entries.length
    ? [
        `import { ${types.join(', ')} } from '${opts.typesImport ?? './types.js'}';`,
        '',
        entries.map((e) => e.code).join('\n\n'),
      ]
    : ['export {};'];
  return { module: `${[...header, '', ...body].join('\n')}\n`, entries, skipped, differing, runtimeLeftOut };
}
