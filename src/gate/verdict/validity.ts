// Whether the run itself was valid, before anyone reads its numbers: a saturated load generator
// measures its own queueing and sends less than the profile asked, and another run on the same target
// adds traffic nobody accounted for. Each check says what it measured against what bound; a problem
// makes the verdict INCOMPLETE (./decide.ts): rerun, this run says nothing either way.
//   dropped-iterations  k6's dropped_iterations (summary, and k6_dropped_iterations_total) > 0
//   vus                 VUs peaked below the profile's steady VUs (ramping-vus allocates exactly its peak,
//                       so vus_max is the plan, and falling short of it is the generator failing to start VUs)
//   generator-cpu       k6's own CPU from /proc (src/gate/k6-driver/cpu.ts) at >= 90% of its cores
//   throughput          the steady phase's request rate below half what the ramp-up's rate per VU
//                       predicts at the steady VUs (a plateau while VUs rose)
//   overlap             another run's k6 series (a different testid) in the window, or the target counting
//                       far more API requests than this run sent
import type { PromClient } from '../../kernel/prometheus-client.js';
import { plannedVusAt, steadySpan, steadyVus } from '../../load-contract/phases.js';
import type { Profile, ScenarioName } from '../../load-contract/profile.js';
import type { RunSummary } from './load-summary.js';
import type { ValidityCheck, Validity } from './schema.js';

/** A generator at this share of its cores is saturated. */
export const CPU_SATURATED = 0.9;
/** The steady rate must reach this share of what the ramp-up predicts. */
export const PLATEAU_SHARE = 0.5;
/** The target may count this many times the run's requests (probes, retries, sockets' upgrades) plus EXTRA_SLACK. */
export const EXTRA_FACTOR = 1.5;
export const EXTRA_SLACK = 100;
/** Ramp-up points needed to estimate the rate per VU, each at >= RAMP_MIN_SHARE of the steady VUs. */
const RAMP_POINTS = 3;
const RAMP_MIN_SHARE = 0.25;
/** k6 remote-writes every 5 s: a rate needs three pushes. */
const K6_RATE_WINDOW_S = 15;
const K6_STEP_S = 5;

export interface ValidityInput {
  readonly profile: Profile;
  readonly only?: readonly ScenarioName[];
  readonly summary: RunSummary;
  readonly start: Date;
  readonly end: Date;
  /** k6 instances whose merged summary this is (the merged `vus` is the busiest instance's). */
  readonly instances?: number;
  readonly cpu?: { readonly cores: number; readonly peakCores: number } | null;
  /** The Prometheus k6 wrote to and this run's label there. */
  readonly k6?: { readonly prom: PromClient; readonly label: string; readonly value: string } | null;
  /** The target's Prometheus and this run's API events there (the 5xx SLI's total over the run). */
  readonly target?: { readonly apiRequests: number | null } | null;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const fmt = (v: number) => String(Number(v.toPrecision(4)));
const check = (c: ValidityCheck): ValidityCheck => c;
const notJudged = (c: ValidityCheck['check'], why: string) =>
  check({ check: c, status: 'not judged', detail: why, value: null, bound: null });

/** The checks a summary and the run's own measurements answer, without Prometheus. Pure. */
export function summaryValidity(input: ValidityInput): ValidityCheck[] {
  const m = input.summary.metrics;
  const dropped = num(m.dropped_iterations?.count) ?? 0;
  const checks: ValidityCheck[] = [
    check({
      check: 'dropped-iterations',
      status: dropped > 0 ? 'problem' : 'ok',
      detail:
        dropped > 0
          ? `k6 dropped ${dropped} iteration(s): it could not start them on time (no free VU), so the load was below the profile's`
          : 'no dropped iterations',
      value: dropped,
      bound: 0,
    }),
  ];
  const vus = num(m.vus?.max);
  const planned = steadyVus(input.profile, input.only);
  const n = input.instances ?? 1;
  if (vus === null) checks.push(notJudged('vus', 'the summary has no vus gauge'));
  else {
    const peak = vus * n;
    checks.push(
      check({
        check: 'vus',
        status: peak < planned ? 'problem' : 'ok',
        detail: `VUs peaked at ${vus}${n > 1 ? ` (busiest of ${n} instances, at most ${peak} together)` : ''}${num(m.vus_max?.max) !== null ? ` of vus_max ${num(m.vus_max?.max)}` : ''}; the profile's steady phase plans ${planned}${peak < planned ? ': the generator did not start the planned load' : ''}`,
        value: peak,
        bound: planned,
      }),
    );
  }
  const cpu = input.cpu;
  if (!cpu) checks.push(notJudged('generator-cpu', "k6's CPU was not sampled (not a local run on Linux)"));
  else {
    const bound = CPU_SATURATED * cpu.cores;
    checks.push(
      check({
        check: 'generator-cpu',
        status: cpu.peakCores >= bound ? 'problem' : 'ok',
        detail: `k6 used ${fmt(cpu.peakCores)} of ${cpu.cores} cores at its busiest 5 s${cpu.peakCores >= bound ? `, at least ${CPU_SATURATED * 100}%: the generator was saturated, its timings measure its own queueing` : ''}`,
        value: cpu.peakCores,
        bound,
      }),
    );
  }
  return checks;
}

const finite = (v: string | undefined) => (v !== undefined && Number.isFinite(Number(v)) ? Number(v) : null);

/** Throughput: the steady rate against the ramp-up's rate per VU times the steady VUs. */
export function plateauCheck(o: {
  readonly rampPoints: ReadonlyArray<{ readonly vus: number; readonly rate: number }>;
  readonly steadyRate: number | null;
  readonly steadyVus: number;
}): ValidityCheck {
  const usable = o.rampPoints.filter((p) => p.vus >= RAMP_MIN_SHARE * o.steadyVus && p.vus > 0);
  if (usable.length < RAMP_POINTS || o.steadyRate === null)
    return notJudged(
      'throughput',
      `the ramp-up is too short to predict the steady rate (${usable.length} of ${RAMP_POINTS} k6 pushes at >= ${RAMP_MIN_SHARE * 100}% of the steady VUs)`,
    );
  const perVu = usable.map((p) => p.rate / p.vus).sort((a, b) => a - b)[Math.floor(usable.length / 2)]!;
  const expected = perVu * o.steadyVus;
  const bound = PLATEAU_SHARE * expected;
  const low = o.steadyRate < bound;
  return check({
    check: 'throughput',
    status: low ? 'problem' : 'ok',
    detail: `steady ${fmt(o.steadyRate)} requests/s; the ramp-up's ${fmt(perVu)}/s per VU predicts ${fmt(expected)}/s at ${o.steadyVus} VUs${low ? `: it plateaued below ${PLATEAU_SHARE * 100}% of that` : ''}`,
    value: o.steadyRate,
    bound,
  });
}

async function k6Checks(input: ValidityInput): Promise<ValidityCheck[]> {
  const k6 = input.k6;
  if (!k6)
    return [
      notJudged('throughput', 'no k6 remote write: the rate over time is not known'),
      notJudged('overlap', 'no k6 remote write: other runs are not visible'),
    ];
  const sel = `${k6.label}=${JSON.stringify(k6.value)}`;
  // The run and k6's last push after it, no further back: a run that ended just before is no overlap.
  const seconds = Math.max(1, Math.ceil((input.end.getTime() - input.start.getTime()) / 1000) + K6_STEP_S);
  const at = new Date(input.end.getTime() + K6_STEP_S * 1000);
  const checks: ValidityCheck[] = [];
  const others = await k6.prom.query(
    // k6_vus: every k6 run writes it every second (one name, so _over_time keeps the series apart).
    `count by (${k6.label}) (count_over_time(k6_vus{${k6.label}!=${JSON.stringify(k6.value)}, ${k6.label}!=""}[${seconds}s]))`,
    at,
  );
  const names = others.map((r) => r.metric[k6.label]).filter(Boolean);
  checks.push(
    check({
      check: 'overlap',
      status: names.length ? 'problem' : 'ok',
      detail: names.length
        ? `another run's k6 series in the window: ${k6.label} ${names.map((x) => `"${x}"`).join(', ')}`
        : `no other ${k6.label}'s k6 series in the window`,
      value: names.length,
      bound: 0,
    }),
  );
  const dropped = finite(
    (await k6.prom.query(`sum(max_over_time(k6_dropped_iterations_total{${sel}}[${seconds}s]))`, at))[0]?.value[1],
  );
  if (dropped)
    checks.push(
      check({
        check: 'dropped-iterations',
        status: 'problem',
        detail: `k6_dropped_iterations_total{${sel}} reached ${dropped}`,
        value: dropped,
        bound: 0,
      }),
    );
  const steady = steadySpan(input.profile, input.only)!;
  const t0 = input.start.getTime();
  const rows =
    steady.startMs / 1000 >= K6_RATE_WINDOW_S + K6_STEP_S
      ? await k6.prom.queryRange(
          `sum(rate(k6_http_reqs_total{${sel}}[${K6_RATE_WINDOW_S}s]))`,
          new Date(t0 + K6_RATE_WINDOW_S * 1000),
          new Date(t0 + steady.startMs),
          K6_STEP_S,
        )
      : [];
  const rampPoints = (rows[0]?.values ?? []).flatMap(([ts, v]) => {
    const rate = finite(v);
    // The rate covers the last K6_RATE_WINDOW_S: the VUs planned at its middle.
    const vus = plannedVusAt(input.profile, ts * 1000 - t0 - (K6_RATE_WINDOW_S * 1000) / 2, input.only);
    return rate === null ? [] : [{ vus, rate }];
  });
  const steadyS = Math.max(1, Math.round((steady.endMs - steady.startMs) / 1000));
  const steadyCount = finite(
    (
      await k6.prom.query(
        `sum(max_over_time(k6_http_reqs_total{${sel}}[${steadyS}s]) - min_over_time(k6_http_reqs_total{${sel}}[${steadyS}s]))`,
        new Date(t0 + steady.endMs),
      )
    )[0]?.value[1],
  );
  checks.push(
    plateauCheck({
      rampPoints,
      steadyRate: steadyCount === null ? null : steadyCount / steadyS,
      steadyVus: steadyVus(input.profile, input.only),
    }),
  );
  return checks;
}

/** Unexplained traffic: the target counted far more API requests than this run sent. Pure. */
export function extraTrafficCheck(apiRequests: number | null, sent: number | null): ValidityCheck {
  if (apiRequests === null || sent === null)
    return notJudged('overlap', "the target's API requests or the run's own were not counted");
  const bound = EXTRA_FACTOR * sent + EXTRA_SLACK;
  const extra = apiRequests > bound;
  return check({
    check: 'overlap',
    status: extra ? 'problem' : 'ok',
    detail: `the target counted ${Math.round(apiRequests)} API requests during the run, this run sent ${sent}${extra ? `: more than ${EXTRA_FACTOR}× + ${EXTRA_SLACK}, someone else loaded the same target` : ''}`,
    value: apiRequests,
    bound,
  });
}

/** Every validity check of the run; `valid` when none found a problem. */
export async function runValidity(input: ValidityInput): Promise<Validity> {
  const checks = [...summaryValidity(input)];
  if (input.target)
    checks.push(extraTrafficCheck(input.target.apiRequests, num(input.summary.metrics.http_reqs?.count)));
  const fromK6 = await k6Checks(input).catch((err: Error) => [
    notJudged('overlap', `k6's series could not be read: ${err.message}`),
  ]);
  checks.push(...fromK6);
  return { valid: !checks.some((c) => c.status === 'problem'), checks };
}
