// The cluster the release gate runs on (docs/kubernetes.md): k6-operator runs the load, Prometheus
// Operator holds the rules and receives k6's remote write, grafana-operator shows the dashboards.
import { KubernetesManifests } from '../constructs/kubernetes.js';
import { platform } from '../platform.js';

/** The reference app in the staging namespace, as runner pods reach it. */
const STAGING_API = 'api.stressgate-staging.svc.cluster.local';

export const cluster = new KubernetesManifests(platform, 'kubernetes', {
  target: { url: `http://${STAGING_API}:8080`, allowedHosts: [STAGING_API] },
  // prometheus-operated is the Service Prometheus Operator creates for its Prometheus pods.
  remoteWriteUrl: 'http://prometheus-operated.monitoring.svc.cluster.local:9090/api/v1/write',
  // The sizing rule is in docs/kubernetes.md. A VU here spends most of its time in think time and
  // holds at most one socket; Grafana's guidance is 1-5 MiB per VU for simple scripts.
  runners: {
    vusPerRunner: 200,
    cpuPerRunnerVus: 200,
    minCpuMillis: 500,
    baseMemoryMiB: 256,
    memoryMiBPerVu: 3,
    separate: false,
  },
  // kube-prometheus-stack's Prometheus selects rules by its Helm release label.
  prometheusRule: { labels: { release: 'kube-prometheus-stack', 'app.kubernetes.io/part-of': 'stressgate' } },
  // The routes, receivers and inhibitions of src/alerts/routing.ts for the cluster's Alertmanager; the operator
  // scopes them to this namespace's alerts (its matcher strategy OnNamespace).
  alertmanagerConfig: {
    labels: { release: 'kube-prometheus-stack', 'app.kubernetes.io/part-of': 'stressgate' },
    relay: 'http://alert-relay.stressgate-staging.svc.cluster.local:8080',
  },
  grafana: { instanceSelector: { dashboards: 'grafana' }, folder: 'Release gate', allowCrossNamespaceImport: false },
});
