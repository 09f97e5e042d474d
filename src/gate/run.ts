// `stressgate load`: validate the profile, pass the safety interlock, run the scenarios with k6 or the
// Node runner (./execute-load.ts), then judge the run from every source it has (./verdict/). `stressgate gate` judges
// a summary produced elsewhere. The Node runner is passed in (src/cli.ts composes it from load/), so
// the gate imports nothing of load/: both meet in src/load-contract/.
import { checkInvariants, invariantsSection, redactedUrl } from './verdict/invariants.js';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseCommand } from '../command.js';
import { UsageError } from '../usage-error.js';
import { GATE_COMMAND, LOAD_COMMAND } from './command.js';
import { assertTargetAllowed } from './interlock.js';
import { resolveBaseline, type ResolvedBaseline } from './baseline-file.js';
import { archiveFile } from './run-archive.js';
import { executeLoad, type NodeRunner } from './execute-load.js';
import { defaultRunSelector, judgeInputFromPrometheus, parseRunSelector } from './gate-prometheus.js';
import { loadProfile } from './profile-file.js';
import { recordRunReported } from './recording/index.js';
import { SCENARIOS, withHoldDuration, type Profile, type ScenarioName } from '../load-contract/profile.js';
import {
  compareToBaseline,
  exitCode,
  withBaseline,
  judgeRun,
  readSummary,
  verdictMarkdown,
  withSection,
  writeVerdict,
  type EvidenceSection,
  type JudgeInput,
} from './verdict/index.js';

export { DEFAULT_TARGET } from './command.js';
export { K6_MISSING } from './k6-driver/binary.js';

const profilePath = (root: string, p: string) =>
  p.endsWith('.json') ? resolve(root, p) : join(root, 'load/profiles', `${p}.json`);

function scenariosOption(text: string): ScenarioName[] | undefined {
  if (!text) return undefined;
  const only = text.split(',').map((s) => s.trim()) as ScenarioName[];
  const unknown = only.filter((s) => !SCENARIOS.includes(s));
  if (unknown.length)
    throw new UsageError(`--scenarios: unknown ${unknown.join(', ')} (known: ${SCENARIOS.join(', ')})`);
  return only;
}

/** `echo` takes k6's live output and the verdict's Markdown (default: stdout). */
export async function runLoad(
  argv: string[],
  nodeRunner: NodeRunner,
  root = process.cwd(),
  echo: (text: string) => void = (t) => void process.stdout.write(t),
): Promise<number> {
  const parsed = parseCommand(LOAD_COMMAND, argv);
  if (!parsed.ok) return parsed.exit;
  const { values } = parsed;
  if (values.runner !== 'node' && values.runner !== 'k6')
    throw new UsageError(`--runner must be node or k6, not "${values.runner}"`);
  const instances = values.instances ? Number(values.instances) : undefined;
  if (instances !== undefined && (!Number.isInteger(instances) || instances < 1 || instances > 64))
    throw new UsageError(`--instances must be an integer from 1 to 64, not "${values.instances}"`);
  if (instances !== undefined && values.runner !== 'k6')
    throw new UsageError('--instances needs --runner k6 (k6 splits the test by execution segments)');
  if (instances !== undefined && !values['remote-write'])
    throw new UsageError(
      "--instances needs --remote-write URL (K6_PROMETHEUS_RW_SERVER_URL): the union's percentiles are computed in that Prometheus from native histograms",
    );
  let profile = await loadProfile(profilePath(root, values.profile));
  if (values.duration) profile = withHoldDuration(profile, values.duration);
  const only = scenariosOption(values.scenarios);
  const target = assertTargetAllowed(values.target);
  assertReadsAllowed(values.prometheus, values['remote-write']);
  const out = resolve(root, values.out);
  // Checked before the load runs: a wrong baseline file costs no run.
  const baseline = await resolveBaseline(baselinePath(root, values.baseline), out, profile.name);
  const run = await executeLoad({
    root,
    profile,
    runner: values.runner,
    nodeRunner,
    target,
    ...(only ? { only } : {}),
    out,
    ...(values['remote-write'] ? { remoteWriteUrl: values['remote-write'] } : {}),
    ...(instances ? { instances } : {}),
    echo,
  });
  if (!run) return 2;
  // The platform's invariants in the target's PostgreSQL after the run (rooms, unread pointers, duplicates).
  const db = values['database-url'];
  const sections: Record<string, EvidenceSection> = db ? { invariants: await invariantsAfter(db, run.start) } : {};
  return gateVerdict(
    { ...run, ...(values.prometheus ? { prometheus: values.prometheus } : {}) },
    out,
    values['partial-ok'],
    echo,
    sections,
    baseline,
  );
}

const baselinePath = (root: string, spec: string) =>
  spec && spec !== 'latest-pass'
    ? spec
        .split(',')
        .map((f) => resolve(root, f))
        .join(',')
    : spec;

/**
 * Judges the run, joins further evidence (e.g. the browser journeys run under this load) as sections
 * that can fail it, compares it with the baseline (`--baseline`; default $BASELINE, none: the verdict
 * says the relative criteria were not judged), writes verdict.json and verdict.md, archives the
 * verdict as runs/<start>-<profile>/verdict.json, and returns the exit status.
 */
export async function gateVerdict(
  input: JudgeInput,
  out: string,
  partialOk = false,
  echo: (text: string) => void = (t) => void process.stdout.write(t),
  sections: Readonly<Record<string, EvidenceSection>> = {},
  baseline: ResolvedBaseline | string = process.env.BASELINE ?? '',
): Promise<number> {
  const base = typeof baseline === 'string' ? await resolveBaseline(baseline, out, input.profile.name) : baseline;
  const judged = Object.entries(sections).reduce((v, [id, s]) => withSection(v, id, s), await judgeRun(input));
  const verdict = withBaseline(
    judged,
    compareToBaseline(
      judged,
      base.runs.length ? base.runs : null,
      input.profile.regression ?? 'fail',
      base.note || undefined,
    ),
  );
  await writeVerdict(out, verdict);
  await archiveFile(out, input.start, verdict.profile, 'verdict.json', `${JSON.stringify(verdict, null, 2)}\n`);
  echo(verdictMarkdown(verdict));
  // The run's Prometheus data, kept for `stressgate backtest` (docs/backtest.md); off with RECORD_RUN=0.
  if (process.env.RECORD_RUN !== '0') await recordRunReported({ artifacts: out, verdict }, echo);
  return exitCode(verdict, partialOk);
}

/**
 * `stressgate gate`: a verdict for a summary produced elsewhere (e.g. a k6 run in CI), or, without
 * --summary, from Prometheus alone over --from/--to (e.g. after a k6-operator TestRun).
 */
/**
 * The Prometheus a verdict reads and the one k6 writes to pass the same allow-list as load targets:
 * loopback, or a host in STRESS_ALLOWED_HOSTS (a staging Prometheus is fine once someone listed it).
 */
function assertReadsAllowed(prometheus: string, remoteWrite: string): void {
  if (prometheus) assertTargetAllowed(prometheus, undefined, '--prometheus, PROMETHEUS_URL', 'read the verdict from');
  if (remoteWrite)
    assertTargetAllowed(remoteWrite, undefined, '--remote-write, K6_PROMETHEUS_RW_SERVER_URL', "write k6's metrics to");
}

export async function runGate(argv: string[], root = process.cwd()): Promise<number> {
  const parsed = parseCommand(GATE_COMMAND, argv);
  if (!parsed.ok) return parsed.exit;
  const { values } = parsed;
  const fromPrometheus = !values.summary;
  if (fromPrometheus && !(values.prometheus && (values.from ?? values.start)))
    throw new UsageError(
      'give --summary FILE (a k6 --summary-export or Node runner summary), or --prometheus URL --from T0 --to T1 for the verdict from Prometheus alone',
    );
  if (values.summary && !existsSync(values.summary)) throw new UsageError(`--summary ${values.summary}: no such file`);
  assertReadsAllowed(values.prometheus, '');
  if (values.runner !== 'node' && values.runner !== 'k6')
    throw new UsageError(`--runner must be node or k6, not "${values.runner}"`);
  const endText = values.to ?? values.end;
  const startText = values.from ?? values.start;
  const end = endText ? new Date(endText) : new Date();
  const start = startText ? new Date(startText) : new Date(end.getTime() - 3_600_000);
  if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime()))
    throw new UsageError('--from/--to (or --start/--end) must be ISO times, e.g. 2026-01-31T12:00:00Z');
  if (start >= end) throw new UsageError('--from must be before --to');
  const profile: Profile = await loadProfile(profilePath(root, values.profile));
  const out = resolve(root, values.out);
  const baseline = await resolveBaseline(baselinePath(root, values.baseline), out, profile.name);
  const only = scenariosOption(values.scenarios);
  let run;
  try {
    run = values.run ? parseRunSelector(values.run) : defaultRunSelector(profile.name);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const input: JudgeInput = fromPrometheus
    ? await judgeInputFromPrometheus({
        prometheus: values.prometheus,
        profile,
        ...(only ? { only } : {}),
        start,
        end,
        run,
      })
    : {
        profile,
        summary: await readSummary(values.summary!),
        runner: { kind: values.runner },
        start,
        end,
        ...(only ? { only } : {}),
        ...(values.prometheus ? { prometheus: values.prometheus } : {}),
      };
  return gateVerdict(input, out, values['partial-ok'], undefined, {}, baseline);
}

/** The invariants section; a database that cannot be read fails it (no evidence, no PASS). */
async function invariantsAfter(db: string, start: Date): Promise<EvidenceSection> {
  try {
    return invariantsSection(await checkInvariants(db, start, new Date()), redactedUrl(db));
  } catch (err) {
    const reason = `could not check the invariants in ${redactedUrl(db)}: ${(err as Error).message}`;
    return {
      title: 'Platform invariants after the run',
      pass: false,
      failures: [{ source: 'invariants', subject: 'database', reason }],
      details: null,
    };
  }
}
