// The backtest's findings from the replays: per alert per run, base vs head; per run, the gate alerts
// that would fail it on each side; and the verdicts: a gate alert (gate="release") active on base
// and not on head over a recorded run is a weaker gate, proven on that run; one active on head and
// not on base is stricter (on a recorded PASS run: it would have failed it). Alerts the plan did not
// replay behave as recorded, so a run's recorded gate alerts stand for them.
import type { AlertSummary } from './alert-states.js';
import type { BacktestPlan, ChangeKind } from './plan.js';
import type { RecordValues, RunReplay } from './replay.js';
import type { RecordedRun } from './runs.js';
import type { Verdict } from '../gate/verdict/schema.js';

export interface AlertRun {
  readonly alert: string;
  readonly name: string;
  readonly change: ChangeKind;
  readonly run: string;
  /** Gate alert on each side (absent on a side: false). */
  readonly gate: { readonly base: boolean; readonly head: boolean };
  /** null: the alert does not exist on that side. */
  readonly base: AlertSummary | null;
  readonly head: AlertSummary | null;
  /** The run's recorded gate alerts include it. */
  readonly recorded: boolean;
}

export interface RunGate {
  readonly run: string;
  readonly profile: string;
  readonly window: { readonly start: string; readonly end: string };
  readonly verdict: Verdict['verdict'];
  readonly recordedGateAlerts: readonly string[];
  /** Failed sources other than gate alerts: the run fails on them whatever the rules say. */
  readonly otherFailures: readonly string[];
  readonly baseGateAlerts: readonly string[];
  readonly headGateAlerts: readonly string[];
  /** The run would still fail on head: a gate alert active, or another source failed. */
  readonly headFails: boolean;
}

export interface Finding {
  readonly verdict: 'weaker' | 'stricter';
  readonly alert: string;
  readonly run: string;
  readonly recorded: Verdict['verdict'];
  /** One sentence: "weaker gate, proven on run X: ...". */
  readonly text: string;
}

export interface BacktestReport {
  readonly version: 1;
  readonly base: { readonly ref: string; readonly commit: string };
  readonly head: 'working tree';
  readonly runsDir: string;
  readonly runs: readonly string[];
  /** Run directories without a recording (judged without Prometheus). */
  readonly unrecorded: readonly string[];
  readonly alerts: ReadonlyArray<{ readonly alert: string; readonly change: ChangeKind }>;
  readonly records: ReadonlyArray<{ readonly record: string; readonly change: ChangeKind }>;
  readonly results: readonly AlertRun[];
  readonly recordValues: ReadonlyArray<{
    readonly record: string;
    readonly run: string;
    readonly base?: RecordValues;
    readonly head?: RecordValues;
  }>;
  readonly gates: readonly RunGate[];
  readonly weaker: readonly Finding[];
  readonly stricter: readonly Finding[];
  readonly notes: readonly string[];
  /** Per run: its replay's milliseconds and where they went (promtool, servers, rules). */
  readonly timing: {
    readonly totalMs: number;
    readonly runs: Readonly<
      Record<string, Readonly<Record<'ms' | 'blocks' | 'servers' | 'records' | 'alerts', number>>>
    >;
  };
}

const active = (s: AlertSummary | null | undefined) => !!s && s.activeEpisodes > 0;
const time = (iso: string | null) => (iso ? iso.slice(11, 19) : '');

const secs = (n: number) => `${Math.round(n)}s`;

/** "pending 1× for 26s, first 12:00:03 (never fired)" / "fired 1× for 40s, first 12:02:03 (active 1× for 160s from 12:00:03)" / "never active". */
export function describeStates(s: AlertSummary | null): string {
  if (!s) return 'absent';
  if (!s.activeEpisodes) return 'never active';
  if (!s.firingEpisodes)
    return `pending ${s.activeEpisodes}× for ${secs(s.activeSeconds)}, first ${time(s.firstActive)} (never fired)`;
  return `fired ${s.firingEpisodes}× for ${secs(s.firingSeconds)}, first ${time(s.firstFiring)} (active ${s.activeEpisodes}× for ${secs(s.activeSeconds)} from ${time(s.firstActive)})`;
}

function gateOf(run: RecordedRun, results: readonly AlertRun[], side: 'base' | 'head'): string[] {
  const replayed = new Set(results.map((r) => r.name));
  const kept = run.failingGateAlerts.filter((n) => !replayed.has(n));
  const now = results.filter((r) => r.gate[side] && active(r[side])).map((r) => r.name);
  return [...new Set([...kept, ...now])].sort();
}

function gateContext(g: RunGate): string {
  if (g.headGateAlerts.length) return `on head the run still fails the gate through ${g.headGateAlerts.join(', ')}`;
  if (g.otherFailures.length)
    return `on head no gate alert fails the run (it still fails on ${g.otherFailures.join(', ')})`;
  return 'on head the run would have passed the gate';
}

export interface ReportInput {
  readonly base: { ref: string; commit: string };
  readonly runsDir: string;
  readonly plan: BacktestPlan;
  readonly runs: readonly RecordedRun[];
  readonly unrecorded: readonly string[];
  readonly replays: readonly RunReplay[];
  readonly totalMs: number;
}

export function buildReport(input: ReportInput): BacktestReport {
  const results: AlertRun[] = [];
  const gates: RunGate[] = [];
  const weaker: Finding[] = [];
  const stricter: Finding[] = [];
  const notes: string[] = [];
  const recordValues: BacktestReport['recordValues'][number][] = [];
  for (const run of input.runs) {
    const replay = input.replays.find((r) => r.run === run.id)!;
    const mine = input.plan.alerts.map((p): AlertRun => {
      const got = replay.alerts.get(p.key) ?? {};
      return {
        alert: p.key,
        name: p.name,
        change: p.change,
        run: run.id,
        gate: { base: !!p.base?.gate, head: !!p.head?.gate },
        base: p.base ? (got.base ?? null) : null,
        head: p.head ? (got.head ?? null) : null,
        recorded: run.failingGateAlerts.includes(p.name),
      };
    });
    results.push(...mine);
    for (const [record, v] of replay.records)
      if (input.plan.records.some((r) => r.key === record)) recordValues.push({ record, run: run.id, ...v });
    const gate: RunGate = {
      run: run.id,
      profile: run.record.profile,
      window: run.record.window,
      verdict: run.verdict,
      recordedGateAlerts: run.failingGateAlerts,
      otherFailures: run.otherFailures,
      baseGateAlerts: gateOf(run, mine, 'base'),
      headGateAlerts: gateOf(run, mine, 'head'),
      headFails: gateOf(run, mine, 'head').length > 0 || run.otherFailures.length > 0,
    };
    gates.push(gate);
    for (const r of mine) {
      const onBase = r.gate.base && active(r.base);
      const onHead = r.gate.head && active(r.head);
      const at = `run ${run.id} (recorded ${run.verdict})`;
      if (onBase && !onHead)
        weaker.push({
          verdict: 'weaker',
          alert: r.alert,
          run: run.id,
          recorded: run.verdict,
          text: `weaker gate, proven on ${at}: base ${describeStates(r.base)}; head ${r.head && !r.gate.head ? 'no longer a gate alert' : describeStates(r.head)}; ${gateContext(gate)}`,
        });
      if (onHead && !onBase)
        stricter.push({
          verdict: 'stricter',
          alert: r.alert,
          run: run.id,
          recorded: run.verdict,
          text: `${run.verdict === 'PASS' ? `stricter gate: would have failed ${at}` : `stricter gate: also fires on ${at}`}: head ${describeStates(r.head)}; base ${describeStates(r.base)}`,
        });
      if (r.gate.base && r.base && active(r.base) !== r.recorded)
        notes.push(
          `${r.alert} on base replays ${active(r.base) ? 'active' : 'quiet'} over run ${run.id}, which recorded it ${r.recorded ? 'failing the gate' : 'quiet'} (rules at ${run.record.rules.commit?.slice(0, 12) ?? 'an unknown commit'}${run.record.rules.dirty ? ', edited' : ''})`,
        );
    }
  }
  return {
    version: 1,
    base: input.base,
    head: 'working tree',
    runsDir: input.runsDir,
    runs: input.runs.map((r) => r.id),
    unrecorded: input.unrecorded,
    alerts: input.plan.alerts.map((p) => ({ alert: p.key, change: p.change })),
    records: input.plan.records.map((p) => ({ record: p.key, change: p.change })),
    results,
    recordValues,
    gates,
    weaker,
    stricter,
    notes,
    timing: {
      totalMs: input.totalMs,
      runs: Object.fromEntries(input.replays.map((r) => [r.run, { ms: r.ms, ...r.phases }])),
    },
  };
}
