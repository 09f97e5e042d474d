// A k6-operator TestRun per load profile: the shared script ConfigMap, the profile and target as
// environment, k6's metrics to Prometheus by remote write, runners sized from the profile.
import type { KubernetesProps } from '../constructs/kubernetes.js';
import type { Profile } from '../load-contract/profile.js';
import { runnerPlan } from './k6-runners.js';
import { toJson } from './serialize.js';

/** The ConfigMap holding the bundle and every profile; k6-operator mounts a script ConfigMap at /test. */
export const K6_CONFIGMAP = 'stressgate-k6';
export const K6_SCRIPT_KEY = 'main.js';
export const K6_SCRIPT_MOUNT = '/test';

export const PART_OF = { 'app.kubernetes.io/part-of': 'stressgate' } as const;

export const testRunName = (profile: string) => `stressgate-${profile}`;
export const profileKey = (profile: string) => `${profile}.json`;

export function k6ConfigMap(bundle: string, profiles: readonly Profile[]): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: K6_CONFIGMAP, labels: { ...PART_OF, 'app.kubernetes.io/component': 'load' } },
    data: Object.fromEntries([
      [K6_SCRIPT_KEY, bundle],
      ...profiles.map((p) => [profileKey(p.name), toJson(p)] as const),
    ]),
  };
}

export function testRun(cluster: KubernetesProps, profile: Profile): Record<string, unknown> {
  const plan = runnerPlan(profile, cluster.runners);
  // Fresh objects for every use: a shared one would be written as a YAML anchor and alias.
  const labels = () => ({ ...PART_OF, 'app.kubernetes.io/component': 'load', 'stressgate.io/profile': profile.name });
  const env = () => [
    { name: 'TARGET_URL', value: new URL(cluster.target.url).origin },
    { name: 'PROFILE_FILE', value: `${K6_SCRIPT_MOUNT}/${profileKey(profile.name)}` },
    { name: 'K6_PROMETHEUS_RW_SERVER_URL', value: cluster.remoteWriteUrl },
    // One histogram per trend, merged across runners by PromQL: percentiles are never averaged.
    { name: 'K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM', value: 'true' },
  ];
  const image = cluster.runners.image ? { image: cluster.runners.image } : {};
  return {
    apiVersion: 'k6.io/v1alpha1',
    kind: 'TestRun',
    metadata: {
      name: testRunName(profile.name),
      labels: labels(),
      annotations: {
        'stressgate.io/peak-vus': String(plan.peakVus),
        'stressgate.io/max-vus-per-runner': String(plan.vusPerRunner),
        'stressgate.io/max-duration': profile.maxDuration,
      },
    },
    spec: {
      parallelism: plan.parallelism,
      ...(cluster.runners.separate ? { separate: true } : {}),
      script: { configMap: { name: K6_CONFIGMAP, file: K6_SCRIPT_KEY } },
      // Each runner sees one execution segment, so its own thresholds would judge a slice of the
      // run: the verdict is the union's, from Prometheus (`stressgate gate --prometheus`).
      // k6-operator adds the instance_id and testrun_name tags itself.
      arguments: '-o experimental-prometheus-rw --no-thresholds',
      // The initializer runs `k6 archive`/`k6 inspect` on the script, which opens PROFILE_FILE.
      initializer: {
        ...image,
        env: env(),
        metadata: { labels: labels() },
        resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '256Mi' } },
      },
      runner: { ...image, env: env(), metadata: { labels: labels() }, resources: plan.resources },
    },
  };
}
