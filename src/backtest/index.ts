// `stressgate backtest --base REF`: the alert changes between a git ref and the working tree, replayed
// over the gate runs recorded under artifacts/runs/ (src/gate/recording/): for each changed alert,
// how often and how long base and head would have fired on each run, and whether a recorded failing
// run would still fail. Exit 1 when a gate got weaker on a recorded run, 0 otherwise, 2 on an error.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DiffInputError, GitError, loadFromGit, loadFromWorkingTree, resolveBase } from '../diff/index.js';
import { UsageError } from '../usage-error.js';
import { renderMarkdown } from './markdown.js';
import { planBacktest, PlanError } from './plan.js';
import { replayRun } from './replay.js';
import { buildReport, type BacktestReport } from './report.js';
import { readRuns } from './runs.js';
import { ReplayError } from './tsdb.js';

export { buildReport, describeStates, type BacktestReport } from './report.js';
export { planBacktest } from './plan.js';
export { renderMarkdown } from './markdown.js';

export const BACKTEST_HELP = `stressgate backtest [--base REF] [--runs DIR] [--format markdown|json] [--root DIR]

Replays the alert and recording rule changes between a git ref and the working tree (the generated
infra/prometheus/*.yml) over the gate runs recorded in DIR (default artifacts/runs; every gate run
with Prometheus records one): each changed alert's base and head version evaluated over each run in
a throw-away Prometheus, with the recording rules they read. Reports per alert and run how often and
how long each side was pending or firing, and whether each recorded run would still fail the gate;
a gate alert that fired on base and not on head is a weaker gate, proven on that run.

Exit codes: 0 no gate got weaker on a recorded run (also: nothing changed, or no recorded runs),
1 a gate got weaker on a recorded run, 2 bad usage, git error, or a recorded run that cannot be read.`;

export interface BacktestOptions {
  readonly root?: string;
  readonly out?: (text: string) => void;
  readonly err?: (text: string) => void;
}

/** `fn` over `items`, at most `n` at a time, results in the items' order. */
async function inPool<T, R>(items: readonly T[], n: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) out[i] = await fn(items[i]!);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(n, items.length)) }, worker));
  return out;
}

/**
 * Replays run `concurrency` at a time (default 2: each is mostly promtool and a Prometheus start,
 * waiting on the disk as much as on a core).
 */
export async function backtest(
  root: string,
  base: string | undefined,
  runsDir: string,
  concurrency = 2,
): Promise<BacktestReport> {
  const t0 = performance.now();
  const resolved = await resolveBase(root, base);
  const [old, now] = await Promise.all([loadFromGit(root, resolved.commit), loadFromWorkingTree(root)]);
  const plan = planBacktest(old.rules, now.rules);
  const { runs, unrecorded } = plan.alerts.length ? await readRuns(runsDir) : { runs: [], unrecorded: [] };
  const replays = await inPool(runs, concurrency, (run) => replayRun(run, plan));
  return buildReport({
    base: resolved,
    runsDir,
    plan,
    runs,
    unrecorded,
    replays,
    totalMs: Math.round(performance.now() - t0),
  });
}

/** The last line on stderr: what was found and what the exit status means. */
function outcome(r: BacktestReport): { code: number; line: string } {
  if (r.weaker.length)
    return {
      code: 1,
      line: `backtest: FAILED: ${r.weaker.length} weaker gate finding(s): ${[...new Set(r.weaker.map((w) => `${w.alert} on ${w.run}`))].join(', ')}`,
    };
  if (!r.alerts.length) return { code: 0, line: 'backtest: no alert or recording rule changed how it fires' };
  if (!r.runs.length)
    return {
      code: 0,
      line: `backtest: ${r.alerts.length} changed alert(s) NOT backtested: no recorded runs in ${r.runsDir}`,
    };
  return {
    code: 0,
    line: `backtest: ${r.alerts.length} alert(s) over ${r.runs.length} run(s): no gate got weaker (${r.stricter.length} stricter finding(s))`,
  };
}

export async function runBacktest(argv: string[], opts: BacktestOptions = {}): Promise<number> {
  const out = opts.out ?? ((s: string) => void process.stdout.write(s));
  const err = opts.err ?? ((s: string) => void process.stderr.write(s));
  let values: { base?: string; runs?: string; format?: string; root?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        base: { type: 'string' },
        runs: { type: 'string' },
        format: { type: 'string', default: 'markdown' },
        root: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    err(`backtest: ${(e as Error).message}\n\n${BACKTEST_HELP}\n`);
    return 2;
  }
  if (values.help) return (out(`${BACKTEST_HELP}\n`), 0);
  if (values.format !== 'markdown' && values.format !== 'json') {
    err(`backtest: --format must be markdown or json, not "${values.format}"\n`);
    return 2;
  }
  const root = resolve(values.root ?? opts.root ?? process.cwd());
  const runsDir = resolve(root, values.runs ?? 'artifacts/runs');
  let report: BacktestReport;
  try {
    report = await backtest(root, values.base, runsDir);
  } catch (e) {
    if ([GitError, DiffInputError, PlanError, UsageError, ReplayError].some((k) => e instanceof k)) {
      err(`backtest: ${(e as Error).message}\n`);
      return 2;
    }
    throw e;
  }
  out(values.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : renderMarkdown(report));
  const { code, line } = outcome(report);
  err(`${line}\n`);
  return code;
}
