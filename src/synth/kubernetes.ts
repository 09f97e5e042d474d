// infra/kubernetes/: the same definitions for a cluster. base/ is applied once and kept (the k6
// script ConfigMap, the PrometheusRule, the GrafanaDashboards); testruns/ holds one TestRun per load
// profile, applied one at a time (docs/kubernetes.md).
import { parse } from 'yaml';
import type { Construct } from '../constructs/construct.js';
import { AlertRouting } from '../constructs/alertmanager.js';
import { KubernetesManifests, type KubernetesProps } from '../constructs/kubernetes.js';
import { alertmanagerConfig } from './alertmanager.js';
import { packageProfiles } from '../cluster/profiles.js';
import { DASHBOARD_DIR, renderDashboards } from './grafana.js';
import { k6ConfigMap, K6_CONFIGMAP, PART_OF, testRun } from './k6-testrun.js';
import { currentK6Bundle } from './k6-script.js';
import { RULE_DIR, renderRuleFiles, ruleFileNames } from './prometheus-rules.js';
import { toYaml } from './serialize.js';

export const KUBERNETES_DIRS = { base: 'infra/kubernetes/base', testruns: 'infra/kubernetes/testruns' } as const;
export const PROMETHEUS_RULE = 'stressgate';

/** The PrometheusRule holds every rule file's groups: parsed from what synth writes, so never a second copy. */
function prometheusRule(root: Construct, cluster: KubernetesProps): Record<string, unknown> {
  const rendered = renderRuleFiles(root);
  const groups = ruleFileNames(root).flatMap(
    (f) => (parse(rendered.get(`${RULE_DIR}/${f}`)!) as { groups: unknown[] }).groups,
  );
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: {
      name: PROMETHEUS_RULE,
      labels: { ...cluster.prometheusRule.labels, ...PART_OF, 'app.kubernetes.io/component': 'rules' },
    },
    spec: { groups },
  };
}

/** One GrafanaDashboard per provisioned dashboard, carrying the provisioning file's JSON as it is. */
function grafanaDashboards(root: Construct, cluster: KubernetesProps): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  for (const { path, content: json } of renderDashboards(root)) {
    const m = new RegExp(`^${DASHBOARD_DIR}/([^/]+)\\.json$`).exec(path);
    if (!m) continue;
    out.set(m[1]!, {
      apiVersion: 'grafana.integreatly.org/v1beta1',
      kind: 'GrafanaDashboard',
      metadata: { name: `stressgate-${m[1]}`, labels: { ...PART_OF, 'app.kubernetes.io/component': 'dashboards' } },
      spec: {
        instanceSelector: { matchLabels: cluster.grafana.instanceSelector },
        folder: cluster.grafana.folder,
        ...(cluster.grafana.allowCrossNamespaceImport ? { allowCrossNamespaceImport: true } : {}),
        json,
      },
    });
  }
  return out;
}

export async function renderKubernetes(root: Construct): Promise<Map<string, string>> {
  const manifests = root.findAll(KubernetesManifests)[0];
  if (!manifests) return new Map();
  const cluster = manifests.props;
  const source = (what: string) => `${what} and ${manifests.path} (src/cluster/)`;
  const profiles = packageProfiles();
  const files = new Map<string, string>();
  files.set(
    `${KUBERNETES_DIRS.base}/configmap-${K6_CONFIGMAP}.yaml`,
    toYaml(k6ConfigMap(await currentK6Bundle(), profiles), source('load/k6/ (bundled), load/profiles/')),
  );
  for (const profile of profiles) {
    files.set(
      `${KUBERNETES_DIRS.testruns}/${profile.name}.yaml`,
      toYaml(testRun(cluster, profile), source(`load/profiles/${profile.name}.json`)),
    );
  }
  files.set(
    `${KUBERNETES_DIRS.base}/prometheusrule-${PROMETHEUS_RULE}.yaml`,
    toYaml(prometheusRule(root, cluster), source('src/recording-rules/, src/alerts/')),
  );
  const routing = root.findAll(AlertRouting)[0];
  if (routing)
    files.set(
      `${KUBERNETES_DIRS.base}/alertmanagerconfig-${PROMETHEUS_RULE}.yaml`,
      toYaml(
        alertmanagerConfig(routing, cluster.alertmanagerConfig, {
          name: PROMETHEUS_RULE,
          labels: { ...PART_OF, 'app.kubernetes.io/component': 'alerting' },
        }),
        source('src/alerts/routing.ts'),
      ),
    );
  for (const [uid, resource] of grafanaDashboards(root, cluster)) {
    files.set(
      `${KUBERNETES_DIRS.base}/grafanadashboard-${uid}.yaml`,
      toYaml(resource, source(`the ${uid} dashboard in src/dashboards/`)),
    );
  }
  return files;
}
