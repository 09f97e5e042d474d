// `make stress-report`: the report template filled from artifacts/ (verdict, thresholds, drills,
// coverage) as Markdown, and a self-contained HTML page with latency and error charts drawn from
// Prometheus range queries over the run window.
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { metrics, re } from '../catalog/index.js';
import { promql, type Expr } from '../promql/expr.js';
import { humanizeDuration, humanizePercentage } from '../promql/template.js';
import { slos } from '../slos/index.js';
import { parseVerdict, verdictMarkdown, type Verdict } from '../gate/verdict.js';
import { PromClient } from '../prometheus/client.js';
import { lineChartSvg, type ChartSeries } from './chart.js';

export interface ReportInputs {
  readonly release: string;
  readonly environment: string;
  readonly verdict: Verdict | null;
  readonly drills: readonly { name: string; result: Record<string, unknown> }[];
  readonly coverage: string | null;
}

export async function readArtifacts(dir: string, release: string, environment: string): Promise<ReportInputs> {
  const json = async <T>(f: string): Promise<T | null> => (existsSync(f) ? (JSON.parse(await readFile(f, 'utf8')) as T) : null);
  const drillDir = join(dir, 'drills');
  const drillFiles = existsSync(drillDir) ? (await readdir(drillDir)).filter((f) => f.endsWith('.json')).sort() : [];
  const drills = await Promise.all(drillFiles.map(async (f) => ({ name: f.replace(/\.json$/, ''), result: (await json<Record<string, unknown>>(join(drillDir, f)))! })));
  const coverageFile = join(dir, 'signal-coverage.md');
  return { release, environment, verdict: await json<unknown>(join(dir, 'verdict.json')).then((d) => (d === null ? null : parseVerdict(d, join(dir, 'verdict.json')))), drills, coverage: existsSync(coverageFile) ? await readFile(coverageFile, 'utf8') : null };
}

const scalar = (v: unknown) => (typeof v === 'number' ? Number(v.toPrecision(4)).toString() : typeof v === 'boolean' || typeof v === 'string' ? String(v) : JSON.stringify(v));

function drillsMarkdown(drills: ReportInputs['drills']): string {
  if (!drills.length) return 'No drill results in artifacts/drills/.';
  return drills
    .map(({ name, result }) => [`### ${name}`, '', '| measure | value |', '|---|---|', ...Object.entries(result).map(([k, v]) => `| ${k} | ${scalar(v)} |`)].join('\n'))
    .join('\n\n');
}

/** The verdict's Markdown split into the template's sections. */
function verdictSections(v: Verdict | null) {
  if (!v) return { thresholds: 'No verdict in artifacts/verdict.json: run a load target first.', alerts: 'n/a', stability: 'n/a' };
  const sections = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of verdictMarkdown(v).split('\n')) {
    const heading = /^## (.*)$/.exec(line);
    if (heading) sections.set(heading[1]!, (current = []));
    else current?.push(line);
  }
  const section = (title: string) => sections.get(title)?.join('\n').trim();
  return {
    thresholds: [v.title, ...(v.scope.limits.length ? ['', ...v.scope.limits.map((l) => `- ${l}`)] : []), '', section('SLOs') ?? ''].join('\n'),
    alerts: section('Gate alerts') ?? 'Not checked.',
    stability: section('Stability (informational)') ?? 'No stability data (run with PROMETHEUS_URL).',
  };
}

export function fillTemplate(template: string, inputs: ReportInputs): string {
  const v = inputs.verdict;
  const sections = verdictSections(v);
  const values: Record<string, string> = {
    release: inputs.release,
    environment: inputs.environment,
    window: v ? `${v.window.start} – ${v.window.end}` : 'see the load summary',
    profile: v?.profile ?? 'n/a',
    verdict: v?.verdict ?? 'NO VERDICT',
    date: new Date().toISOString().slice(0, 10),
    drills: drillsMarkdown(inputs.drills),
    coverage: inputs.coverage?.replace(/^# .*\n/, '').trim() ?? 'No coverage in artifacts/signal-coverage.md: run make observability-verify LIVE=1.',
    ...sections,
  };
  return template.replace(/\{\{(\w+)\}\}/g, (m, key: string) => values[key] ?? m);
}

interface ChartQuery {
  readonly title: string;
  readonly expr: Expr;
  readonly threshold: number;
  readonly format: (v: number) => string;
}

const API = { job: 'api', route: re('/api/.*') } as const;
/** The charts: each SLO's indicator over the run, against its threshold. */
export const CHARTS: readonly ChartQuery[] = [
  {
    title: 'API p95 latency',
    expr: promql`histogram_quantile(0.95, sum by (le) (rate(${metrics.httpRequestDuration.bucket.select(API)}[1m])))`,
    threshold: slos.apiLatencyP95.threshold,
    format: humanizeDuration,
  },
  {
    title: 'HTTP 5xx ratio',
    expr: promql`sum(rate(${metrics.httpRequests.select({ ...API, status: re('5..') })}[1m])) / sum(rate(${metrics.httpRequests.select(API)}[1m]))`,
    threshold: slos.http5xxRatio.threshold,
    format: humanizePercentage,
  },
  {
    title: 'Chat delivery p95',
    expr: promql`histogram_quantile(0.95, sum by (le) (rate(${metrics.chatDeliveryDuration.bucket.select({ job: 'api' })}[1m])))`,
    threshold: slos.chatDeliveryP95.threshold,
    format: humanizeDuration,
  },
  {
    title: 'Notification delivery p95',
    expr: promql`histogram_quantile(0.95, sum by (le) (rate(${metrics.notificationDeliveryDuration.bucket.select({ job: 'api' })}[1m])))`,
    threshold: slos.notificationDeliveryP95.threshold,
    format: humanizeDuration,
  },
];

export async function rangeSeries(prometheus: string, expr: string, start: Date, end: Date): Promise<ChartSeries[]> {
  const step = Math.ceil((end.getTime() - start.getTime()) / 1000 / 300);
  return (await new PromClient(prometheus).queryRange(expr, start, end, step)).map((r) => ({
    name: Object.values(r.metric).join(' ') || 'value',
    points: r.values.map(([t, v]) => [t, Number(v)] as const).filter(([, v]) => Number.isFinite(v)),
  }));
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function reportHtml(markdown: string, charts: readonly string[], verdict: string): string {
  const color = verdict === 'PASS' ? '#2ca02c' : '#d62728';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Stress-test report</title>
<style>
body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:960px;color:#222}
.verdict{display:inline-block;padding:.3rem .8rem;border-radius:4px;color:#fff;background:${color};font-weight:bold}
.charts{display:grid;grid-template-columns:1fr;gap:1rem;margin:1.5rem 0}
pre{white-space:pre-wrap;background:#f6f8fa;padding:1rem;border-radius:4px;font-size:13px}
</style></head><body>
<h1>Stress-test report <span class="verdict" id="verdict">${escapeHtml(verdict)}</span></h1>
<section class="charts">${charts.join('\n')}</section>
<pre>${escapeHtml(markdown)}</pre>
</body></html>
`;
}

export async function runReport(argv: string[], root = process.cwd()): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      artifacts: { type: 'string', default: 'artifacts' },
      prometheus: { type: 'string', default: process.env.PROMETHEUS_URL ?? '' },
      release: { type: 'string', default: process.env.RELEASE ?? 'unreleased' },
      environment: { type: 'string', default: process.env.TARGET_URL ?? 'local reference stack' },
      start: { type: 'string' },
      end: { type: 'string' },
    },
  });
  const dir = resolve(root, values.artifacts);
  const inputs = await readArtifacts(dir, values.release, values.environment);
  const template = await readFile(join(root, 'docs/final-testing/stress-test-report-template.md'), 'utf8');
  const markdown = fillTemplate(template, inputs);
  const window = inputs.verdict?.window;
  const start = values.start ?? window?.start;
  const end = values.end ?? window?.end;
  const charts: string[] = [];
  for (const c of CHARTS) {
    const series = values.prometheus && start && end ? await rangeSeries(values.prometheus, c.expr.text, new Date(start), new Date(end)) : [];
    charts.push(lineChartSvg({ title: c.title, series, threshold: c.threshold, format: c.format }));
  }
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'stress-report.md'), markdown);
  await writeFile(join(dir, 'stress-report.html'), reportHtml(markdown, charts, inputs.verdict?.verdict ?? 'NO VERDICT'));
  console.log(`report: ${join(values.artifacts, 'stress-report.md')} and stress-report.html (verdict ${inputs.verdict?.verdict ?? 'none'})`);
  return 0;
}
