// Samples as OpenMetrics text that `promtool tsdb create-blocks-from openmetrics` (Prometheus 2.42)
// loads: every sample with its timestamp in seconds, one metric family's series together, each
// series' samples in time order, `# EOF` last. No TYPE lines: every family is "unknown", which the
// parser accepts for any name (a declared counter would have to end in _total, a histogram's series
// would need _bucket/_count/_sum), and types do not matter to PromQL.

/** One series: its labels (with `__name__`) and `[ms, value as Prometheus printed it]` in time order. */
export interface OmSeries {
  readonly labels: Readonly<Record<string, string>>;
  readonly samples: ReadonlyArray<readonly [number, string]>;
}

export const OM_EOF = '# EOF\n';

const escapeValue = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

/**
 * A millisecond timestamp in seconds, with a trailing 5 (half a millisecond): promtool's parser
 * truncates `seconds * 1000` to an integer, and in floating point that can land one short
 * (1.005 * 1000 is 1004.9999…). The extra half millisecond makes the truncation land on the
 * written millisecond whatever the rounding.
 */
export function omTimestamp(ms: number): string {
  const whole = Math.floor(ms / 1000);
  return `${whole}.${String(ms - whole * 1000).padStart(3, '0')}5`;
}

/** A value as OpenMetrics spells it: Prometheus's API prints NaN and ±Inf the same way. */
function omValue(v: string): string {
  if (v === 'NaN' || v === '+Inf' || v === '-Inf') return v;
  if (!Number.isFinite(Number(v))) throw new Error(`not a sample value: "${v}"`);
  return v;
}

/** The series selector text: `name{a="x",b="y"}` (labels sorted; none: the bare name). */
export function omSeriesText(labels: Readonly<Record<string, string>>): string {
  const name = labels.__name__;
  if (!name) throw new Error(`a series without __name__: ${JSON.stringify(labels)}`);
  const rest = Object.keys(labels)
    .filter((k) => k !== '__name__')
    .sort()
    .map((k) => `${k}="${escapeValue(labels[k]!)}"`);
  return rest.length ? `${name}{${rest.join(',')}}` : name;
}

/** The lines of one metric family (all series of one name), each series' samples sorted by time. */
export function omFamily(series: readonly OmSeries[]): string {
  const out: string[] = [];
  for (const s of [...series].sort((a, b) => omSeriesText(a.labels).localeCompare(omSeriesText(b.labels)))) {
    const head = omSeriesText(s.labels);
    const samples = [...s.samples].sort((a, b) => a[0] - b[0]);
    let last = -Infinity;
    for (const [ms, v] of samples) {
      if (ms === last) continue; // a duplicate timestamp would fail the block writer
      last = ms;
      out.push(`${head} ${omValue(v)} ${omTimestamp(ms)}\n`);
    }
  }
  return out.join('');
}

/** Series of any names as one OpenMetrics document, families grouped by name. */
export function omDocument(series: readonly OmSeries[]): string {
  const byName = new Map<string, OmSeries[]>();
  for (const s of series) {
    const name = s.labels.__name__ ?? '';
    byName.set(name, [...(byName.get(name) ?? []), s]);
  }
  return (
    [...byName.keys()]
      .sort()
      .map((n) => omFamily(byName.get(n)!))
      .join('') + OM_EOF
  );
}
