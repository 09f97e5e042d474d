// How many k6-operator runners a profile gets and what each one requests: pure arithmetic over the
// profile's VU curve and the cluster's sizing settings (the rule is explained in docs/kubernetes.md).
import type { RunnerSizing } from '../constructs/kubernetes.js';
import type { Profile } from '../load-contract/profile.js';
import { k6DurationMs } from '../kernel/duration.js';

/** The most VUs running at once: scenarios overlap, and each one ramps linearly between stage ends. */
export function peakVus(profile: Profile): number {
  const curves = Object.values(profile.scenarios).map((s) => {
    const points: Array<{ t: number; vus: number }> = [{ t: k6DurationMs(s.startTime ?? '0s'), vus: 0 }];
    for (const stage of s.stages)
      points.push({ t: points[points.length - 1]!.t + k6DurationMs(stage.duration), vus: stage.target });
    return points;
  });
  const at = (curve: Array<{ t: number; vus: number }>, t: number): number => {
    if (t < curve[0]!.t || t > curve[curve.length - 1]!.t) return 0;
    for (let i = 1; i < curve.length; i++) {
      const a = curve[i - 1]!;
      const b = curve[i]!;
      if (t <= b.t) return b.t === a.t ? b.vus : a.vus + ((b.vus - a.vus) * (t - a.t)) / (b.t - a.t);
    }
    return 0;
  };
  // The sum of piecewise-linear curves peaks at one of their breakpoints.
  const times = [...new Set(curves.flatMap((c) => c.map((p) => p.t)))];
  return Math.max(0, ...times.map((t) => Math.round(curves.reduce((sum, c) => sum + at(c, t), 0))));
}

export interface RunnerPlan {
  readonly peakVus: number;
  readonly parallelism: number;
  /** The most VUs one runner can hold: its even share plus one per scenario from segment rounding. */
  readonly vusPerRunner: number;
  readonly resources: {
    readonly requests: { readonly cpu: string; readonly memory: string };
    readonly limits: { readonly memory: string };
  };
}

const roundUp = (n: number, step: number) => Math.ceil(n / step) * step;

export function runnerPlan(profile: Profile, sizing: RunnerSizing): RunnerPlan {
  const peak = peakVus(profile);
  const parallelism = Math.max(1, Math.ceil(peak / sizing.vusPerRunner));
  // k6 splits every scenario's VUs over the execution segments, so a runner may get one more VU
  // per scenario than an even share.
  const scenarios = Object.keys(profile.scenarios).length;
  const vusPerRunner = Math.ceil(peak / parallelism) + (parallelism > 1 ? scenarios : 0);
  const cpuMillis = Math.max(sizing.minCpuMillis, roundUp((vusPerRunner / sizing.cpuPerRunnerVus) * 1000, 100));
  const memoryMiB = roundUp(sizing.baseMemoryMiB + vusPerRunner * sizing.memoryMiBPerVu, 64);
  return {
    peakVus: peak,
    parallelism,
    vusPerRunner,
    // Memory limit = request: an overrun is an OOM-killed runner (a failed run, never a silent one)
    // rather than a node under pressure. No CPU limit: a throttled generator sends late and its
    // delay would be measured as the target's latency.
    resources: { requests: { cpu: `${cpuMillis}m`, memory: `${memoryMiB}Mi` }, limits: { memory: `${memoryMiB}Mi` } },
  };
}
