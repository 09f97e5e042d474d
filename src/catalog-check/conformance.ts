// Conformance of one exposition (a live scrape or a committed snapshot) with the metric catalog:
// catalog metrics missing from it, metrics it has that the catalog lacks, and type, label,
// label-value and bucket mismatches.
import { catalog, exposedByTarget, type Metric } from '../catalog/index.js';
import type { Finding } from '../kernel/findings.js';
import { parseExposition, type ExpoFamily } from './exposition.js';

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
  return (
    families.get(expectedFamilyName(m)) ??
    (m.type === 'counter' && m.name.endsWith('_total') ? families.get(m.name.slice(0, -'_total'.length)) : undefined)
  );
}

/**
 * The value a snapshot records for every label of a family with an open label (snapshots.ts): which
 * routes and status codes a service has seen is traffic, not shape. Accepted where `anyValue` says so.
 */
export const ANY_VALUE = '*';

export const SPECIAL_LABELS = new Set(['le', 'quantile']);

export function checkExposition(
  text: string,
  source: string,
  /** anyValue: a label value that stands for any (a snapshot's open labels), accepted wherever values are checked. */
  opts: { metrics?: readonly Metric[]; strict?: boolean; anyValue?: string } = {},
): CatalogCheckResult {
  const families = parseExposition(text);
  const metricsList = (opts.metrics ?? catalog).filter(exposedByTarget);
  const mismatches: Mismatch[] = [];
  const conforming: string[] = [];
  const claimed = new Set<string>();
  const add = (kind: MismatchKind, metric: string, message: string, fix: string) =>
    mismatches.push({
      kind,
      metric,
      rule: `catalog-${kind}`,
      file: 'src/catalog/metrics.ts',
      object: `metric ${metric}`,
      message: `${message} (${source})`,
      fix,
    });

  for (const m of metricsList) {
    const fam = familyFor(families, m);
    if (!fam || fam.samples.length === 0) {
      add(
        'missing',
        m.name,
        'in the catalog but not exposed by the service',
        'register the metric in the service under this exact name, or update the catalog (and every query) if it was renamed',
      );
      continue;
    }
    claimed.add(fam.name);
    const before = mismatches.length;
    const expoType = fam.type === 'untyped' || fam.type === 'unknown' ? undefined : fam.type;
    if (expoType && expoType !== typeName(m))
      add(
        'type',
        m.name,
        `the catalog says ${m.type}, the service exposes ${expoType}`,
        `make the service expose a ${m.type}, or change the catalog's type (and the queries using it)`,
      );
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
        "emit exactly the catalog's label names (queries group and filter by them)",
      );
    }
    // Label values against the catalog's enums and patterns (first offending value per label).
    for (const [label, spec] of Object.entries(m.spec.labels)) {
      const values = new Set(
        fam.samples.map((s) => s.labels[label]).filter((v): v is string => v !== undefined && v !== opts.anyValue),
      );
      const bad = [...values].find((v) =>
        spec.values ? !spec.values.includes(v) : spec.pattern ? !new RegExp(spec.pattern).test(v) : false,
      );
      if (bad !== undefined)
        add(
          'label-value',
          m.name,
          `label ${label}="${bad}" is outside the catalog's ${spec.values ? `values (${spec.values.join(', ')})` : `pattern ${spec.pattern}`}`,
          'bound the label in the service, or extend the catalog',
        );
    }
    if (m.type === 'histogram' && (!expoType || expoType === 'histogram')) {
      const les = [
        ...new Set(
          fam.samples
            .filter((s) => s.name === `${m.name}_bucket` && s.labels.le !== undefined)
            .map((s) => s.labels.le!),
        ),
      ]
        .filter((le) => le !== '+Inf')
        .map(Number)
        .sort((a, b) => a - b);
      const want = [...m.spec.buckets];
      if (les.length === 0)
        add('buckets', m.name, 'no _bucket series exposed', 'expose the histogram with its buckets');
      else if (les.length !== want.length || les.some((v, i) => Math.abs(v - want[i]!) > 1e-9)) {
        add(
          'buckets',
          m.name,
          `buckets differ: catalog [${want.join(', ')}], service [${les.join(', ')}]`,
          "use the catalog's buckets: the SLO thresholds sit on bucket boundaries",
        );
      }
    }
    if (mismatches.length === before) conforming.push(m.name);
  }

  const ignored: string[] = [];
  const extra: ExpoFamily[] = [];
  const catalogNames = new Set((opts.metrics ?? catalog).map((m) => m.name));
  for (const fam of families.values()) {
    if (claimed.has(fam.name) || catalogNames.has(fam.name) || fam.samples.length === 0) continue;
    if (!opts.strict && RUNTIME_PREFIXES.some((p) => fam.name.startsWith(p))) {
      ignored.push(fam.name);
      continue;
    }
    extra.push(fam);
    // A likely rename: a missing catalog metric of the same type and labels.
    const labels = [...new Set(fam.samples.flatMap((s) => Object.keys(s.labels)).filter((l) => !SPECIAL_LABELS.has(l)))]
      .sort()
      .join(',');
    const twin = mismatches.find((x) => {
      if (x.kind !== 'missing') return false;
      const cm = metricsList.find((mm) => mm.name === x.metric)!;
      return cm.type === fam.type && Object.keys(cm.spec.labels).sort().join(',') === labels;
    });
    add(
      'extra',
      fam.name,
      `exposed by the service (${fam.type}) but not in the catalog${twin ? `; possibly a rename of ${twin.metric}` : ''}`,
      'add it to the catalog (`catalog-check --write` proposes the entry) or stop emitting it',
    );
  }
  return { source, checked: metricsList.length, conforming, mismatches, ignored: ignored.sort(), extra };
}
