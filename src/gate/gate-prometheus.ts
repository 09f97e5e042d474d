// `stressgate gate --prometheus URL --from T0 --to T1 --profile NAME`: the verdict from Prometheus
// alone, as after a k6-operator TestRun (docs/kubernetes.md). The k6 side is the union of the run's
// remote-written series (./verdict/k6-prometheus.ts), judged like a summary; the server-side SLIs,
// gate alerts and evidence are the ones every verdict reads. Nothing found reads NOT MEASURED, and
// a run without k6 series fails on evidence: never PASS without samples.
import { runScope, sloThresholds } from '../load-contract/thresholds.js';
import { PromClient } from '../kernel/prometheus-client.js';
import type { Profile, ScenarioName } from '../load-contract/profile.js';
import { sloLoadMap } from '../slos/load-thresholds.js';
import { summaryFromPrometheus, type RunSelector } from './verdict/k6-prometheus.js';
import type { JudgeInput } from './verdict/index.js';

export interface PrometheusRun {
  readonly prometheus: string;
  readonly profile: Profile;
  readonly only?: readonly ScenarioName[];
  readonly start: Date;
  readonly end: Date;
  readonly run: RunSelector;
}

/** k6-operator tags a TestRun's samples testrun_name=<TestRun name>; synth names them stressgate-<profile>. */
export const defaultRunSelector = (profile: string): RunSelector => ({
  label: 'testrun_name',
  value: `stressgate-${profile}`,
});

/** `label=value` from the command line. */
export function parseRunSelector(text: string): RunSelector {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.+)$/.exec(text);
  if (!m)
    throw new Error(
      `--run must be LABEL=VALUE (e.g. testid=smoke-abc or testrun_name=stressgate-moderate), not "${text}"`,
    );
  return { label: m[1]!, value: m[2]! };
}

export async function judgeInputFromPrometheus(o: PrometheusRun): Promise<JudgeInput> {
  const prom = new PromClient(o.prometheus);
  const slos = sloLoadMap();
  const scope = runScope(o.profile, slos, o.only);
  const summary = await summaryFromPrometheus(
    prom,
    o.run,
    sloThresholds(o.profile, slos, scope),
    scope.scenarios,
    o.end,
  );
  const instances = (
    await prom
      .query(`count(count by (instance_id) ({__name__=~"k6_.+",${o.run.label}=${JSON.stringify(o.run.value)}}))`, o.end)
      .catch(() => [])
  )[0];
  const count = instances ? Number(instances.value[1]) : 0;
  return {
    profile: o.profile,
    summary,
    ...(o.only ? { only: o.only } : {}),
    runner: { kind: 'k6', source: 'prometheus', ...(count > 0 ? { instances: count } : {}) },
    start: o.start,
    end: o.end,
    prometheus: o.prometheus,
    remoteWrite: {
      url: `${o.prometheus.replace(/\/$/, '')}/api/v1/write`,
      testid: o.run.value,
      label: o.run.label,
      errors: [],
    },
  };
}
