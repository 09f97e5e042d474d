// Alert scenarios over time: input series sampled every evaluation step, and the alert's state at
// chosen moments (inactive, pending, firing). They pin what a single snapshot cannot: when the
// condition turns true (which depends on the range windows and the threshold), how long `for` holds
// it pending, and when it resolves. Samples aligned with evaluations make every rate() and
// increase() an exact difference of two samples, so those moments are known to the step.

/** Input series (promtool's `series` and expanding-notation `values`) and the labels they leave on the SLI. */
export interface TimelineSeries {
  readonly inputs: readonly { readonly series: string; readonly values: string }[];
  readonly labels: Readonly<Record<string, string>>;
}

export type AlertState = 'inactive' | 'pending' | 'firing';

export interface AlertExpectation {
  /** Seconds from the start of the series. */
  readonly at: number;
  readonly state: AlertState;
  /** Alert instances in that state (label sets); 1 unless the scenario says otherwise. */
  readonly instances?: number;
}

export interface AlertScenario {
  readonly title: string;
  /** Seconds between samples; also the evaluation step the expectations are placed on. */
  readonly step: number;
  readonly inputs: TimelineSeries['inputs'];
  readonly expect: readonly AlertExpectation[];
}

/** The evaluation interval generated tests use: Prometheus' own (prometheus.yml). */
export const STEP = 15;

const num = (n: number) => String(Number(n.toPrecision(12)));

/** promtool values for a series from its value at each step: runs of a constant difference become `a+bxn`. */
export function seriesValues(values: readonly number[]): string {
  const parts: string[] = [];
  let i = 0;
  while (i < values.length) {
    const start = values[i]!;
    if (i + 1 >= values.length) {
      parts.push(num(start));
      break;
    }
    const d = values[i + 1]! - start;
    let j = i + 1;
    while (j + 1 < values.length && Math.abs(values[j + 1]! - values[j]! - d) < 1e-9) j++;
    const n = j - i;
    parts.push(d === 0 ? `${num(start)}x${n}` : `${num(start)}+${num(d)}x${n}`);
    i = j + 1;
  }
  return parts.join(' ');
}

/** A counter's values from what it gains in each step (the first sample is 0). */
export function counterValues(increments: readonly number[]): string {
  const values = [0];
  for (const inc of increments) values.push(values.at(-1)! + inc);
  return seriesValues(values);
}

/**
 * The states of an alert whose condition turns true at `start` and false again at `end` (both
 * multiples of the step): quiet one step before, pending at once, still pending one step before
 * `for` runs out, firing when it does, still firing one step before the end, inactive at it.
 */
export function holdExpectations(
  start: number,
  hold: number,
  step: number,
  end?: number,
  instances = 1,
): AlertExpectation[] {
  const out: AlertExpectation[] = [{ at: start - step, state: 'inactive' }];
  if (hold > 0) {
    out.push({ at: start, state: 'pending', instances });
    if (hold > step) out.push({ at: start + hold - step, state: 'pending', instances });
  }
  out.push({ at: start + hold, state: 'firing', instances });
  if (end !== undefined) out.push({ at: end - step, state: 'firing', instances }, { at: end, state: 'inactive' });
  return out.filter((e, i) => out.findIndex((o) => o.at === e.at) === i);
}

/** Events in one evaluation step of a share-of-bad-events SLI. */
export interface StepCounts {
  readonly good: number;
  readonly bad: number;
}

/**
 * How an SLI that is a function of the share of bad events over its window (an error ratio; a
 * latency quantile with bad events above the threshold) is driven through its threshold.
 */
export interface ShareSampler {
  /** The bad-event share above which the SLI exceeds `threshold`. */
  readonly critical: (threshold: number) => number;
  /** Input series whose events per step are `steps`. */
  readonly series: (steps: readonly StepCounts[], threshold: number) => TimelineSeries;
}

/**
 * A window of healthy traffic, then traffic doubles with a share of bad events chosen so that
 * the share over the window crosses the critical share in the middle of a step, about half a window
 * in. Then a window twice or half as long, a threshold half or twice as high, or a different `for`
 * all move the first pending or firing evaluation by at least a step.
 */
export function shareCrossing(
  sampler: ShareSampler,
  threshold: number,
  window: number,
  hold: number,
  title: string,
): AlertScenario {
  const step = STEP;
  const beta = sampler.critical(threshold);
  const w = window / step; // steps
  const half = Math.max(2, Math.round(w / 2));
  const u = (half - 0.5) / w;
  // Share over the window x steps after the change: 2·s·x / ((w - x) + 2·x) = 2su/(1+u) for N1 = 2·N0.
  const share = (beta * (1 + u)) / (2 * u);
  if (!(share > 0 && share < 1))
    throw new Error(`cannot drive the SLI over ${threshold} with a share of bad events (critical share ${beta})`);
  const n0 = 100_000;
  const bad = Math.round(share * 2 * n0);
  // A full window of healthy history: the checks see whole windows of samples (no extrapolation), and a
  // window twice as long reaches back into traffic the real one never sees.
  const before = w;
  const total = before + half + hold / step + 2;
  const steps: StepCounts[] = Array.from({ length: total }, (_, i) =>
    i < before ? { good: n0, bad: 0 } : { good: 2 * n0 - bad, bad },
  );
  // Check the crossing on the exact counts: quiet at the step before, over at `half`, with margin.
  const over = (k: number) => {
    const win = steps.slice(before + k - w, before + k);
    const b = win.reduce((n, s) => n + s.bad, 0);
    return b / win.reduce((n, s) => n + s.good + s.bad, 0) / beta;
  };
  if (!(over(half) > 1.001 && over(half - 1) < 0.999))
    throw new Error(`internal: the crossing of ${threshold} is not mid-step (${over(half - 1)}, ${over(half)})`);
  const start = (before + half) * step;
  return { title, step, inputs: sampler.series(steps, threshold).inputs, expect: holdExpectations(start, hold, step) };
}

/**
 * A 0/1 gauge (`up`, a readiness flag) that reads 0 from `downAt` for `downFor` seconds and 1
 * otherwise, for an alert on `== 0` with hold `hold`. `others` are series that fail the whole time
 * and must not move this alert (another dependency, another target).
 */
export function outageScenario(
  title: string,
  series: string,
  opts: { downAt: number; downFor: number; hold: number; others?: readonly string[] },
): AlertScenario {
  const { downAt, downFor, hold } = opts;
  const n = (downAt + downFor) / STEP + 3;
  const values = Array.from({ length: n }, (_, i) => (i * STEP >= downAt && i * STEP < downAt + downFor ? 0 : 1));
  return {
    title,
    step: STEP,
    inputs: [
      { series, values: seriesValues(values) },
      ...(opts.others ?? []).map((s) => ({ series: s, values: seriesValues(values.map(() => 0)) })),
    ],
    expect: holdExpectations(downAt, hold, STEP, downAt + downFor),
  };
}

/** Steady inputs and the state they must produce once every window is full. */
export function steadyScenario(
  title: string,
  inputs: AlertScenario['inputs'],
  at: number,
  state: AlertState,
  instances = 1,
): AlertScenario {
  return { title, step: STEP, inputs, expect: [{ at, state, ...(state === 'inactive' ? {} : { instances }) }] };
}
