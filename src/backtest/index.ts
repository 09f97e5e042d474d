// `stressgate backtest --base REF`: the alert changes between a git ref and the working tree, replayed
// over the gate runs recorded under artifacts/runs/ (src/gate/recording/): for each changed alert,
// how often and how long base and head would have fired on each run, and whether a recorded failing
// run would still fail. Exit 1 when a gate got weaker on a recorded run, 0 otherwise, 2 on an error.
import { resolve } from 'node:path';
import { commandHelp, parseCommand } from '../command.js';
import { BACKTEST_COMMAND } from './command.js';
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

export const BACKTEST_HELP = commandHelp(BACKTEST_COMMAND);

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
  let parsed;
  try {
    parsed = parseCommand(BACKTEST_COMMAND, argv, { out, err });
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    err(`stressgate backtest: ${e.message}\n`);
    return 2;
  }
  if (!parsed.ok) return parsed.exit;
  const { values } = parsed;
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
