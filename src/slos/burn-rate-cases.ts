// Test series for the burn-rate recording rules: a counter history whose bad events fall and whose
// traffic rises with age, in steps at every window, at half of it and at twice it. Each window then
// averages a different stretch, so any one window written 2× too long or too short (numerator or
// denominator) or a dropped route filter (via the `excluded` series) changes the recorded value. Expected values are computed
// here from the same history, exactly: counters are integers and every window starts on a sample.
import { seriesLiteral, type InputSeries } from '../constructs/alert-cases.js';
import type { SliEvents } from '../constructs/rules.js';
import { durationSeconds, formatNumber, type Duration } from '../promql/expr.js';

/** Events per minute on the series the SLI must ignore. */
const IGNORED_PER_MINUTE = 500;

/** Age boundaries (minutes) of the steps: for each window W, W/2, W and 2W. */
export function stepBoundaries(windows: readonly Duration[]): number[] {
  const minutes = windows.map((w) => durationSeconds(w) / 60);
  const all = minutes.flatMap((m) => [Math.floor(m / 2), m, 2 * m]).filter((m) => m > 0);
  return [0, ...new Set(all)].sort((a, b) => a - b);
}

/** A history of `boundaries.at(-1)` minutes: bad events per minute in each step, newest step first. */
export interface History {
  readonly boundaries: readonly number[];
  /** Bad events per minute in step k (ages boundaries[k] to boundaries[k+1]); strictly falling with age (0 when idle). */
  readonly bad: readonly number[];
  /** All events per minute in step k; strictly rising with age (0 when idle). */
  readonly total: readonly number[];
  /** Minutes between samples; every boundary is a multiple of it. */
  readonly sampleMinutes: number;
}

/** Ages in minutes, [from, to), with no events at all: the counters stay flat. */
export type IdleGap = readonly [number, number];

/**
 * promtool refuses a query that loads over 50,000 samples, so a history reaching back months is
 * sampled hourly (only windows of hours and more are checked on it). `idle` gaps (each bound a
 * multiple of the sample interval) become steps of their own with no events: what the staging VM
 * sees between gate runs.
 */
export function history(windows: readonly Duration[], sampleMinutes = 1, idle: readonly IdleGap[] = []): History {
  const boundaries = [...new Set([...stepBoundaries(windows), ...idle.flat()])]
    .filter((b) => b % sampleMinutes === 0)
    .sort((a, b) => a - b);
  const steps = boundaries.length - 1;
  const isIdle = (k: number) => idle.some(([from, to]) => boundaries[k]! >= from && boundaries[k + 1]! <= to);
  // Bad: 2/min more per step towards now. Total: 1000/min now, 10/min more per step back. None when idle.
  return {
    boundaries,
    bad: Array.from({ length: steps }, (_, k) => (isIdle(k) ? 0 : 2 * (steps - k))),
    total: Array.from({ length: steps }, (_, k) => (isIdle(k) ? 0 : 1000 + 10 * k)),
    sampleMinutes,
  };
}

export const historyMinutes = (h: History): number => h.boundaries.at(-1)!;

/** Events per minute summed over the last `window` of the history (the window must be a boundary). */
function sumIn(h: History, perMinute: readonly number[], window: Duration): number {
  const w = durationSeconds(window) / 60;
  let sum = 0;
  for (let k = 0; k < perMinute.length && h.boundaries[k + 1]! <= w; k++)
    sum += perMinute[k]! * (h.boundaries[k + 1]! - h.boundaries[k]!);
  return sum;
}

/** The burn rate the rule must record at the end of the history over `window`. */
export const expectedBurnRate = (h: History, window: Duration, budget: number): number =>
  sumIn(h, h.bad, window) / sumIn(h, h.total, window) / budget;

/** The SLI's events per second over `window` at the end of the history (the window must be a boundary). */
export const expectedEventRate = (h: History, window: Duration): number =>
  sumIn(h, h.total, window) / durationSeconds(window);

/**
 * promtool's expanding notation for a counter that grows by `perMinute(k)` each minute of step k,
 * oldest step first, starting at 0: `0+4x10 42+6x4 ...` (each `a+bxn` gives n+1 samples).
 */
export function counterValues(h: History, perMinute: (k: number) => number): string {
  const parts: string[] = [];
  let value = 0;
  for (let k = h.bad.length - 1; k >= 0; k--) {
    const inc = perMinute(k) * h.sampleMinutes;
    const n = (h.boundaries[k + 1]! - h.boundaries[k]!) / h.sampleMinutes;
    if (k === h.bad.length - 1) {
      parts.push(`0+${formatNumber(inc)}x${n}`);
      value = inc * n;
    } else {
      parts.push(n === 1 ? formatNumber(value + inc) : `${formatNumber(value + inc)}+${formatNumber(inc)}x${n - 1}`);
      value += inc * n;
    }
  }
  return parts.join(' ');
}

/** Input series for an SLI's events over the history: bad events per step, the rest good, plus ignored traffic. */
export function historySeries(events: SliEvents, threshold: number, h: History): InputSeries[] {
  const bad = (k: number) => h.bad[k]!;
  const good = (k: number) => h.total[k]! - h.bad[k]!;
  const total = (k: number) => h.total[k]!;
  const flat = (perMinute: number) => counterValues(h, () => perMinute);
  if (events.kind === 'ratio') {
    const { error, ok, excluded = [] } = events.examples;
    return [
      { series: seriesLiteral(events.total.seriesName, error), values: counterValues(h, bad) },
      { series: seriesLiteral(events.total.seriesName, ok), values: counterValues(h, good) },
      ...excluded.map((labels) => ({
        series: seriesLiteral(events.total.seriesName, labels),
        values: flat(IGNORED_PER_MINUTE),
      })),
    ];
  }
  const { histogram, example, excluded = [] } = events;
  const le = formatNumber(threshold);
  return [
    { series: seriesLiteral(histogram.count.seriesName, example), values: counterValues(h, total) },
    { series: seriesLiteral(histogram.bucket.seriesName, { ...example, le }), values: counterValues(h, good) },
    // The +Inf bucket (every event): a dropped `le` filter would count it as good.
    { series: seriesLiteral(histogram.bucket.seriesName, { ...example, le: '+Inf' }), values: counterValues(h, total) },
    // All of the excluded traffic is fast: counted by the total alone, or by the good bucket alone, it
    // moves every window's burn rate, so a filter dropped from either selector shows.
    ...excluded.flatMap((labels) => [
      { series: seriesLiteral(histogram.count.seriesName, labels), values: flat(IGNORED_PER_MINUTE) },
      { series: seriesLiteral(histogram.bucket.seriesName, { ...labels, le }), values: flat(IGNORED_PER_MINUTE) },
    ]),
  ];
}
