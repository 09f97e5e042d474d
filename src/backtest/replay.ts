// One recorded run replayed: its OpenMetrics loaded into blocks with promtool, a throw-away Prometheus
// over them, the recording rules each side needs evaluated level by level (a range query at the
// group's interval, written back as blocks, the server restarted to see them), then each planned
// alert's expression over the same evaluation times and its states (./alert-states.ts) within the
// window the gate judged. A side whose recording rules equal the other's shares its replay.
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { omDocument, type OmSeries } from '../gate/recording/openmetrics.js';
import { PromApiError, type PromClient } from '../kernel/prometheus-client.js';
import { alertEpisodes, summarize, type AlertSummary, type ExprRow } from './alert-states.js';
import type { BacktestPlan, PlannedRule } from './plan.js';
import type { RecordedRun } from './runs.js';
import { createBlocks, plainOpenMetrics, ReplayError, startTsdbServer, type TsdbServer } from './tsdb.js';

export type Side = 'base' | 'head';

export interface RecordValues {
  readonly series: number;
  /** Largest value within the window (NaN and ±Inf left out), or null without one. */
  readonly max: number | null;
}

export interface RunReplay {
  readonly run: string;
  readonly alerts: ReadonlyMap<string, { base?: AlertSummary; head?: AlertSummary }>;
  readonly records: ReadonlyMap<string, { base?: RecordValues; head?: RecordValues }>;
  readonly ms: number;
  /** Where the time went: promtool, Prometheus starts and stops, recording rules, alerts (ms). */
  readonly phases: Readonly<Record<'blocks' | 'servers' | 'records' | 'alerts', number>>;
}

const mapValues = <K extends string>(o: Record<K, number>, f: (n: number) => number) =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [k, f(v as number)])) as Record<K, number>;

/** Range queries return at most 11,000 points a series: longer spans are asked in pieces. */
const MAX_POINTS = 10_000;

/** Evaluation times from the first step after the recording starts to the window's end. */
export function evaluationGrid(from: number, to: number, stepS: number): number[] {
  const step = stepS * 1000;
  const out: number[] = [];
  for (let t = Math.ceil(from / step) * step; t <= to && out.length < 1_000_000; t += step) out.push(t);
  return out;
}

/** The rule's expression at every evaluation time; a query Prometheus refuses names the rule. */
async function evaluate(
  client: PromClient,
  rule: PlannedRule,
  grid: readonly number[],
  stepS: number,
): Promise<ExprRow[]> {
  try {
    return await evaluateExpr(client, rule.expr, grid, stepS);
  } catch (err) {
    if (err instanceof PromApiError)
      throw new ReplayError(`${rule.where}: Prometheus refused its expression: ${err.message}`);
    throw err;
  }
}

async function evaluateExpr(
  client: PromClient,
  expr: string,
  grid: readonly number[],
  stepS: number,
): Promise<ExprRow[]> {
  const rows = new Map<string, { metric: Record<string, string>; values: [number, string][] }>();
  for (let i = 0; i < grid.length; i += MAX_POINTS) {
    const part = grid.slice(i, i + MAX_POINTS);
    const got = await client.queryRange(expr, new Date(part[0]!), new Date(part[part.length - 1]!), stepS);
    for (const r of got) {
      const k = JSON.stringify(Object.entries(r.metric).sort());
      const known = rows.get(k) ?? rows.set(k, { metric: r.metric, values: [] }).get(k)!;
      known.values.push(...r.values);
    }
  }
  return [...rows.values()];
}

const stepOf = (r: PlannedRule, run: RecordedRun) => r.intervalSeconds ?? run.record.recorded.evaluationIntervalSeconds;

function recordValues(rows: readonly ExprRow[], from: number, to: number): RecordValues {
  const inWindow = rows.flatMap((r) =>
    r.values.filter(([t]) => t * 1000 >= from && t * 1000 <= to).map(([, v]) => Number(v)),
  );
  const finite = inWindow.filter(Number.isFinite);
  return { series: rows.length, max: finite.length ? Math.max(...finite) : null };
}

export async function replayRun(run: RecordedRun, plan: BacktestPlan): Promise<RunReplay> {
  const t0 = performance.now();
  const tmp = await mkdtemp(join(tmpdir(), 'stressgate-backtest-'));
  const rec = run.record.recorded;
  const from = Date.parse(rec.from);
  const ws = Date.parse(run.record.window.start);
  const we = Date.parse(run.record.window.end);
  // About when a live server's staleness marker would have ended a series (./tsdb.ts).
  const lookback = 3 * Math.max(rec.scrapeIntervalSeconds, rec.evaluationIntervalSeconds);
  const alerts = new Map<string, { base?: AlertSummary; head?: AlertSummary }>();
  const records = new Map<string, { base?: RecordValues; head?: RecordValues }>();
  const servers: TsdbServer[] = [];
  const phases = { blocks: 0, servers: 0, records: 0, alerts: 0 };
  const timed = async <T>(phase: keyof typeof phases, fn: () => Promise<T>): Promise<T> => {
    const t = performance.now();
    try {
      return await fn();
    } finally {
      phases[phase] += performance.now() - t;
    }
  };
  const start = async (data: string) => {
    const server = await timed('servers', () => startTsdbServer(data, lookback));
    servers.push(server);
    return server;
  };
  try {
    const raw = join(tmp, 'raw');
    await timed('blocks', async () =>
      createBlocks(await plainOpenMetrics(run.metricsPath, join(tmp, 'metrics.om')), raw),
    );
    const stores: Side[][] = plan.sameRecords ? [['base', 'head']] : [['base'], ['head']];
    for (const [i, sides] of stores.entries()) {
      const data = join(tmp, `store-${i}`, 'data');
      await mkdir(join(tmp, `store-${i}`), { recursive: true });
      await cp(raw, data, { recursive: true });
      let server = await start(data);
      for (const [n, level] of plan.levels[sides[0]!].entries()) {
        const out: OmSeries[] = [];
        for (const r of level) {
          const step = stepOf(r, run);
          const rows = await timed('records', () => evaluate(server.client, r, evaluationGrid(from, we, step), step));
          for (const side of sides) {
            const known = records.get(r.key) ?? records.set(r.key, {}).get(r.key)!;
            known[side] = recordValues(rows, ws, we);
          }
          for (const row of rows)
            out.push({
              labels: { ...row.metric, ...r.labels, __name__: r.name },
              samples: row.values.map(([t, v]) => [Math.round(t * 1000), v] as const),
            });
        }
        await timed('servers', () => server.stop());
        const file = join(tmp, `store-${i}`, `level-${n}.om`);
        await writeFile(file, omDocument(out));
        if (out.length) await timed('blocks', () => createBlocks(file, data));
        server = await start(data);
      }
      for (const pair of plan.alerts) {
        for (const side of sides) {
          const rule = pair[side];
          if (!rule) continue;
          const step = stepOf(rule, run);
          const grid = evaluationGrid(from, we, step);
          const rows = await timed('alerts', () => evaluate(server.client, rule, grid, step));
          const states = summarize(alertEpisodes({ ...rule, name: rule.name }, rows, grid), ws, we);
          const known = alerts.get(pair.key) ?? alerts.set(pair.key, {}).get(pair.key)!;
          known[side] = states;
        }
      }
      await timed('servers', () => server.stop());
    }
  } finally {
    for (const s of servers) await s.stop().catch(() => {});
    await rm(tmp, { recursive: true, force: true });
  }
  const ms = Math.round(performance.now() - t0);
  return { run: run.id, alerts, records, ms, phases: mapValues(phases, Math.round) };
}
