// The release-gate verdict on one load run. It reads every source and says which one failed and why:
//   k6 / node-runner  the run summary against the SLO-derived thresholds (./load-summary.ts)
//   prometheus-sli    each SLI over the whole run from the target's metrics (./prometheus-slis.ts)
//   gate-alert        any gate alert pending or firing during the run (./gate-alerts.ts)
//   evidence          samples behind every number, blind SLIs, rule failures, k6 remote write (./evidence.ts)
//   window            each SLI over the run's phases and sliding windows (./sliding-windows.ts)
//   stability         soak and stress runs: memory, heap, CPU per request, event-loop lag, error trend (./stability.ts)
// and whether the run itself was valid (./validity.ts): if not, INCOMPLETE.
// No evidence, no PASS: an SLO without samples is NOT MEASURED and fails a full run; a run that
// could not judge everything is PARTIAL, never PASS. The decision is in ./decide.ts.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runScope, type SloLoadMap } from '../../load-contract/thresholds.js';
import { PromClient } from '../../kernel/prometheus-client.js';
import { errorBudgetConsumed } from './error-budget.js';
import type { Profile, ScenarioName } from '../../load-contract/profile.js';
import { sloLoadMap } from '../../slos/load-thresholds.js';
import { sliDistributions } from './baseline/collect.js';
import { assemble, type VerdictParts } from './decide.js';
import { remoteWriteEvidence, ruleEvaluationFailures } from './evidence.js';
import { gateAlertFailures } from './gate-alerts.js';
import { judgeLoad, type RunSummary } from './load-summary.js';
import { verdictMarkdown } from './markdown.js';
import { judgeSlis } from './prometheus-slis.js';
import { parseVerdict, type Failure, type Verdict } from './schema.js';
import { judgeRunStability } from './stability.js';
import { runValidity } from './validity.js';
import { settledWindow } from './window.js';
import { judgeWindows } from './sliding-windows.js';
import { queryBaseOf } from './evidence.js';

export { decide, exitCode, withSection } from './decide.js';
export { compareToBaseline, withBaseline, type BaselineRun } from './baseline/index.js';
export { readSummary, type RunSummary } from './load-summary.js';
export { verdictMarkdown } from './markdown.js';
export * from './schema.js';

export interface JudgeInput {
  readonly profile: Profile;
  readonly summary: RunSummary;
  readonly only?: readonly ScenarioName[];
  readonly runner: Verdict['runner'];
  readonly start: Date;
  readonly end: Date;
  /** Prometheus scraping the target with the gate rules loaded; without it the verdict is PARTIAL at best. */
  readonly prometheus?: string;
  /** First error per scenario (k6's log or the Node runner). */
  readonly firstErrors?: Readonly<Record<string, string>>;
  /** Failures from outside the summary (k6 exceptions, exit code). */
  readonly runFailures?: readonly Failure[];
  /** k6 wrote its metrics here, tagged testid=<testid>. */
  readonly remoteWrite?: {
    readonly url: string;
    readonly testid: string;
    readonly errors: readonly string[];
    readonly label?: string;
  } | null;
  readonly slos?: SloLoadMap;
  /** The load generator's own measurements (k6's CPU from /proc, src/gate/k6-driver/cpu.ts). */
  readonly loadGenerator?: { readonly cpu: { readonly cores: number; readonly peakCores: number } | null };
}

async function prometheusSide(
  url: string,
  input: JudgeInput,
  parts: Pick<VerdictParts, 'load'>,
): Promise<
  Pick<VerdictParts, 'prometheus' | 'stability' | 'errorBudget' | 'windows'> & Pick<Verdict, 'distributions'>
> {
  const prom = new PromClient(url);
  const w = await settledWindow(prom, input.start, input.end);
  const bounds = parts.load.slos.map((s) => ({ slo: s.threshold.slo, bound: s.threshold.bound }));
  const { scrape } = await prom.intervals();
  const [slis, alerts, rules, windows, distributions] = await Promise.all([
    judgeSlis(prom, bounds, w),
    gateAlertFailures(prom, input.start, w.end),
    ruleEvaluationFailures(prom, w.end, w.seconds),
    judgeWindows(prom, {
      profile: input.profile,
      ...(input.only ? { only: input.only } : {}),
      start: input.start,
      end: input.end,
      scrapeSeconds: scrape,
      bounds: parts.load.slos.map((s) => ({
        slo: s.threshold.slo,
        bound: s.threshold.bound,
        text: `${s.threshold.source === 'profile' ? 'the profile' : 'the SLO'}'s ${s.threshold.expression}`,
      })),
    }),
    // Kept for a later run's baseline comparison; evidence, not a judgement: a failed query drops it.
    sliDistributions(
      prom,
      bounds.map((b) => b.slo),
      w,
      input.start,
    ).catch(() => undefined),
  ]);
  // The soak's criteria (memory, heap, CPU per request, event-loop lag, error trend): soak and stress runs only.
  const stability = await judgeRunStability(prom, {
    profile: input.profile,
    ...(input.only ? { only: input.only } : {}),
    start: input.start,
    end: input.end,
    scrapeSeconds: scrape,
  });
  return {
    prometheus: {
      evidence: {
        url,
        window: { start: w.start.toISOString(), end: w.end.toISOString(), seconds: w.seconds },
        gateAlerts: alerts.alerts,
        recordingRules: slis.recordingRules,
        ruleEvaluationFailures: rules.count,
        ...(windows.notJudged ? { windowsNotJudged: windows.notJudged } : {}),
      },
      slis: slis.slis,
      failures: [
        ...w.failures,
        ...slis.failures,
        ...alerts.failures,
        ...rules.failures,
        ...windows.failures,
        ...(stability?.failures ?? []),
      ],
    },
    windows: windows.slos,
    ...(stability ? { stability: stability.judgement } : {}),
    // What the run would cost production: reported, it does not gate.
    errorBudget: await errorBudgetConsumed(prom, input.start, input.end).then((b) => ({
      window: b.window,
      slos: [...b.slos],
    })),
    ...(distributions ? { distributions } : {}),
  };
}

/** Judges a finished run from every source it has. */
export async function judgeRun(input: JudgeInput): Promise<Verdict> {
  const slos = input.slos ?? sloLoadMap();
  const scope = runScope(input.profile, slos, input.only);
  const load = judgeLoad({
    profile: input.profile,
    summary: input.summary,
    scope,
    slos,
    runner: input.runner.kind,
    firstErrors: input.firstErrors ?? {},
  });
  const { distributions, ...prom }: Partial<Awaited<ReturnType<typeof prometheusSide>>> = input.prometheus
    ? await prometheusSide(input.prometheus, input, { load })
    : { prometheus: null, distributions: undefined };
  const remoteWrite = input.remoteWrite
    ? await remoteWriteEvidence(
        input.remoteWrite.url,
        input.remoteWrite.testid,
        input.remoteWrite.errors,
        new Date(),
        input.remoteWrite.label,
      )
    : null;
  const rw = input.remoteWrite;
  const apiRequests = prom.prometheus?.slis.find((s) => s.slo === 'http-5xx-ratio')?.samples;
  const validity = await runValidity({
    profile: input.profile,
    ...(input.only ? { only: input.only } : {}),
    summary: input.summary,
    start: input.start,
    end: input.end,
    ...(input.runner.instances ? { instances: input.runner.instances } : {}),
    cpu: input.loadGenerator?.cpu ?? null,
    k6: rw ? { prom: new PromClient(queryBaseOf(rw.url)), label: rw.label ?? 'testid', value: rw.testid } : null,
    target: apiRequests === undefined ? null : { apiRequests },
  });
  const verdict = assemble({
    profile: input.profile.name,
    runner: input.runner,
    window: { start: input.start, end: input.end },
    scope,
    slos,
    load,
    ...prom,
    prometheus: prom.prometheus ?? null,
    remoteWrite,
    validity,
    ...(input.runFailures ? { runFailures: input.runFailures } : {}),
  });
  return distributions ? { ...verdict, distributions } : verdict;
}

/** Writes artifacts/verdict.json (checked against the schema first) and verdict.md. */
export async function writeVerdict(dir: string, v: Verdict): Promise<void> {
  parseVerdict(v);
  await mkdir(dir, { recursive: true });
  // Both written aside first, then renamed: a crash leaves the previous verdict, never half of one.
  const files: [string, string][] = [
    [join(dir, 'verdict.json'), `${JSON.stringify(v, null, 2)}\n`],
    [join(dir, 'verdict.md'), verdictMarkdown(v)],
  ];
  for (const [f, body] of files) await writeFile(`${f}.tmp-${process.pid}`, body);
  for (const [f] of files) await rename(`${f}.tmp-${process.pid}`, f);
}

export async function readVerdict(file: string): Promise<Verdict> {
  return parseVerdict(JSON.parse(await readFile(file, 'utf8')), file);
}
