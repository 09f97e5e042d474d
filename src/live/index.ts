// `stressgate live-verify` / `make observability-verify LIVE=1`: every dashboard panel and every rule
// proven on real data. Brings up a stack (or uses PROMETHEUS_URL / TARGET_URL), runs the smoke load
// for a bounded time, then asks the real Prometheus; prints the coverage table and writes
// artifacts/signal-coverage.md + signal-coverage.json. Exit 0 pass, 1 findings, 2 usage/unreachable.
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { flows } from '../../load/flows/index.js';
import { SCENARIO_SIGNALS } from '../../load/flows/signals.js';
import { runProfile } from '../../load/node/runner.js';
import { assertTargetAllowed, InterlockError } from '../gate/interlock.js';
import { durationMs, loadProfile, withHoldDuration } from '../gate/profile.js';
import { formatFinding, type Finding, type FindingFormat } from '../verify/findings.js';
import { runLiveCheck, type LiveReport } from './check.js';
import { coverageMarkdown, coverageText } from './coverage-report.js';
import { committedLiveConfig, PromClient, startPrometheus, waitFor, type RunningPrometheus } from './prometheus.js';
import { gateAlertsDuring } from '../drills/alerts.js';
import { lokiReadiness, type LokiReadiness } from './loki.js';
import { loadPanelTargets, loadRules } from './sources.js';
import { allCommittedRuleFiles, startLocalStack, type LocalStack } from './stack.js';
import { UsageError } from '../usage-error.js';
import { parseCommand, stdio, type Io } from '../command.js';

export { runLiveCheck, type LiveReport } from './check.js';
export { coverageMarkdown, coverageText } from './coverage-report.js';

export interface LiveVerifyOptions {
  readonly root: string;
  /** Use this Prometheus (it must scrape the target and load the committed rules). */
  readonly prometheusUrl?: string;
  /** Load this target; with no Prometheus given, one is started that scrapes it every second. */
  readonly targetUrl?: string;
  readonly dashboardsDir?: string;
  readonly ruleFiles?: readonly string[];
  /** Total smoke load time (default 15s). */
  readonly hold?: string;
  /** `$__rate_interval` substitute (default 30s: well over 4 × the 1 s scrape interval). */
  readonly rateInterval?: string;
  /** Wait after the load for the last scrapes and rule evaluations (default 3s; longer for a production-interval Prometheus). */
  readonly settle?: string;
  /** Panels/rules that are empty on a healthy run (5xx-only, ALERTS) fail too. */
  readonly strictIdle?: boolean;
  readonly log?: (line: string) => void;
}

export interface LiveVerifyResult {
  readonly report: LiveReport;
  readonly load: { checksRate: number | null; iterations: number; start: string; end: string };
}

/** Runs load + the live check; starts and stops whatever it needs. */
export async function liveVerify(opts: LiveVerifyOptions): Promise<LiveVerifyResult> {
  const log = opts.log ?? (() => {});
  const root = resolve(opts.root);
  // Every committed rule file: the dashboards read the burn-rate rules too.
  const ruleFiles = opts.ruleFiles ?? (await allCommittedRuleFiles(root));
  let stack: LocalStack | undefined;
  let ownProm: RunningPrometheus | undefined;
  try {
    let target: URL;
    let prom: PromClient;
    if (opts.targetUrl) {
      target = assertTargetAllowed(opts.targetUrl);
      if (opts.prometheusUrl) prom = new PromClient(opts.prometheusUrl);
      else {
        const text = await committedLiveConfig(root, { target: target.host, scheme: target.protocol === 'https:' ? 'https' : 'http', interval: '1s', ruleFiles }, 0);
        ownProm = await startPrometheus({ config: (port) => text.replace(/127\.0\.0\.1:0\b/g, `127.0.0.1:${port}`) });
        prom = ownProm.client;
        log(`prometheus ${ownProm.url} scraping ${target.host} every 1s`);
      }
    } else if (opts.prometheusUrl) {
      throw new UsageError('--prometheus needs --target (the service that Prometheus scrapes)');
    } else {
      log('starting PostgreSQL, Redis, the reference app and Prometheus on 127.0.0.1 ...');
      stack = await startLocalStack({ root, ruleFiles });
      target = new URL(stack.app.base);
      prom = stack.prometheus.client;
      log(`app ${stack.app.base}, prometheus ${stack.prometheus.url}`);
    }
    if (!(await prom.ready())) throw new UnreachableError(`Prometheus at ${prom.url} is not ready`);
    const profile = withHoldDuration(await loadProfile(join(root, 'load/profiles/smoke.json')), opts.hold ?? '15s');
    log(`smoke load against ${target.origin} for ${opts.hold ?? '15s'} ...`);
    const run = await runProfile({ profile, flows, target });
    const settle = durationMs(opts.settle ?? '3s');
    await new Promise((r) => setTimeout(r, settle));
    // The rule evaluator must have run since the load ended (bounded).
    await waitFor(async () => (await prom.rules()).every((g) => g.rules.every((r) => !r.lastEvaluation || Date.parse(r.lastEvaluation) > run.end.getTime())), Math.max(10_000, settle * 3), 'a rule evaluation after the load').catch(() => undefined);
    const rateInterval = opts.rateInterval ?? '30s';
    const panels = await loadPanelTargets(opts.dashboardsDir ? resolve(opts.dashboardsDir) : join(root, 'infra/grafana/provisioning/dashboards'), root, { rateInterval });
    const rules = await loadRules(ruleFiles, root);
    const checked = await runLiveCheck({ prom, panels, rules, rateInterval, scenarioSignals: SCENARIO_SIGNALS, strictIdle: opts.strictIdle });
    // No false alarm: a clean smoke run leaves every gate alert inactive (not even pending).
    const active = await gateAlertsDuring(prom, run.start, new Date());
    const falseAlarms = active.map((a) => ({
      rule: 'live-gate-alert-clean-run',
      file: 'infra/prometheus/alerts.yml',
      object: `alert ${a.alertname}`,
      message: `was ${a.alertstate} during a clean smoke run (${run.start.toISOString()} – ${run.end.toISOString()})`,
      fix: 'a healthy target must not trip a gate alert: check the threshold and the expression against the coverage table',
    }));
    // Loki readiness needs the app's real log lines: run when this run owns the dependencies.
    let loki: LokiReadiness | undefined;
    if (stack) loki = await lokiReadiness(root, panels, { DATABASE_URL: stack.pg.url, REDIS_URL: stack.redis.url });
    const findings = [...checked.findings, ...falseAlarms, ...(loki?.findings ?? [])];
    const report: LiveReport = { ...checked, gateAlertsDuringRun: active, ...(loki ? { loki } : {}), findings, pass: findings.length === 0 };
    const checks = run.summary.metrics.checks;
    return {
      report,
      load: { checksRate: checks?.value ?? null, iterations: run.summary.metrics.iterations?.count ?? 0, start: run.start.toISOString(), end: run.end.toISOString() },
    };
  } finally {
    await stack?.stop();
    await ownProm?.stop();
  }
}

class UnreachableError extends Error {}

export async function writeCoverage(dir: string, result: LiveVerifyResult): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const md = join(dir, 'signal-coverage.md');
  const json = join(dir, 'signal-coverage.json');
  await writeFile(md, coverageMarkdown(result.report));
  await writeFile(json, `${JSON.stringify({ ...result.report, load: result.load }, null, 2)}\n`);
  return [md, json];
}

const USAGE = `live-verify [--prometheus URL --target URL] [--target URL] [--out DIR] [--dashboards DIR]
            [--hold 15s] [--rate-interval 30s] [--settle 3s] [--strict-idle] [--root DIR] [--format text|github]
  Without --target, starts PostgreSQL, Redis, the reference app and Prometheus (1 s intervals) itself.
  Env: PROMETHEUS_URL, TARGET_URL (as the flags). Exit: 0 pass, 1 findings, 2 usage or unreachable.`;

/** CLI entry point. */
export async function runLiveVerify(argv: string[], io: Io = stdio): Promise<number> {
  const parsed = parseCommand(
    argv,
    {
      prometheus: { type: 'string' },
      target: { type: 'string' },
      out: { type: 'string', default: 'artifacts' },
      dashboards: { type: 'string' },
      hold: { type: 'string' },
      'rate-interval': { type: 'string' },
      settle: { type: 'string' },
      'strict-idle': { type: 'boolean', default: false },
      root: { type: 'string', default: '.' },
      format: { type: 'string', default: 'text' },
    },
    USAGE,
    io,
  );
  if (!parsed.ok) return parsed.exit;
  const { values } = parsed;
  const format = values.format as FindingFormat;
  try {
    const result = await liveVerify({
      root: values.root!,
      prometheusUrl: values.prometheus ?? (process.env.PROMETHEUS_URL || undefined),
      targetUrl: values.target ?? (process.env.TARGET_URL || undefined),
      dashboardsDir: values.dashboards,
      hold: values.hold,
      rateInterval: values['rate-interval'],
      settle: values.settle,
      strictIdle: values['strict-idle'],
      log: (l) => io.err(`${l}\n`),
    });
    const files = await writeCoverage(resolve(values.out!), result);
    const { report } = result;
    io.out(`${coverageText(report)}\n\n`);
    for (const f of report.findings) io.out(`${formatFinding(f as Finding, format)}\n`);
    io.out(
      `live-verify: ${report.pass ? 'PASS' : `FAIL (${report.findings.length} findings)`}; load checks ${result.load.checksRate ?? 'n/a'}; wrote ${files.join(', ')}\n`,
    );
    return report.pass ? 0 : 1;
  } catch (err) {
    if (err instanceof UsageError || err instanceof InterlockError) {
      io.err(`live-verify: ${err.message}\n${USAGE}\n`);
      return 2;
    }
    if (err instanceof UnreachableError || /unreachable|ECONNREFUSED/.test((err as Error).message)) {
      io.err(`live-verify: ${(err as Error).message}\n`);
      return 2;
    }
    throw err;
  }
}
