// The go/no-go list as data: each line names the evidence it needs, says whether the artifacts hold
// it (met), contradict it (failed) or lack it (missing), and for what is missing, the command that
// produces it. The report's badge follows: FAIL if any line failed, INCOMPLETE while any evidence is
// missing, PASS only when every line is met. Missing evidence never reads PASS.
import { formatStability } from '../gate/verdict/stability-judge.js';
import { latestVerdicts, runWindowOf, verdictOf, type ReportInputs, type VerdictData } from './inputs.js';
import type { MeasuredSlo } from './slo-charts.js';

export type LineState = 'met' | 'failed' | 'missing';
export type Badge = 'PASS' | 'FAIL' | 'INCOMPLETE';

export interface Gap {
  /** What is missing, in a sentence. */
  readonly input: string;
  /** The command that produces it. */
  readonly command: string;
}

export interface LineResult {
  readonly id: string;
  readonly text: string;
  readonly state: LineState;
  /** What the artifacts say, in a sentence. */
  readonly evidence: string;
  readonly gaps: readonly Gap[];
}

export interface ChecklistContext {
  readonly inputs: ReportInputs;
  /** The SLO charts, or why none could be drawn (no Prometheus, no run window). */
  readonly charts: { readonly measured: readonly MeasuredSlo[] } | { readonly unavailable: string };
}

export const COMMAND = {
  moderate: 'PROMETHEUS_URL=<prometheus> make test-load && make keep-verdict',
  soak: 'PROMETHEUS_URL=<prometheus> make test-soak && make keep-verdict',
  live: 'make observability-verify LIVE=1',
  journeys: 'make test-e2e-under-load',
  alertsDiff: 'make report-alerts-diff BASE=<previous release tag>',
  charts: 'PROMETHEUS_URL=<the prometheus that scraped the run> make stress-report',
  approval: 'by hand: the approval column of "Weaker gate alerts" below',
} as const;

/** Every drill a release needs, with the target that runs it (mk/live.mk). */
export const DRILLS: Readonly<Record<string, string>> = {
  redis: 'make drill-redis',
  'app-restart': 'make drill-app-restart',
  db: 'make drill-db',
  alerts: 'make drill-alerts',
};

/** Profiles run to explore, not to gate (runbook step 4: the stress run finds the knee). */
const EXPLORATORY_PROFILES: ReadonlySet<string> = new Set(['stress']);

/**
 * PASS passes; FAIL (and FAIL-prefixed words) and REGRESSED (worse than the baseline) fail; anything else
 * (PARTIAL, NOT MEASURED, new words) is no release verdict.
 */
export const verdictState = (word: string): LineState =>
  word === 'PASS' ? 'met' : /^(FAIL|REGRESSED)/.test(word) ? 'failed' : 'missing';

const line = (state: LineState, evidence: string, gaps: Gap[] = []) => ({ state, evidence, gaps });
type Evaluate = (ctx: ChecklistContext) => ReturnType<typeof line>;

function gate({ inputs }: ChecklistContext) {
  const v = verdictOf(inputs, 'moderate');
  const others = inputs.verdicts.map((x) => `${x.data.profile} in ${x.file}`).join(', ');
  const noModerate = v ? [] : [{ input: 'the moderate-profile gate verdict', command: COMMAND.moderate }];
  const failed = latestVerdicts(inputs).filter(
    (x) =>
      !EXPLORATORY_PROFILES.has(x.data.profile) &&
      x.data.profile !== 'soak' &&
      verdictState(x.data.verdict) === 'failed',
  );
  if (failed.length)
    return line(
      'failed',
      `Gate verdict ${failed.map((x) => `${x.data.verdict} (profile ${x.data.profile}, ${x.file})`).join('; ')}.`,
      noModerate,
    );
  if (!v)
    return line(
      'missing',
      others ? `No moderate-profile verdict (only ${others}).` : 'No gate verdict in artifacts/.',
      noModerate,
    );
  if (verdictState(v.data.verdict) === 'missing')
    return line('missing', `The moderate verdict reads ${v.data.verdict}: not a release verdict.`, [
      { input: `a full moderate-profile verdict (${v.file} reads ${v.data.verdict})`, command: COMMAND.moderate },
    ]);
  if (!v.data.prometheus || !v.data.release)
    return line('missing', 'Moderate verdict PASS, but not a release verdict (no Prometheus evidence).', [
      { input: 'gate alerts and SLIs from Prometheus during the moderate run', command: COMMAND.moderate },
    ]);
  return line('met', `Moderate verdict PASS; no gate alert pending or firing (${v.file}).`);
}

function charts({ charts: c }: ChecklistContext) {
  if ('unavailable' in c)
    return line('missing', `No SLO chart drawn: ${c.unavailable}.`, [
      { input: `SLO charts from Prometheus (${c.unavailable})`, command: COMMAND.charts },
    ]);
  const blank = c.measured.filter((m) => m.points === 0);
  if (!blank.length)
    return line(
      'met',
      `Every SLO chart has the run's data (${c.measured.map((m) => `${m.slo.id}: ${m.points}`).join(', ')} points).`,
    );
  return line(
    'missing',
    `NOT MEASURED: ${blank.map((m) => m.slo.id).join(', ')}.`,
    blank.map((m) => ({
      input: `data for the ${m.slo.props.title} chart (${m.reason ?? 'no samples'})`,
      command: COMMAND.charts,
    })),
  );
}

function live({ inputs }: ChecklistContext) {
  const c = inputs.coverage;
  if (!c)
    return line('missing', 'No live verification in artifacts/.', [
      { input: 'live signal coverage (artifacts/signal-coverage.json)', command: COMMAND.live },
    ]);
  return c.data.pass
    ? line('met', `Live verification PASS (${c.file}).`)
    : line('failed', `Live verification FAIL: ${c.data.findings.length} finding(s) in ${c.file}.`);
}

function drills({ inputs }: ChecklistContext) {
  const found = new Map(inputs.drills.map((d) => [d.name, d]));
  const failed = inputs.drills.filter((d) => !d.data.pass);
  const gaps = Object.entries(DRILLS)
    .filter(([name]) => !found.has(name))
    .map(([name, command]) => ({ input: `the ${name} drill's result (artifacts/drills/${name}.json)`, command }));
  if (failed.length)
    return line(
      'failed',
      `Drill FAIL: ${failed.map((d) => `${d.name}${d.data.failures?.length ? ` (${d.data.failures.join('; ')})` : ''}`).join(', ')}.`,
      gaps,
    );
  if (gaps.length)
    return line(
      'missing',
      found.size
        ? `Drills passed: ${[...found.keys()].join(', ')}; not run: ${gaps.length}.`
        : 'No drill results in artifacts/drills/.',
      gaps,
    );
  return line('met', `Every drill passed (${[...found.keys()].join(', ')}).`);
}

function journeys({ inputs }: ChecklistContext) {
  const j = inputs.journeys;
  if (!j)
    return line('missing', 'No Playwright journeys in artifacts/.', [
      { input: 'browser journeys under load (artifacts/playwright/journeys.json)', command: COMMAND.journeys },
    ]);
  if (!j.data.pass)
    return line('failed', `Journeys FAIL (${j.file}): ${j.data.failures[0] ?? 'see the journeys section'}.`);
  if (!j.data.underLoad)
    return line('missing', `Journeys PASS (${j.file}), but not under load.`, [
      { input: 'the journeys run while a load profile runs', command: COMMAND.journeys },
    ]);
  return line('met', `Journeys PASS under the ${j.data.underLoad.profile} load (${j.file}).`);
}

/** Why a soak's stability judgement fails (src/slos/stability.ts's bounds, judged by the gate), if it does. */
export function soakProblems(s: NonNullable<VerdictData['stability']>): string[] {
  return s.metrics
    .filter((m) => m.outcome !== 'PASS')
    .map((m) => `${m.title}: ${m.outcome === 'FAIL' ? '' : 'NOT MEASURED, '}${m.reason}`);
}

function soak({ inputs }: ChecklistContext) {
  const v = verdictOf(inputs, 'soak');
  const gap = (input: string) => [{ input, command: COMMAND.soak }];
  if (!v)
    return line(
      'missing',
      'No soak verdict in artifacts/ (artifacts/verdicts/soak.json for the nightly run).',
      gap('the soak verdict with its stability judgement'),
    );
  const s = v.data.stability;
  const problems = s ? soakProblems(s) : [];
  if (problems.length) return line('failed', `Soak stability FAIL (${v.file}): ${problems.join('; ')}.`);
  const state = verdictState(v.data.verdict);
  if (state === 'failed') return line('failed', `Soak verdict ${v.data.verdict} (${v.file}).`);
  if (!s)
    return line(
      'missing',
      `The soak verdict (${v.file}) has no stability judgement (memory, heap, CPU per request, event-loop lag, error trend).`,
      gap('the soak stability judgement (run with PROMETHEUS_URL)'),
    );
  if (state === 'missing')
    return line('missing', `The soak verdict reads ${v.data.verdict}.`, gap('a full soak verdict'));
  const rss = s.metrics.find((m) => m.id === 'resident-memory');
  return line(
    'met',
    `Soak PASS: no metric rises significantly past its bound${rss?.rise != null ? ` (memory ${formatStability('bytes', rss.rise)} over the profile)` : ''} (${v.file}).`,
  );
}

function weaker({ inputs }: ChecklistContext) {
  const d = inputs.alertsDiff;
  if (!d)
    return line('missing', 'No alerts diff in artifacts/.', [
      {
        input: 'the alerts diff against the previous release (artifacts/alerts-diff.json)',
        command: COMMAND.alertsDiff,
      },
    ]);
  const n = d.data.weaker.length;
  if (!n) return line('met', `No weaker gate alert since ${d.data.base.ref} (${d.file}).`);
  return line('missing', `${n} weaker gate alert(s) since ${d.data.base.ref}: each needs an approval.`, [
    {
      input: `approval of ${n} weaker gate alert(s): ${d.data.weaker.map((w) => w.name).join(', ')}`,
      command: COMMAND.approval,
    },
  ]);
}

/** The go/no-go list, in the order it is printed. */
export const CHECKLIST: readonly { readonly id: string; readonly text: string; readonly evaluate: Evaluate }[] = [
  { id: 'gate', text: 'Verdict PASS on the moderate profile, no gate alert fired', evaluate: gate },
  { id: 'charts', text: 'Every SLO charted from Prometheus over the run (no NOT MEASURED chart)', evaluate: charts },
  { id: 'live', text: 'Live verification PASS: every panel and alert proven on real data', evaluate: live },
  {
    id: 'drills',
    text: 'Every drill recovered within its bound, no message lost, no room left active',
    evaluate: drills,
  },
  { id: 'journeys', text: 'Browser journeys pass under load', evaluate: journeys },
  { id: 'soak', text: 'Soak: memory flat, no rising error trend', evaluate: soak },
  { id: 'weaker', text: 'Every weaker gate alert approved', evaluate: weaker },
];

export function evaluateChecklist(ctx: ChecklistContext): LineResult[] {
  return CHECKLIST.map((l) => ({ id: l.id, text: l.text, ...l.evaluate(ctx) }));
}

export function badgeOf(lines: readonly LineResult[]): Badge {
  if (lines.some((l) => l.state === 'failed')) return 'FAIL';
  return lines.some((l) => l.state === 'missing') ? 'INCOMPLETE' : 'PASS';
}

/** The run the charts show: the moderate verdict's, else the latest verdict's. */
export function chartedVerdict(inputs: ReportInputs) {
  const v = verdictOf(inputs, 'moderate') ?? inputs.verdicts[0] ?? null;
  return v && { ...v, window: runWindowOf(v.data) };
}
