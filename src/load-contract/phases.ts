// A run's phases from its profile's stages, so the load side and the gate agree on when the load was
// steady: ramp-up, steady, ramp-down, as offsets from the run's start. With several scenarios the
// steady phase is the intersection of their `hold` stages (every scenario at its target at once); before
// it is ramp-up, after it ramp-down. A profile without any `hold` is steady throughout (nothing to call
// a ramp, so it is judged strictly everywhere); holds that never overlap have no steady phase, which
// loading a profile refuses (src/gate/profile-file.ts). Pure and free of Node: bundled with the rest of the load contract.
import { k6DurationMs as durationMs } from '../kernel/duration.js';
import type { Profile, ScenarioName, ScenarioProfile } from './profile.js';

export const PHASES = ['ramp-up', 'steady', 'ramp-down'] as const;
export type PhaseName = (typeof PHASES)[number];

export interface Phase {
  readonly phase: PhaseName;
  /** Milliseconds from the run's start. */
  readonly startMs: number;
  readonly endMs: number;
}

interface Span {
  readonly startMs: number;
  readonly endMs: number;
}

const scenariosOf = (profile: Profile, only?: readonly ScenarioName[]) =>
  Object.entries(profile.scenarios).filter(([name]) => !only || only.includes(name as ScenarioName));

/** From the first hold stage's start to the last one's end, for one scenario; null without a hold. */
function holdSpan(s: ScenarioProfile): Span | null {
  let t = durationMs(s.startTime ?? '0s');
  let first: number | null = null;
  let last = 0;
  for (const st of s.stages) {
    const end = t + durationMs(st.duration);
    if (st.hold) [first, last] = [first ?? t, end];
    t = end;
  }
  return first === null ? null : { startMs: first, endMs: last };
}

/** When the last scenario's last stage ends (k6's graceful ramp-down may run past it). */
export function plannedEndMs(profile: Profile, only?: readonly ScenarioName[]): number {
  return Math.max(
    0,
    ...scenariosOf(profile, only).map(
      ([, s]) => durationMs(s.startTime ?? '0s') + s.stages.reduce((t, st) => t + durationMs(st.duration), 0),
    ),
  );
}

/** The steady span: the intersection of the scenarios' holds; the whole run when none has one; null when they never overlap. */
export function steadySpan(profile: Profile, only?: readonly ScenarioName[]): Span | null {
  const holds = scenariosOf(profile, only)
    .map(([, s]) => holdSpan(s))
    .filter((h): h is Span => h !== null);
  if (!holds.length) return { startMs: 0, endMs: plannedEndMs(profile, only) };
  const startMs = Math.max(...holds.map((h) => h.startMs));
  const endMs = Math.min(...holds.map((h) => h.endMs));
  return endMs > startMs ? { startMs, endMs } : null;
}

/**
 * The run's phases as offsets from its start; ramp-down runs to `actualEndMs` when given (the run
 * ends after its last stage: k6 lets iterations finish). Empty ramps are left out.
 */
export function runPhases(profile: Profile, only?: readonly ScenarioName[], actualEndMs?: number): Phase[] {
  const steady = steadySpan(profile, only);
  if (!steady) throw new Error(`profile ${profile.name}: the scenarios' hold stages never overlap (no steady phase)`);
  const end = Math.max(actualEndMs ?? 0, plannedEndMs(profile, only), steady.endMs);
  const phases: Phase[] = [];
  if (steady.startMs > 0) phases.push({ phase: 'ramp-up', startMs: 0, endMs: steady.startMs });
  phases.push({ phase: 'steady', ...steady });
  if (end > steady.endMs) phases.push({ phase: 'ramp-down', startMs: steady.endMs, endMs: end });
  return phases;
}

/** Virtual users the profile plans at `tMs` (the stages ramp linearly), summed over its scenarios. */
export function plannedVusAt(profile: Profile, tMs: number, only?: readonly ScenarioName[]): number {
  let total = 0;
  for (const [, s] of scenariosOf(profile, only)) {
    let t = durationMs(s.startTime ?? '0s');
    let from = 0;
    for (const st of s.stages) {
      const d = durationMs(st.duration);
      if (tMs >= t && tMs <= t + d) {
        total += d ? from + ((st.target - from) * (tMs - t)) / d : st.target;
        break;
      }
      t += d;
      from = st.target;
    }
  }
  return total;
}

/** Virtual users planned during the steady phase (every scenario at its hold target). */
export function steadyVus(profile: Profile, only?: readonly ScenarioName[]): number {
  const steady = steadySpan(profile, only);
  return steady ? Math.round(plannedVusAt(profile, (steady.startMs + steady.endMs) / 2, only)) : 0;
}

/** Why the profile has no steady phase, or null: the profile loader's field error. */
export function steadyProblem(profile: Profile): string | null {
  return steadySpan(profile)
    ? null
    : "the scenarios' hold stages never overlap, so the run has no steady phase to judge: align their holds (startTime, stage durations)";
}
