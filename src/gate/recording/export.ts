// The raw samples a run's rules read, out of Prometheus through its HTTP API: an instant query of
// `name{...}[window]` returns every stored sample of the window (not a resampled range query), one
// metric name at a time so memory stays bounded by the largest family. Staleness markers are not
// returned by the API and native histograms cannot be written as OpenMetrics text: both are left
// out (the latter listed by name).
import { omFamily, type OmSeries } from './openmetrics.js';

export class ExportError extends Error {}

async function getData<T>(base: string, path: string, params: Array<[string, string]>): Promise<T> {
  const u = new URL(path, base);
  for (const [k, v] of params) u.searchParams.append(k, v);
  let res: Response;
  try {
    res = await fetch(u, { signal: AbortSignal.timeout(60_000) });
  } catch (err) {
    throw new ExportError(`Prometheus at ${base} unreachable: ${(err as Error).message}`);
  }
  const body = (await res.json().catch(() => null)) as { status?: string; error?: string; data?: T } | null;
  if (!body || body.status !== 'success') throw new ExportError(`${path}: ${body?.error ?? `HTTP ${res.status}`}`);
  return body.data as T;
}

const seconds = (d: Date) => String(d.getTime() / 1000);

/** Metric names with a series matching `match` (a selector) between `from` and `to`. */
export function metricNames(url: string, match: string, from: Date, to: Date): Promise<string[]> {
  return getData<string[]>(url, '/api/v1/label/__name__/values', [
    ['match[]', match],
    ['start', seconds(from)],
    ['end', seconds(to)],
  ]);
}

interface MatrixRow {
  metric: Record<string, string>;
  values?: [number, string][];
  histograms?: unknown[];
}

/** Every sample of the series matching `selector` in (from, to]; native-histogram series apart. */
export async function exportSelector(
  url: string,
  selector: string,
  from: Date,
  to: Date,
): Promise<{ series: OmSeries[]; nativeHistograms: number }> {
  const window = Math.max(1, Math.ceil((to.getTime() - from.getTime()) / 1000));
  const data = await getData<{ resultType: string; result: MatrixRow[] }>(url, '/api/v1/query', [
    ['query', `${selector}[${window}s]`],
    ['time', seconds(to)],
  ]);
  if (data.resultType !== 'matrix') throw new ExportError(`${selector}: expected a matrix, got ${data.resultType}`);
  const series: OmSeries[] = [];
  let nativeHistograms = 0;
  for (const row of data.result) {
    if (row.histograms?.length) nativeHistograms++;
    if (!row.values?.length) continue;
    series.push({ labels: row.metric, samples: row.values.map(([t, v]) => [Math.round(t * 1000), v] as const) });
  }
  return { series, nativeHistograms };
}

export interface ExportPlan {
  readonly url: string;
  /** Every series of these jobs (the target's own metrics, whatever the rules read today). */
  readonly jobs: readonly string[];
  /** Metric names the loaded rules read, exported from every job (e.g. `up`, Prometheus's own). */
  readonly ruleMetrics: readonly string[];
  /** Names never exported: ALERTS, ALERTS_FOR_STATE and the recording rules' outputs (recomputed). */
  readonly excluded: ReadonlySet<string>;
  readonly from: Date;
  readonly to: Date;
}

export interface ExportResult {
  readonly names: number;
  readonly series: number;
  readonly samples: number;
  /** Metric names whose series were native histograms, left out. */
  readonly skippedNativeHistograms: readonly string[];
}

const jobMatcher = (jobs: readonly string[]) =>
  `job=~"${jobs.map((j) => j.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&').replace(/"/g, '\\"')).join('|')}"`;

/** Writes the plan's series family by family to `sink` (OpenMetrics lines, without `# EOF`). */
export async function exportRun(plan: ExportPlan, sink: (text: string) => Promise<void>): Promise<ExportResult> {
  const fromJobs = plan.jobs.length
    ? await metricNames(plan.url, `{${jobMatcher(plan.jobs)}}`, plan.from, plan.to)
    : [];
  const selectors = new Map<string, string>();
  for (const n of fromJobs) selectors.set(n, `${n}{${jobMatcher(plan.jobs)}}`);
  for (const n of plan.ruleMetrics) selectors.set(n, n); // every job: a superset of the job's own
  let series = 0;
  let exportedNames = 0;
  let samples = 0;
  const skipped: string[] = [];
  for (const name of [...selectors.keys()].sort()) {
    if (plan.excluded.has(name) || !/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(name)) continue;
    const got = await exportSelector(plan.url, selectors.get(name)!, plan.from, plan.to);
    if (got.nativeHistograms) skipped.push(name);
    if (!got.series.length) continue;
    exportedNames++;
    series += got.series.length;
    samples += got.series.reduce((n, s) => n + s.samples.length, 0);
    await sink(omFamily(got.series));
  }
  return { names: exportedNames, series, samples, skippedNativeHistograms: skipped };
}
