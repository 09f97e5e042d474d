// The gate verdict: a load run's summary (k6 --summary-export, or the Node runner's file in the
// same shape) against the profile's SLO thresholds, plus the gate alerts Prometheus saw fire
// during the run. PASS only when every threshold holds and no gate alert fired.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { journeysMarkdown, type JourneysSection } from '../e2e/journeys.js';
import { PromClient } from '../prometheus/client.js';
import type { Profile } from './profile.js';
import { sloById } from './thresholds.js';
import { errorBudgetMarkdown, type ErrorBudgetReport } from '../slos/error-budget.js';

/** The subset of k6's summary export the verdict reads. */
export interface RunSummary {
  readonly metrics: Record<string, Record<string, number | unknown>>;
}

export interface ThresholdResult {
  readonly slo: string;
  readonly metric: string;
  readonly expression: string;
  readonly limit: number;
  readonly value: number | null;
  readonly pass: boolean;
}

export interface FiredAlert {
  readonly alertname: string;
  readonly labels: Record<string, string>;
}

export interface Verdict {
  readonly verdict: 'PASS' | 'FAIL';
  readonly profile: string;
  readonly thresholds: readonly ThresholdResult[];
  readonly checks: { readonly rate: number | null; readonly min: number; readonly pass: boolean };
  /** null when no Prometheus was given: the verdict then rests on the thresholds alone. */
  readonly alerts: { readonly prometheus: string; readonly window: { start: string; end: string }; readonly fired: readonly FiredAlert[] } | null;
  /** The target's resource and error trend over the run (stress/soak), when Prometheus was given. */
  readonly stability?: Stability;
  /** e2e (issue 13): the browser journeys run under this load (make test-e2e-under-load); any failure fails the verdict. */
  readonly journeys?: JourneysSection;
  /** The production error budget the run spent (src/slos/error-budget.ts), when Prometheus was given. */
  readonly errorBudget?: ErrorBudgetReport;
}

/** Numbers for "stable memory, no increasing error trend": informational, they do not gate. */
export interface Stability {
  readonly memoryBytes: { readonly first: number; readonly last: number; readonly max: number; readonly growth: number } | null;
  readonly eventLoopLagP99Seconds: { readonly avg: number; readonly max: number } | null;
  /** 5xx ratio in the first and second half of the run: a rising trend shows here. */
  readonly errorRatio: { readonly firstHalf: number; readonly secondHalf: number } | null;
}

const statValue = (summary: RunSummary, metric: string, stat: 'rate' | 'p(95)'): number | null => {
  const m = summary.metrics[metric];
  const v = m?.[stat === 'rate' ? 'value' : 'p(95)'];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
};

export function judge(profile: Profile, summary: RunSummary, alerts: Verdict['alerts']): Verdict {
  const thresholds = profile.thresholds.map((t): ThresholdResult => {
    const slo = sloById.get(t.slo);
    if (!slo) throw new Error(`profile ${profile.name}: unknown SLO "${t.slo}"`);
    const { metric, stat, scale = 1 } = slo.props.load;
    const limit = slo.threshold * scale;
    const value = statValue(summary, metric, stat);
    return { slo: t.slo, metric, expression: slo.loadThreshold.expression, limit, value, pass: value !== null && value < limit };
  });
  const checksRate = statValue(summary, 'checks', 'rate');
  const checks = { rate: checksRate, min: profile.checks.minPassRate, pass: checksRate !== null && checksRate >= profile.checks.minPassRate };
  const pass = thresholds.every((t) => t.pass) && checks.pass && (alerts?.fired.length ?? 0) === 0;
  return { verdict: pass ? 'PASS' : 'FAIL', profile: profile.name, thresholds, checks, alerts };
}

/** Gate alerts that were firing at any point of [start, end], from the Prometheus HTTP API. */
export async function firedGateAlerts(prometheus: string, start: Date, end: Date): Promise<FiredAlert[]> {
  const seconds = Math.max(1, Math.ceil((end.getTime() - start.getTime()) / 1000));
  const rows = await new PromClient(prometheus).query(`max by (alertname, severity, job) (max_over_time(ALERTS{gate="release", alertstate="firing"}[${seconds}s]))`, end);
  return rows.map((r) => ({ alertname: r.metric.alertname ?? '?', labels: r.metric })).sort((a, b) => a.alertname.localeCompare(b.alertname));
}

async function rangeValues(prom: PromClient, query: string, start: Date, end: Date): Promise<number[]> {
  const step = Math.ceil((end.getTime() - start.getTime()) / 1000 / 200);
  const [first] = await prom.queryRange(query, start, end, step);
  return (first?.values ?? []).map(([, v]) => Number(v)).filter(Number.isFinite);
}

async function instant(prom: PromClient, query: string, at: Date): Promise<number | null> {
  const v = Number((await prom.query(query, at))[0]?.value[1]);
  return Number.isFinite(v) ? v : null;
}

/** The target's memory, event-loop lag and error trend over the run window. */
export async function stabilityOf(prometheus: string, start: Date, end: Date, job = 'api'): Promise<Stability> {
  const prom = new PromClient(prometheus);
  const memory = await rangeValues(prom, `sum(process_resident_memory_bytes{job="${job}"})`, start, end);
  const lag = await rangeValues(prom, `max(nodejs_eventloop_lag_p99_seconds{job="${job}"})`, start, end);
  const mid = new Date((start.getTime() + end.getTime()) / 2);
  const half = `${Math.max(1, Math.round((mid.getTime() - start.getTime()) / 1000))}s`;
  const ratio = (at: Date) =>
    instant(prom, `(sum(increase(http_requests_total{job="${job}", status=~"5.."}[${half}])) or vector(0)) / sum(increase(http_requests_total{job="${job}"}[${half}]))`, at);
  const [firstHalf, secondHalf] = [await ratio(mid), await ratio(end)];
  return {
    memoryBytes: memory.length ? { first: memory[0]!, last: memory.at(-1)!, max: Math.max(...memory), growth: memory.at(-1)! / memory[0]! - 1 } : null,
    eventLoopLagP99Seconds: lag.length ? { avg: lag.reduce((a, b) => a + b, 0) / lag.length, max: Math.max(...lag) } : null,
    errorRatio: firstHalf !== null && secondHalf !== null ? { firstHalf, secondHalf } : null,
  };
}

const fmt = (v: number | null) => (v === null ? 'no samples' : Number(v.toPrecision(4)).toString());

export function verdictMarkdown(v: Verdict): string {
  const lines = [
    `# Release gate verdict: ${v.verdict}`,
    '',
    `Profile \`${v.profile}\`.`,
    '',
    '| SLO | load metric | threshold | measured | result |',
    '|---|---|---|---|---|',
    ...v.thresholds.map((t) => `| ${t.slo} | \`${t.metric}\` | \`${t.expression}\` | ${fmt(t.value)} | ${t.pass ? 'PASS' : 'FAIL'} |`),
    `| checks | \`checks\` | \`rate>=${v.checks.min}\` | ${fmt(v.checks.rate)} | ${v.checks.pass ? 'PASS' : 'FAIL'} |`,
    '',
  ];
  if (!v.alerts) lines.push('Gate alerts: not checked (no Prometheus URL given).');
  else if (!v.alerts.fired.length) lines.push(`Gate alerts: none fired between ${v.alerts.window.start} and ${v.alerts.window.end}. PASS`);
  else {
    lines.push(`Gate alerts fired between ${v.alerts.window.start} and ${v.alerts.window.end}: FAIL`, '');
    for (const a of v.alerts.fired) lines.push(`- \`${a.alertname}\` (${Object.entries(a.labels).filter(([k]) => k !== 'alertname').map(([k, val]) => `${k}=${val}`).join(', ')})`);
  }
  if (v.stability) {
    const { memoryBytes: m, eventLoopLagP99Seconds: l, errorRatio: e } = v.stability;
    lines.push('', '## Stability (informational)', '');
    lines.push(m ? `- Memory (RSS): ${(m.first / 2 ** 20).toFixed(0)} MiB → ${(m.last / 2 ** 20).toFixed(0)} MiB (max ${(m.max / 2 ** 20).toFixed(0)} MiB, ${(m.growth * 100).toFixed(1)}% growth)` : '- Memory: no samples');
    lines.push(l ? `- Event-loop lag p99: avg ${(l.avg * 1000).toFixed(1)} ms, max ${(l.max * 1000).toFixed(1)} ms` : '- Event-loop lag: no samples');
    lines.push(e ? `- 5xx ratio: first half ${(e.firstHalf * 100).toFixed(3)}%, second half ${(e.secondHalf * 100).toFixed(3)}% (${e.secondHalf > e.firstHalf * 1.5 && e.secondHalf > 0.001 ? 'RISING' : 'no rising trend'})` : '- 5xx ratio: no samples');
  }
  if (v.errorBudget) lines.push('', ...errorBudgetMarkdown(v.errorBudget)); // src/slos/error-budget.ts
  if (v.journeys) lines.push('', journeysMarkdown(v.journeys).trimEnd()); // e2e (issue 13)
  return `${lines.join('\n')}\n`;
}

export async function writeVerdict(dir: string, v: Verdict): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'verdict.json'), `${JSON.stringify(v, null, 2)}\n`);
  await writeFile(join(dir, 'verdict.md'), verdictMarkdown(v));
}

export async function readSummary(file: string): Promise<RunSummary> {
  const data = JSON.parse(await readFile(file, 'utf8')) as RunSummary;
  if (!data || typeof data.metrics !== 'object') throw new Error(`${file}: not a k6 summary export (no "metrics" object)`);
  return data;
}
