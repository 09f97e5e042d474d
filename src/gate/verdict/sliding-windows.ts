// Each SLO over the run's phases (ramp-up, steady, ramp-down: src/load-contract/phases.ts) and over
// sliding windows, so a late collapse is not averaged away by the whole run (100% errors in a run's
// last 10 s read 5.8% overall) nor hidden from an alert whose `for` outlasts it. The windowed
// expression is the SLI recording rule's own, rebuilt over the window by the construct that built the
// rule (RecordingRule.overWindow: ratioRule/quantileRule), and read with a range query of the
// target's metrics: N load generators are judged as one. The recorded 5m series itself would not do:
// its value at t covers t-5m..t, so in a 20 s run every point is the cumulative run so far.
// A breach in a steady-phase window fails the gate; ramp windows are reported, strict with the
// profile's `strictRamps`. A window with fewer events than the SLO's windowMinEvents is NOT MEASURED
// (not failing by itself; a steady phase without any event fails).
import type { PromClient } from '../../kernel/prometheus-client.js';
import { runPhases, type PhaseName } from '../../load-contract/phases.js';
import type { Profile, ScenarioName } from '../../load-contract/profile.js';
import { durationSeconds, type Duration } from '../../promql/expr.js';
import { sloById } from '../../slos/load-thresholds.js';
import type { Failure, Outcome, SloWindows } from './schema.js';

/** A window shorter than this holds too few scrapes and events to mean anything. */
export const MIN_WINDOW_S = 10;
/** Scrape intervals a window spans at least. */
const MIN_WINDOW_SCRAPES = 5;
/** The steady phase holds at least this many disjoint windows, so one can stand out. */
const WINDOWS_PER_STEADY = 3;
/** Points per window length: the sliding step. */
const POINTS_PER_WINDOW = 5;

/**
 * The window judged: the SLO's (default the alert's, e.g. 5m), capped so the steady phase holds
 * WINDOWS_PER_STEADY of them, but never below MIN_WINDOW_S or MIN_WINDOW_SCRAPES scrapes, and never
 * longer than the steady phase itself. A 15 s smoke steady phase at 1 s scrapes gets 10 s windows.
 */
export function windowSeconds(judgeS: number, steadyS: number, scrapeS: number): number {
  const floor = Math.max(MIN_WINDOW_S, MIN_WINDOW_SCRAPES * scrapeS);
  return Math.max(1, Math.round(Math.min(judgeS, steadyS, Math.max(floor, steadyS / WINDOWS_PER_STEADY))));
}

export interface AbsolutePhase {
  readonly phase: PhaseName;
  /** Unix seconds. */
  readonly start: number;
  readonly end: number;
}

/** The profile's phases placed on the clock: from the run's start, ramp-down until the run ended plus a scrape. */
export function phasesOnClock(
  profile: Profile,
  only: readonly ScenarioName[] | undefined,
  start: Date,
  end: Date,
  scrapeS: number,
): AbsolutePhase[] {
  const t0 = start.getTime();
  return runPhases(profile, only, end.getTime() - t0 + scrapeS * 1000).map((p) => ({
    phase: p.phase,
    start: (t0 + p.startMs) / 1000,
    end: (t0 + p.endMs) / 1000,
  }));
}

/** A window ending at `t` (unix s) belongs to the ramp it reaches into, else to the steady phase. */
export function phaseOfWindow(phases: readonly AbsolutePhase[], t: number, seconds: number): PhaseName {
  const steady = phases.find((p) => p.phase === 'steady')!;
  const eps = 1e-3;
  if (t - seconds < steady.start - eps) return 'ramp-up';
  if (t > steady.end + eps) return 'ramp-down';
  return 'steady';
}

/** Window end times: a grid of `step` that lands exactly on the steady phase's end, from the first full window to the run's end. */
export function windowEnds(phases: readonly AbsolutePhase[], seconds: number, step: number): number[] {
  const steady = phases.find((p) => p.phase === 'steady')!;
  const first = phases[0]!.start + seconds;
  const last = phases[phases.length - 1]!.end;
  const k = Math.floor((steady.end - first) / step + 1e-9);
  const ends: number[] = [];
  for (let t = steady.end - k * step, i = 0; t <= last + 1e-9 && i < 10_000; t += step, i++) ends.push(t);
  return ends;
}

export interface WindowPoint {
  readonly end: number;
  readonly value: number | null;
  readonly events: number;
}

const iso = (unixS: number) => new Date(Math.round(unixS * 1000)).toISOString();
const fmt = (v: number) => String(Number(v.toPrecision(4)));

function judged(start: number, end: number, value: number | null, events: number, bound: number, min: number) {
  const measured = value !== null && events >= min && events > 0;
  const outcome: Outcome = !measured ? 'NOT MEASURED' : value <= bound ? 'PASS' : 'FAIL';
  return { start: iso(start), end: iso(end), value: measured ? value : null, samples: Math.round(events), outcome };
}

/**
 * Pure: the windows and phase values of one SLO into its verdict entry and failures. `phaseValues`
 * holds each phase's value and events over the whole phase.
 */
export function judgeWindowPoints(o: {
  readonly slo: string;
  readonly title: string;
  readonly boundText: string;
  readonly bound: number;
  readonly seconds: number;
  readonly step: number;
  readonly minEvents: number;
  readonly strictRamps: boolean;
  readonly phases: readonly AbsolutePhase[];
  readonly phaseValues: ReadonlyMap<PhaseName, { value: number | null; events: number }>;
  readonly points: readonly WindowPoint[];
}): { windows: SloWindows; failures: Failure[] } {
  const failures: Failure[] = [];
  const windows = o.points.map((p) => ({
    phase: phaseOfWindow(o.phases, p.end, o.seconds),
    ...judged(p.end - o.seconds, p.end, p.value, p.events, o.bound, o.minEvents),
  }));
  const worstOf = <T extends { value: number | null }>(list: readonly T[]): T | null =>
    list.reduce<T | null>((w, x) => (x.value !== null && (w === null || x.value > w.value!) ? x : w), null);
  const phases = o.phases.map((ph) => {
    const v = o.phaseValues.get(ph.phase) ?? { value: null, events: 0 };
    const mine = windows.filter((w) => w.phase === ph.phase);
    const worst = worstOf(mine);
    const strict = ph.phase === 'steady' || o.strictRamps;
    const row = {
      phase: ph.phase,
      strict,
      ...judged(ph.start, ph.end, v.value, v.events, o.bound, o.minEvents),
      worst: worst && {
        start: worst.start,
        end: worst.end,
        value: worst.value,
        samples: worst.samples,
        outcome: worst.outcome,
      },
    };
    const span = `${o.seconds} s window ${row.worst?.start} – ${row.worst?.end}`;
    if (strict && row.worst?.outcome === 'FAIL')
      failures.push({
        source: 'window',
        subject: o.slo,
        reason: `${o.title} was ${fmt(row.worst.value!)} over the ${ph.phase}-phase ${span} (${row.worst.samples} events), above ${fmt(o.bound)} (${o.boundText})`,
      });
    else if (strict && row.outcome === 'FAIL')
      failures.push({
        source: 'window',
        subject: o.slo,
        reason: `${o.title} was ${fmt(row.value!)} over the ${ph.phase} phase ${row.start} – ${row.end} (${row.samples} events), above ${fmt(o.bound)} (${o.boundText})`,
      });
    // Too few events for a window is a run too thin to slide over (the whole run still judges it);
    // no events at all in the steady phase is a blind spot.
    else if (ph.phase === 'steady' && row.samples === 0)
      failures.push({
        source: 'window',
        subject: o.slo,
        reason: `NOT MEASURED: no events in the steady phase ${row.start} – ${row.end}`,
      });
    return row;
  });
  const worst = worstOf(windows);
  return { windows: { seconds: o.seconds, step: o.step, minEvents: o.minEvents, phases, worst }, failures };
}

const finite = (v: string | undefined): number | null => {
  const n = Number(v);
  return v !== undefined && Number.isFinite(n) ? n : null;
};

/** Max of the series' values and sum of their events at each window end. */
async function rangePoints(
  prom: PromClient,
  value: string,
  events: string,
  ends: readonly number[],
  step: number,
): Promise<WindowPoint[]> {
  if (!ends.length) return [];
  const [from, to] = [new Date(ends[0]! * 1000), new Date(ends[ends.length - 1]! * 1000)];
  const [values, counts] = await Promise.all([
    prom.queryRange(value, from, to, step),
    prom.queryRange(events, from, to, step),
  ]);
  const at = (rows: typeof values, t: number, pick: (xs: number[]) => number | null) =>
    pick(
      rows
        .flatMap((r) => r.values.filter(([ts]) => Math.abs(ts - t) < 0.5).map(([, v]) => finite(v) ?? NaN))
        .filter(Number.isFinite),
    );
  return ends.map((t) => ({
    end: t,
    value: at(values, t, (xs) => (xs.length ? Math.max(...xs) : null)),
    events: at(counts, t, (xs) => xs.reduce((a, b) => a + b, 0)) ?? 0,
  }));
}

async function instant(prom: PromClient, expr: string, at: number, reduce: 'max' | 'sum'): Promise<number | null> {
  const xs = (await prom.query(expr, new Date(at * 1000)))
    .map((r) => finite(r.value[1]))
    .filter((v): v is number => v !== null);
  if (!xs.length) return null;
  return reduce === 'max' ? Math.max(...xs) : xs.reduce((a, b) => a + b, 0);
}

export interface WindowsInput {
  readonly profile: Profile;
  readonly only?: readonly ScenarioName[];
  readonly start: Date;
  readonly end: Date;
  readonly scrapeSeconds: number;
  /** In-scope SLOs with the bound applied, in the SLO's unit. */
  readonly bounds: ReadonlyArray<{ slo: string; bound: number; text: string }>;
}

/** Every in-scope SLO over the phases and sliding windows of the run, from Prometheus. */
export async function judgeWindows(
  prom: PromClient,
  input: WindowsInput,
): Promise<{ slos: Array<{ slo: string; windows: SloWindows }>; failures: Failure[]; notJudged?: string }> {
  const phases = phasesOnClock(input.profile, input.only, input.start, input.end, input.scrapeSeconds);
  const steady = phases.find((p) => p.phase === 'steady')!;
  // A steady phase of fewer scrapes than a window needs cannot be cut into windows at all: its counters
  // have one or two samples in it. Said, not failed: the whole run is still judged from its evidence.
  const steadyS = steady.end - steady.start;
  if (steadyS < MIN_WINDOW_SCRAPES * input.scrapeSeconds)
    return {
      slos: [],
      failures: [],
      notJudged: `not judged: the steady phase (${Math.round(steadyS)} s) holds fewer than ${MIN_WINDOW_SCRAPES} scrapes at ${input.scrapeSeconds} s; the SLOs are judged over the whole run (scrape faster, or hold longer, to judge windows)`,
    };
  const out: Array<{ slo: string; windows: SloWindows }> = [];
  const failures: Failure[] = [];
  for (const { slo: id, bound, text } of input.bounds) {
    const slo = sloById.get(id);
    if (!slo?.sli.overWindow) throw new Error(`SLO ${id}: its recording rule cannot be evaluated over a window`);
    const seconds = windowSeconds(durationSeconds(slo.judgeWindow), steady.end - steady.start, input.scrapeSeconds);
    const step = Math.max(1, Math.round(Math.max(input.scrapeSeconds, seconds / POINTS_PER_WINDOW)));
    const w = slo.sli.overWindow(`${seconds}s` as Duration);
    const points = await rangePoints(prom, w.value.text, w.events.text, windowEnds(phases, seconds, step), step);
    const phaseValues = new Map<PhaseName, { value: number | null; events: number }>();
    for (const ph of phases) {
      const over = slo.sli.overWindow(`${Math.max(1, Math.round(ph.end - ph.start))}s` as Duration);
      const [value, events] = await Promise.all([
        instant(prom, over.value.text, ph.end, 'max'),
        instant(prom, over.events.text, ph.end, 'sum'),
      ]);
      phaseValues.set(ph.phase, { value, events: events ?? 0 });
    }
    const judgedSlo = judgeWindowPoints({
      slo: id,
      title: slo.props.title,
      boundText: text,
      bound,
      seconds,
      step,
      minEvents: slo.windowMinEvents,
      strictRamps: input.profile.strictRamps ?? false,
      phases,
      phaseValues,
      points,
    });
    out.push({ slo: id, windows: judgedSlo.windows });
    failures.push(...judgedSlo.failures);
  }
  return { slos: out, failures };
}
