// The cluster a release gate runs on with k6-operator, Prometheus Operator and grafana-operator:
// where load goes, where k6 writes its metrics, how runners are sized, and how the operators pick up
// rules and dashboards. Synth renders infra/kubernetes/ from it (src/synth/kubernetes.ts).
import { z } from 'zod';
import { assertTargetUrl, InterlockError, parseAllowedHosts } from '../load-contract/interlock.js';
import { Construct, DefinitionError, validateProps } from './construct.js';

/** A Kubernetes label map: keys and values as the API server accepts them. */
const labelMap = z.record(
  z.string().regex(/^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/, 'must be a Kubernetes label key'),
  z.string().regex(/^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/, 'must be a Kubernetes label value (63 characters at most)'),
);

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

const propsSchema = z
  .object({
    target: z
      .object({
        url: httpUrl.describe('the system under test as the runners reach it (TARGET_URL)'),
        allowedHosts: z.array(z.string().min(1)).describe('the safety interlock for the manifests: like STRESS_ALLOWED_HOSTS for a local run'),
      })
      .strict(),
    remoteWriteUrl: httpUrl.describe("Prometheus' remote-write receiver (K6_PROMETHEUS_RW_SERVER_URL)"),
    runners: z
      .object({
        vusPerRunner: z.number().int().min(1).max(5000),
        cpuPerRunnerVus: z.number().int().min(1).describe('VUs one CPU core drives; the CPU request is VUs on a runner / this'),
        minCpuMillis: z.number().int().min(100),
        baseMemoryMiB: z.number().int().min(64),
        memoryMiBPerVu: z.number().positive(),
        image: z.string().regex(/^\S+$/, 'must be an image reference, e.g. grafana/k6 with a pinned tag').optional(),
        separate: z.boolean().describe('one runner per node (k6-operator `separate`)'),
      })
      .strict(),
    prometheusRule: z.object({ labels: labelMap.describe("what the Prometheus resource's ruleSelector matches") }).strict(),
    grafana: z
      .object({
        instanceSelector: labelMap.refine((m) => Object.keys(m).length > 0, 'name at least one label of the Grafana resource'),
        folder: z.string().min(1),
        allowCrossNamespaceImport: z.boolean().describe('Grafana instances in other namespaces may import the dashboards'),
      })
      .strict(),
  })
  .strict();

export type KubernetesProps = z.infer<typeof propsSchema>;
export type RunnerSizing = KubernetesProps['runners'];

export class KubernetesManifests extends Construct {
  readonly props: KubernetesProps;

  constructor(scope: Construct, id: string, props: KubernetesProps) {
    super(scope, id);
    this.props = validateProps(propsSchema, props, this);
    // The same interlock as `stressgate load`: a TestRun aimed at a host nobody allowed never gets written.
    try {
      assertTargetUrl(this.props.target.url, parseAllowedHosts(this.props.target.allowedHosts.join(',')), 'TARGET_URL');
    } catch (err) {
      if (!(err instanceof InterlockError)) throw err;
      const host = new URL(this.props.target.url).hostname;
      const allowed = this.props.target.allowedHosts.join(', ') || 'none';
      throw new DefinitionError(
        this,
        'target.url',
        `refusing to generate TestRuns that send load to ${host}: the interlock allows loopback and target.allowedHosts (${allowed}) only. ` +
          `If ${host} is a staging host you own, add it to target.allowedHosts (STRESS_ALLOWED_HOSTS is not read here, so synth writes the same files everywhere).`,
      );
    }
  }
}
