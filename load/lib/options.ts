// k6 `options` from a load profile: one ramping-vus scenario per flow, thresholds from the SLOs.
// Pure data in, data out, so the k6 bundle and the Node side compute the same object.
import type { Profile, ScenarioName } from '../../src/gate/profile.js';

/** What each SLO means for a load run: the k6 metric and threshold expression. */
export type SloLoadMap = Readonly<Record<string, { readonly metric: string; readonly expression: string }>>;

export function k6Thresholds(profile: Profile, slos: SloLoadMap): Record<string, string[]> {
  const thresholds: Record<string, string[]> = {};
  for (const t of profile.thresholds) {
    const slo = slos[t.slo];
    if (!slo) throw new Error(`profile ${profile.name}: unknown SLO "${t.slo}"`);
    (thresholds[slo.metric] ??= []).push(slo.expression);
  }
  thresholds.checks = [`rate>${profile.checks.minPassRate}`];
  return thresholds;
}

export function k6Options(profile: Profile, slos: SloLoadMap, only?: readonly ScenarioName[]) {
  const scenarios = Object.fromEntries(
    Object.entries(profile.scenarios)
      .filter(([name]) => !only || only.includes(name as ScenarioName))
      .map(([name, s]) => [
        name,
        {
          executor: 'ramping-vus',
          startVUs: 0,
          ...(s.startTime ? { startTime: s.startTime } : {}),
          stages: s.stages.map((st) => ({ duration: st.duration, target: st.target })),
          gracefulRampDown: '10s',
          gracefulStop: '10s',
          exec: name,
          tags: { scenario: name },
        },
      ]),
  );
  return {
    scenarios,
    thresholds: k6Thresholds(profile, slos),
    summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)'],
    // The run may never outlast the profile's bound, whatever the scenarios say.
    setupTimeout: '30s',
    teardownTimeout: '30s',
  };
}
