// k6 `options` from a load profile: one ramping-vus scenario per flow, thresholds derived from the
// SLOs (./thresholds.ts). Pure data in, data out, so the k6 bundle and the Node side compute the same object.
import type { Profile, ScenarioName } from '../../src/load-contract/profile.js';
import { k6Thresholds, runScope, type SloLoadMap } from '../../src/load-contract/thresholds.js';

export function k6Options(profile: Profile, slos: SloLoadMap, only?: readonly ScenarioName[]) {
  const scope = runScope(profile, slos, only);
  const scenarios = Object.fromEntries(
    scope.scenarios.map((name) => {
      const s = profile.scenarios[name]!;
      return [
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
      ];
    }),
  );
  return {
    scenarios,
    thresholds: k6Thresholds(profile, slos, scope),
    // `count` lets the verdict show how many samples each Trend judged.
    summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)', 'count'],
    // Redirects are followed by the client after the interlock has checked them (load/lib/redirects.ts).
    maxRedirects: 0,
    // Per-URL series would flood a remote-write Prometheus: requests are grouped by their `name` tag.
    systemTags: ['status', 'method', 'name', 'group', 'check', 'error', 'error_code', 'scenario', 'expected_response'],
    setupTimeout: '30s',
    teardownTimeout: '30s',
  };
}
