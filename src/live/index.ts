// `stressgate live-verify` / `make observability-verify LIVE=1`: every dashboard panel and every rule
// proven on real data. Brings up a stack (or uses PROMETHEUS_URL / TARGET_URL), runs the smoke load
// for a bounded time, then asks the real Prometheus; prints the coverage table and writes
// artifacts/signal-coverage.md + signal-coverage.json. Exit 0 pass, 1 findings, 2 usage/unreachable.
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { SCENARIO_SIGNALS } from '../../load/flows/signals.js';
import { assertTargetAllowed } from '../gate/interlock.js';
import { InterlockError } from '../load-contract/interlock.js';
import { loadProfile } from '../gate/profile-file.js';
import { withHoldDuration } from '../load-contract/profile.js';
import { k6DurationMs } from '../kernel/duration.js';
import { errorsOf, formatFinding, type Finding, type FindingFormat } from '../kernel/findings.js';
import { runLiveCheck } from './check.js';
import type { LiveReport } from './live-report.js';
import { coverageMarkdown, coverageText } from './coverage-report.js';
import { PromClient } from '../kernel/prometheus-client.js';
import { committedLiveConfig, startPrometheus, waitFor, type RunningPrometheus } from './prometheus.js';
import { lokiReadiness, type LokiReadiness } from './loki.js';
import { loadPanelTargets, loadRules } from './sources.js';
import { allCommittedRuleFiles, startLocalStack, type LocalStack } from './stack.js';
import { UsageError } from '../usage-error.js';
import { runSmokeLoad, type K6Mode } from './load.js';
import { parseCommand, stdio, type Io } from '../command.js';
import { LIVE_VERIFY_COMMAND } from './command.js';

export { runLiveCheck } from './check.js';
export type { LiveReport } from './live-report.js';
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
  /** Run the load on k6 with remote write when found (`auto`), insist on it (`require`), or not (`off`). */
  readonly k6?: K6Mode;
  readonly log?: (line: string) => void;
}

export interface LiveVerifyResult {
  readonly report: LiveReport;
  readonly load: { runner: string; checksRate: number | null; iterations: number; start: string; end: string };
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
        const text = await committedLiveConfig(
          root,
          { target: target.host, scheme: target.protocol === 'https:' ? 'https' : 'http', interval: '1s', ruleFiles },
          0,
        );
        ownProm = await startPrometheus({
          config: (port) => text.replace(/127\.0\.0\.1:0\b/g, `127.0.0.1:${port}`),
          remoteWriteReceiver: true,
        });
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
    // k6 writes into a Prometheus this run owns; an external one only when K6_PROMETHEUS_RW_SERVER_URL says where.
    const remoteWriteUrl = opts.prometheusUrl
      ? process.env.K6_PROMETHEUS_RW_SERVER_URL || undefined
      : `${prom.url}/api/v1/write`;
    const run = await runSmokeLoad({
      root,
      profile,
      target,
      ...(remoteWriteUrl ? { remoteWriteUrl } : {}),
      k6: opts.k6 ?? 'auto',
      log,
    });
    const settle = k6DurationMs(opts.settle ?? '3s');
    await new Promise((r) => setTimeout(r, settle));
    // The rule evaluator must have run since the load ended (bounded).
    await waitFor(
      async () =>
        (await prom.rules()).every((g) =>
          g.rules.every((r) => !r.lastEvaluation || Date.parse(r.lastEvaluation) > run.end.getTime()),
        ),
      Math.max(10_000, settle * 3),
      'a rule evaluation after the load',
    ).catch(() => undefined);
    const rateInterval = opts.rateInterval ?? '30s';
    const panels = await loadPanelTargets(
      opts.dashboardsDir ? resolve(opts.dashboardsDir) : join(root, 'infra/grafana/provisioning/dashboards'),
      root,
      { rateInterval },
    );
    const rules = await loadRules(ruleFiles, root);
    const checked = await runLiveCheck({
      prom,
      panels,
      rules,
      rateInterval,
      scenarioSignals: SCENARIO_SIGNALS,
      strictIdle: opts.strictIdle,
      k6Ran: run.k6Ran,
    });
    // No false alarm: a clean smoke run leaves every gate alert inactive (not even pending).
    const active = await prom.gateAlertsDuring(run.start, new Date());
    const falseAlarms = active.map((a) => ({
      rule: 'live-gate-alert-clean-run',
      file: 'infra/prometheus/alerts.yml',
      object: `alert ${a.alertname}`,
      message: `was ${a.states.join(' and ')} during a clean smoke run (${run.start.toISOString()} – ${run.end.toISOString()})`,
      fix: 'a healthy target must not trip a gate alert: check the threshold and the expression against the coverage table',
    }));
    // Loki readiness needs the app's real log lines: run when this run owns the dependencies.
    let loki: LokiReadiness | undefined;
    if (stack) loki = await lokiReadiness(root, panels, { DATABASE_URL: stack.pg.url, REDIS_URL: stack.redis.url });
    const findings = [...run.findings, ...checked.findings, ...falseAlarms, ...(loki?.findings ?? [])];
    const report: LiveReport = {
      ...checked,
      gateAlertsDuringRun: active,
      ...(loki ? { loki } : {}),
      findings,
      pass: errorsOf(findings).length === 0,
    };
    return {
      report,
      load: {
        runner: run.runner,
        checksRate: run.checksRate,
        iterations: run.iterations,
        start: run.start.toISOString(),
        end: run.end.toISOString(),
      },
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

/** CLI entry point. */
export async function runLiveVerify(argv: string[], io: Io = stdio): Promise<number> {
  const parsed = parseCommand(LIVE_VERIFY_COMMAND, argv, io);
  if (!parsed.ok) return parsed.exit;
  const { values } = parsed;
  const format = values.format as FindingFormat;
  try {
    const result = await liveVerify({
      root: values.root!,
      prometheusUrl: values.prometheus,
      targetUrl: values.target,
      dashboardsDir: values.dashboards,
      hold: values.hold,
      rateInterval: values['rate-interval'],
      settle: values.settle,
      strictIdle: values['strict-idle'],
      k6: values.k6 ?? (process.env.CI === 'true' ? 'require' : 'auto'),
      log: (l) => io.err(`${l}\n`),
    });
    const files = await writeCoverage(resolve(values.out!), result);
    const { report } = result;
    io.out(`${coverageText(report)}\n\n`);
    for (const f of report.findings) io.out(`${formatFinding(f as Finding, format)}\n`);
    io.out(
      `live-verify: ${report.pass ? 'PASS' : `FAIL (${report.findings.length} findings)`}; load on ${result.load.runner}, checks ${result.load.checksRate ?? 'n/a'}; wrote ${files.join(', ')}\n`,
    );
    return report.pass ? 0 : 1;
  } catch (err) {
    if (err instanceof UsageError || err instanceof InterlockError) {
      io.err(`stressgate live-verify: ${err.message}\n`);
      return 2;
    }
    if (err instanceof UnreachableError || /unreachable|ECONNREFUSED/.test((err as Error).message)) {
      io.err(`live-verify: ${(err as Error).message}\n`);
      return 2;
    }
    throw err;
  }
}
