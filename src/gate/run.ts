// `stressgate load`: validate the profile, pass the safety interlock, run the scenarios with the
// Node runner or k6, then judge the run against the SLOs (and, given Prometheus, the gate alerts).
import { execFile, spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { existsSync } from 'node:fs';
import { flows } from '../../load/flows/index.js';
import { runProfile } from '../../load/node/runner.js';
import { withJourneys, type JourneysSection } from '../e2e/journeys.js';
import { UsageError } from '../usage-error.js';
import { assertTargetAllowed } from './interlock.js';
import { durationMs, loadProfile, SCENARIOS, withHoldDuration, type Profile, type ScenarioName } from './profile.js';
import { PromClient } from '../prometheus/client.js';
import { errorBudgetConsumed } from '../slos/error-budget.js';
import { firedGateAlerts, judge, readSummary, stabilityOf, verdictMarkdown, writeVerdict, type Verdict } from './verdict.js';

export const DEFAULT_TARGET = 'http://127.0.0.1:18080';

export const K6_MISSING = `k6 is not installed. Install it from Grafana's packages (https://grafana.com/docs/k6/latest/set-up/install-k6/),
or run the same scenarios with the Node runner: add RUNNER=node (e.g. make test-load RUNNER=node PROFILE=smoke).`;

const profilePath = (root: string, p: string) => (p.endsWith('.json') ? resolve(root, p) : join(root, 'load/profiles', `${p}.json`));

async function k6Available(): Promise<boolean> {
  try {
    await promisify(execFile)('k6', ['version']);
    return true;
  } catch {
    return false;
  }
}

async function runK6(root: string, profile: Profile, target: URL, only: ScenarioName[] | undefined, out: string, wsModule: 'experimental' | 'stable'): Promise<string> {
  const { bundleK6 } = await import('./k6-bundle.js');
  const bundle = await bundleK6({ ws: wsModule, outfile: join(out, 'k6', 'main.js') });
  const profileFile = join(out, 'k6', `${profile.name}.profile.json`);
  await writeFile(profileFile, JSON.stringify(profile));
  const summary = join(out, `${profile.name}-summary.json`);
  const args = ['run', '--summary-export', summary, '-e', `PROFILE_FILE=${profileFile}`, '-e', `TARGET_URL=${target.origin}`];
  if (only) args.push('-e', `SCENARIOS=${only.join(',')}`);
  if (process.env.K6_PROMETHEUS_RW_SERVER_URL) args.push('-o', 'experimental-prometheus-rw');
  args.push(bundle);
  await new Promise<void>((resolveRun, reject) => {
    const child = spawn('k6', args, { stdio: 'inherit', cwd: root });
    // The profile bounds the run; k6 gets a minute past it before it is stopped.
    const bound = setTimeout(() => child.kill('SIGINT'), durationMs(profile.maxDuration) + 60_000);
    child.on('exit', (code) => {
      clearTimeout(bound);
      // 99 = thresholds crossed: the verdict below says which; anything else is a failed run.
      code === 0 || code === 99 ? resolveRun() : reject(new Error(`k6 exited with ${code}`));
    });
  });
  return summary;
}

export interface LoadOptions {
  readonly root: string;
  readonly profile: Profile;
  readonly runner: 'node' | 'k6';
  readonly target: URL;
  readonly only?: ScenarioName[] | undefined;
  /** Absolute artifacts directory. */
  readonly out: string;
  readonly wsModule?: 'experimental' | 'stable';
}

export interface LoadRun {
  readonly profile: Profile;
  readonly summaryFile: string;
  readonly start: Date;
  readonly end: Date;
}

/** Runs the profile (target already through the interlock); null when k6 is asked for but missing. */
export async function executeLoad(opts: LoadOptions): Promise<LoadRun | null> {
  const { profile, target, only, out } = opts;
  await mkdir(join(out, 'k6'), { recursive: true });
  const start = new Date();
  let summaryFile: string;
  if (opts.runner === 'k6') {
    if (!(await k6Available())) {
      console.error(K6_MISSING);
      return null;
    }
    summaryFile = await runK6(opts.root, profile, target, only, out, opts.wsModule ?? 'experimental');
  } else {
    console.log(`load: profile ${profile.name} against ${target.origin} with the Node runner (bounded by ${profile.maxDuration})`);
    const result = await runProfile({ profile, flows, target, ...(only ? { scenarios: only } : {}), log: (l) => process.env.LOAD_VERBOSE && console.error(l) });
    summaryFile = join(out, `${profile.name}-summary.json`);
    await writeFile(summaryFile, `${JSON.stringify(result.summary, null, 2)}\n`);
    console.log(`load: ${result.summary.metrics.iterations?.count ?? 0} iterations, peak ${result.peakVus} VUs, ${Math.round((result.end.getTime() - result.start.getTime()) / 1000)} s`);
  }
  return { profile, summaryFile, start, end: new Date() };
}

export async function runLoad(argv: string[], root = process.cwd()): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      profile: { type: 'string', default: process.env.PROFILE || 'moderate' },
      runner: { type: 'string', default: process.env.RUNNER || 'node' },
      target: { type: 'string', default: process.env.TARGET_URL || DEFAULT_TARGET },
      scenarios: { type: 'string', default: process.env.SCENARIOS || '' },
      duration: { type: 'string', default: process.env.DURATION || '' },
      out: { type: 'string', default: 'artifacts' },
      prometheus: { type: 'string', default: process.env.PROMETHEUS_URL || '' },
      'ws-module': { type: 'string', default: 'experimental' },
    },
  });
  if (values.runner !== 'node' && values.runner !== 'k6') throw new UsageError(`--runner must be node or k6, not "${values.runner}"`);
  let profile = await loadProfile(profilePath(root, values.profile));
  if (values.duration) profile = withHoldDuration(profile, values.duration);
  const only = values.scenarios ? (values.scenarios.split(',').map((s) => s.trim()) as ScenarioName[]) : undefined;
  const unknown = only?.filter((s) => !SCENARIOS.includes(s));
  if (unknown?.length) throw new UsageError(`--scenarios: unknown ${unknown.join(', ')} (known: ${SCENARIOS.join(', ')})`);
  const target = assertTargetAllowed(values.target);
  const out = resolve(root, values.out);
  const run = await executeLoad({ root, profile, runner: values.runner, target, only, out, wsModule: values['ws-module'] === 'stable' ? 'stable' : 'experimental' });
  if (!run) return 2;
  return gateVerdict({ ...run, prometheus: values.prometheus, out });
}

export async function gateVerdict(opts: {
  profile: Profile;
  summaryFile: string;
  prometheus: string;
  start: Date;
  end: Date;
  out: string;
  /** e2e (issue 13): browser journeys run under this load; they join the verdict (src/e2e/journeys.ts). */
  journeys?: JourneysSection;
}): Promise<number> {
  const summary = await readSummary(opts.summaryFile);
  let alerts: Verdict['alerts'] = null;
  if (opts.prometheus) {
    const fired = await firedGateAlerts(opts.prometheus, opts.start, opts.end);
    alerts = { prometheus: opts.prometheus, window: { start: opts.start.toISOString(), end: opts.end.toISOString() }, fired };
  }
  const stability = opts.prometheus ? await stabilityOf(opts.prometheus, opts.start, opts.end) : undefined;
  // Error budget the run consumed (src/slos/error-budget.ts): reported, it does not gate.
  const errorBudget = opts.prometheus ? await errorBudgetConsumed(new PromClient(opts.prometheus), opts.start, opts.end) : undefined;
  const judged: Verdict = { ...judge(opts.profile, summary, alerts), ...(stability ? { stability } : {}), ...(errorBudget ? { errorBudget } : {}) };
  // e2e (issue 13): a failed or over-budget journey fails the gate.
  const verdict: Verdict = opts.journeys ? withJourneys(judged, opts.journeys) : judged;
  await writeVerdict(opts.out, verdict);
  process.stdout.write(verdictMarkdown(verdict));
  return verdict.verdict === 'PASS' ? 0 : 1;
}

/** `stressgate gate`: a verdict for a summary produced elsewhere (e.g. a k6 run in CI). */
export async function runGate(argv: string[], root = process.cwd()): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      summary: { type: 'string' },
      profile: { type: 'string', default: 'moderate' },
      prometheus: { type: 'string', default: process.env.PROMETHEUS_URL || '' },
      start: { type: 'string' },
      end: { type: 'string' },
      out: { type: 'string', default: 'artifacts' },
    },
  });
  if (!values.summary || !existsSync(values.summary)) throw new UsageError('--summary FILE (a k6 --summary-export or Node runner summary) is required');
  const end = values.end ? new Date(values.end) : new Date();
  const start = values.start ? new Date(values.start) : new Date(end.getTime() - 3_600_000);
  return gateVerdict({ profile: await loadProfile(profilePath(root, values.profile)), summaryFile: values.summary, prometheus: values.prometheus, start, end, out: resolve(root, values.out) });
}
