// Catalog conformance against any service: scrape its /metrics and compare with the metric catalog.
// Reports catalog metrics the service does not expose, metrics it exposes that the catalog lacks, and
// type, label, label-value and bucket mismatches. This is how a metric rename in the backend is caught
// before the dashboards go empty. `--write` prints proposed catalog entries for the extra metrics.
//
// What counts as "extra": every family not in the catalog, except runtime defaults of client libraries
// (process_*, nodejs_*, go_*, promhttp_*, python_*, jvm_*) that the catalog doesn't list, which are
// reported as ignored; `--strict` makes them extra too. Catalog metrics of origin `prometheus` (`up`,
// `ALERTS`) and `k6` (remote-written by the load generator) are never on a service's /metrics.
import { catalog, exposedByTarget, type Metric, type Signal, SIGNALS } from '../catalog/index.js';
import { formatFinding, type Finding, type FindingFormat } from '../verify/findings.js';
import { parseExposition, type ExpoFamily } from './exposition.js';
import { parseCommand } from '../command.js';

export { parseExposition } from './exposition.js';

export const RUNTIME_PREFIXES = ['process_', 'nodejs_', 'go_', 'promhttp_', 'python_', 'jvm_'] as const;

export type MismatchKind = 'missing' | 'extra' | 'type' | 'labels' | 'label-value' | 'buckets';

export interface Mismatch extends Finding {
  readonly kind: MismatchKind;
  readonly metric: string;
}

export interface CatalogCheckResult {
  readonly source: string;
  readonly checked: number;
  readonly conforming: readonly string[];
  readonly mismatches: readonly Mismatch[];
  readonly ignored: readonly string[];
  /** Families the catalog lacks, for `--write`. */
  readonly extra: readonly ExpoFamily[];
}

const typeName = (m: Metric) => m.type;

/** The sample names a family of the catalog's type emits, e.g. `x_bucket` for histograms. */
function expectedFamilyName(m: Metric): string {
  return m.name;
}

function familyFor(families: Map<string, ExpoFamily>, m: Metric): ExpoFamily | undefined {
  // Text format: counters are declared with their `_total` name; OpenMetrics declares them without.
  return families.get(expectedFamilyName(m)) ?? (m.type === 'counter' && m.name.endsWith('_total') ? families.get(m.name.slice(0, -'_total'.length)) : undefined);
}

const SPECIAL_LABELS = new Set(['le', 'quantile']);

export function checkExposition(text: string, source: string, opts: { metrics?: readonly Metric[]; strict?: boolean } = {}): CatalogCheckResult {
  const families = parseExposition(text);
  const metricsList = (opts.metrics ?? catalog).filter(exposedByTarget);
  const mismatches: Mismatch[] = [];
  const conforming: string[] = [];
  const claimed = new Set<string>();
  const add = (kind: MismatchKind, metric: string, message: string, fix: string) =>
    mismatches.push({ kind, metric, rule: `catalog-${kind}`, file: 'src/catalog/metrics.ts', object: `metric ${metric}`, message: `${message} (${source})`, fix });

  for (const m of metricsList) {
    const fam = familyFor(families, m);
    if (!fam || fam.samples.length === 0) {
      add('missing', m.name, 'in the catalog but not exposed by the service', 'register the metric in the service under this exact name, or update the catalog (and every query) if it was renamed');
      continue;
    }
    claimed.add(fam.name);
    const before = mismatches.length;
    const expoType = fam.type === 'untyped' || fam.type === 'unknown' ? undefined : fam.type;
    if (expoType && expoType !== typeName(m)) add('type', m.name, `the catalog says ${m.type}, the service exposes ${expoType}`, `make the service expose a ${m.type}, or change the catalog's type (and the queries using it)`);
    // Labels: the union over samples, minus le/quantile.
    const seen = new Set<string>();
    for (const s of fam.samples) for (const k of Object.keys(s.labels)) if (!SPECIAL_LABELS.has(k)) seen.add(k);
    const want = new Set(Object.keys(m.spec.labels));
    const missingLabels = [...want].filter((l) => !seen.has(l)).sort();
    const extraLabels = [...seen].filter((l) => !want.has(l) && l !== 'job' && l !== 'instance').sort();
    if (missingLabels.length || extraLabels.length) {
      add(
        'labels',
        m.name,
        `labels differ: ${missingLabels.length ? `missing ${missingLabels.join(', ')}` : ''}${missingLabels.length && extraLabels.length ? '; ' : ''}${extraLabels.length ? `not in the catalog ${extraLabels.join(', ')}` : ''}`,
        'emit exactly the catalog\'s label names (queries group and filter by them)',
      );
    }
    // Label values against the catalog's enums and patterns (first offending value per label).
    for (const [label, spec] of Object.entries(m.spec.labels)) {
      const values = new Set(fam.samples.map((s) => s.labels[label]).filter((v): v is string => v !== undefined));
      const bad = [...values].find((v) => (spec.values ? !spec.values.includes(v) : spec.pattern ? !new RegExp(spec.pattern).test(v) : false));
      if (bad !== undefined) add('label-value', m.name, `label ${label}="${bad}" is outside the catalog's ${spec.values ? `values (${spec.values.join(', ')})` : `pattern ${spec.pattern}`}`, 'bound the label in the service, or extend the catalog');
    }
    if (m.type === 'histogram' && (!expoType || expoType === 'histogram')) {
      const les = [...new Set(fam.samples.filter((s) => s.name === `${m.name}_bucket` && s.labels.le !== undefined).map((s) => s.labels.le!))]
        .filter((le) => le !== '+Inf')
        .map(Number)
        .sort((a, b) => a - b);
      const want = [...m.spec.buckets];
      if (les.length === 0) add('buckets', m.name, 'no _bucket series exposed', 'expose the histogram with its buckets');
      else if (les.length !== want.length || les.some((v, i) => Math.abs(v - want[i]!) > 1e-9)) {
        add('buckets', m.name, `buckets differ: catalog [${want.join(', ')}], service [${les.join(', ')}]`, 'use the catalog\'s buckets: the SLO thresholds sit on bucket boundaries');
      }
    }
    if (mismatches.length === before) conforming.push(m.name);
  }

  const ignored: string[] = [];
  const extra: ExpoFamily[] = [];
  const catalogNames = new Set(catalog.map((m) => m.name));
  for (const fam of families.values()) {
    if (claimed.has(fam.name) || catalogNames.has(fam.name) || fam.samples.length === 0) continue;
    if (!opts.strict && RUNTIME_PREFIXES.some((p) => fam.name.startsWith(p))) {
      ignored.push(fam.name);
      continue;
    }
    extra.push(fam);
    // A likely rename: a missing catalog metric of the same type and labels.
    const labels = [...new Set(fam.samples.flatMap((s) => Object.keys(s.labels)).filter((l) => !SPECIAL_LABELS.has(l)))].sort().join(',');
    const twin = mismatches.find((x) => {
      if (x.kind !== 'missing') return false;
      const cm = metricsList.find((mm) => mm.name === x.metric)!;
      return cm.type === fam.type && Object.keys(cm.spec.labels).sort().join(',') === labels;
    });
    add('extra', fam.name, `exposed by the service (${fam.type}) but not in the catalog${twin ? `; possibly a rename of ${twin.metric}` : ''}`, 'add it to the catalog (`catalog-check --write` proposes the entry) or stop emitting it');
  }
  return { source, checked: metricsList.length, conforming, mismatches, ignored: ignored.sort(), extra };
}

function guessSignal(name: string): Signal {
  const table: Array<[RegExp, Signal]> = [
    [/^http_.*duration|latency/, 'http-latency'],
    [/^http_/, 'http-traffic'],
    [/^auth_/, 'auth'],
    [/^(db|pg|postgres)_/, 'db'],
    [/^redis_/, 'redis'],
    [/^readiness_/, 'readiness'],
    [/^ws_.*disconnect/, 'ws-disconnects'],
    [/^ws_.*(backpressure|drop)/, 'ws-backpressure'],
    [/^ws_.*active|connections/, 'ws-connections'],
    [/^ws_/, 'ws-throughput'],
    [/^chat_/, 'chat'],
    [/^notification/, 'notifications'],
    [/^game/, 'games'],
    [/^(process|nodejs|go|jvm|python)_/, 'process'],
  ];
  return table.find(([re]) => re.test(name))?.[1] ?? SIGNALS[0];
}

const camel = (name: string) => name.replace(/_(total|seconds|bytes)$/, '').replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** Proposed catalog entries (TypeScript for src/catalog/metrics.ts) for families the catalog lacks. */
export function proposeEntries(extra: readonly ExpoFamily[]): string {
  const out: string[] = [];
  for (const fam of extra) {
    const type = fam.type === 'histogram' ? 'histogram' : fam.type === 'counter' ? 'counter' : 'gauge';
    const name = type === 'counter' && !fam.name.endsWith('_total') && fam.samples.some((s) => s.name === `${fam.name}_total`) ? `${fam.name}_total` : fam.name;
    const labelNames = [...new Set(fam.samples.flatMap((s) => Object.keys(s.labels)).filter((l) => !SPECIAL_LABELS.has(l)))].sort();
    const labels = labelNames.map((l) => {
      const values = [...new Set(fam.samples.map((s) => s.labels[l]).filter((v): v is string => v !== undefined))].sort();
      const spec = values.length > 0 && values.length <= 10 ? `values: ${JSON.stringify(values)}` : `pattern: '^.+$'`;
      return `    ${l}: { ${spec}, help: 'TODO: what ${l} means' },`;
    });
    const unit = /_seconds(_total)?$/.test(name) ? 'seconds' : /_bytes(_total)?$/.test(name) ? 'bytes' : /_ratio$/.test(name) ? 'ratio' : 'count';
    const buckets =
      type === 'histogram'
        ? [...new Set(fam.samples.filter((s) => s.name.endsWith('_bucket') && s.labels.le && s.labels.le !== '+Inf').map((s) => Number(s.labels.le)))].sort((a, b) => a - b)
        : [];
    const generic = labelNames.length ? `<${labelNames.map((l) => `'${l}'`).join(' | ')}>` : '';
    out.push(
      [
        `export const ${camel(name)} = ${type}${generic}({`,
        `  name: '${name}',`,
        `  help: ${JSON.stringify(fam.help || `TODO: what ${name} measures.`)},`,
        `  unit: '${unit}',`,
        labels.length ? `  labels: {\n${labels.join('\n')}\n  },` : '  labels: {},',
        ...(type === 'histogram' ? [`  buckets: [${buckets.join(', ')}],`] : []),
        `  signals: ['${guessSignal(name)}'], // TODO: check the signal`,
        '});',
      ].join('\n'),
    );
  }
  return out.join('\n\n');
}

/** Where a CLI entry point writes (tests pass their own). */
export { stdio, type Io } from '../command.js';
import { stdio, type Io } from '../command.js';

export class ScrapeError extends Error {}

export async function scrape(url: string, timeoutMs = 10_000): Promise<string> {
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'text/plain;version=0.0.4' } });
  } catch (err) {
    throw new ScrapeError(`cannot scrape ${url}: ${(err as Error).cause instanceof Error ? ((err as Error).cause as Error).message : (err as Error).message}`);
  }
  if (!res.ok) throw new ScrapeError(`cannot scrape ${url}: HTTP ${res.status}`);
  return res.text();
}

const USAGE = `catalog-check --metrics-url URL [--write] [--strict] [--format text|github|json]
  Compares a service's /metrics with the catalog. Env: METRICS_URL.
  Exit: 0 conforms, 1 mismatches, 2 usage or unreachable.`;

/** CLI entry point (`make catalog-check METRICS_URL=...`). */
export async function runCatalogCheck(argv: string[], io: Io = stdio): Promise<number> {
  const parsed = parseCommand(
    argv,
    {
      'metrics-url': { type: 'string' },
      write: { type: 'boolean', default: false },
      strict: { type: 'boolean', default: false },
      format: { type: 'string', default: 'text' },
    },
    USAGE,
    io,
  );
  if (!parsed.ok) return parsed.exit;
  const { values } = parsed;
  const url = values['metrics-url'] ?? (process.env.METRICS_URL || undefined);
  if (!url || !/^https?:\/\//.test(url)) {
    io.err(`catalog-check: --metrics-url http(s)://host:port/metrics is required\n${USAGE}\n`);
    return 2;
  }
  let text: string;
  try {
    text = await scrape(url);
  } catch (err) {
    io.err(`catalog-check: ${(err as Error).message}\n`);
    return 2;
  }
  const result = checkExposition(text, url, { strict: values.strict });
  if (values.format === 'json') {
    io.out(`${JSON.stringify({ ...result, extra: result.extra.map((f) => ({ name: f.name, type: f.type })) }, null, 2)}\n`);
  } else {
    for (const m of result.mismatches) io.out(`${formatFinding(m, values.format as FindingFormat)}\n`);
    io.out(
      `catalog-check: ${result.mismatches.length ? `${result.mismatches.length} mismatch(es)` : 'conforms'}: ${result.conforming.length}/${result.checked} catalog metrics conform` +
        `${result.ignored.length ? `; ${result.ignored.length} runtime default families ignored` : ''} (${url})\n`,
    );
  }
  if (values.write && result.extra.length) io.out(`\n// Proposed entries for src/catalog/metrics.ts:\n${proposeEntries(result.extra)}\n`);
  return result.mismatches.length ? 1 : 0;
}
