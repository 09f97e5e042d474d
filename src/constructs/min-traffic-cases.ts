// Tests for the minimum-traffic guard of a ratio SLO's alert (`and sum by (job) (rate(total[w])) > N`):
// a high error ratio at low traffic stays quiet, the same ratio above the minimum fires, and traffic
// that rises through the minimum turns the alert pending at the step the guard's window says.
import type { SliEvents } from './rules.js';
import { ratioSample, seriesLiteral, type ExpectedCase } from './alert-cases.js';
import { counterValues, holdExpectations, STEP, type AlertScenario } from './alert-timeline.js';
import { formatNumber } from '../promql/expr.js';

type RatioEvents = Extract<SliEvents, { kind: 'ratio' }>;

/** The error ratio of every guard case, as a multiple of the threshold: far over it, so only the traffic decides. */
const RATIO_FACTOR = 10;
/** Traffic of the quiet and the fires case, as a multiple of the minimum: a halved or doubled minimum changes one. */
const QUIET_TRAFFIC = 0.75;
const FIRES_TRAFFIC = 1.5;
/** The scenario's traffic before and after it rises through the minimum. */
const LOW = 0.5;
const HIGH = 1.7;

export interface GuardSpec {
  readonly events: RatioEvents;
  readonly threshold: number;
  /** The SLI's window (and the guard's), seconds. */
  readonly window: number;
  readonly hold: number;
  /** Events per second. */
  readonly minTraffic: number;
  readonly evalTime: ExpectedCase['evalTime'];
  readonly title: string;
}

/** Quiet at 0.75× the minimum and firing at 1.5× it, both at 10× the threshold (excluded traffic beside them). */
export function minTrafficCases(g: GuardSpec): ExpectedCase[] {
  const ratio = g.threshold * RATIO_FACTOR;
  const at = (factor: number) =>
    ratioSample(g.events.total, g.events.examples.error, g.events.examples.ok, ratio, g.events.examples.excluded, {
      perMinute: g.minTraffic * factor * 60,
    });
  const text = (factor: number) =>
    `${g.title} at ${RATIO_FACTOR}× the threshold on ${formatNumber(g.minTraffic * factor)} events/s (${factor}× the minimum of ${formatNumber(g.minTraffic)})`;
  const fires = at(FIRES_TRAFFIC);
  return [
    { expect: 'quiet', title: text(QUIET_TRAFFIC), inputs: at(QUIET_TRAFFIC).inputs, evalTime: g.evalTime },
    {
      expect: 'fires',
      title: text(FIRES_TRAFFIC),
      inputs: fires.inputs,
      evalTime: g.evalTime,
      value: ratio,
      labels: fires.labels,
    },
  ];
}

/**
 * A window of traffic at 0.5× the minimum, then 1.7× it, the error ratio at 10× the threshold all
 * along: the alert turns pending when the guard's rate over its window passes the minimum (mid-step),
 * so a guard window half or twice as long moves it by steps.
 */
export function minTrafficScenario(g: GuardSpec): AlertScenario {
  const w = g.window / STEP;
  const ratio = g.threshold * RATIO_FACTOR;
  const perStep = (factor: number) => g.minTraffic * factor * STEP;
  const before = 2 * w;
  const n = before + 2 * w + g.hold / STEP + 2;
  const total = Array.from({ length: n }, (_, i) => perStep(i < before ? LOW : HIGH));
  const rateAt = (k: number) => total.slice(k - w, k).reduce((a, b) => a + b, 0) / g.window;
  let k = before;
  while (rateAt(k) <= g.minTraffic) k++;
  if (!(rateAt(k) > g.minTraffic * 1.001 && rateAt(k - 1) < g.minTraffic * 0.999))
    throw new Error(`internal: the traffic crossing of ${g.minTraffic}/s is not mid-step`);
  const { error, ok } = g.events.examples;
  return {
    title: `${g.title}: traffic rises from ${LOW}× to ${HIGH}× the minimum at ${RATIO_FACTOR}× the threshold`,
    step: STEP,
    inputs: [
      { series: seriesLiteral(g.events.total.seriesName, error), values: counterValues(total.map((t) => t * ratio)) },
      {
        series: seriesLiteral(g.events.total.seriesName, ok),
        values: counterValues(total.map((t) => t * (1 - ratio))),
      },
    ],
    expect: holdExpectations(k * STEP, g.hold, STEP),
  };
}
