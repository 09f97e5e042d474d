// The cluster a release gate runs on with k6-operator, Prometheus Operator and grafana-operator:
// where load goes, where k6 writes its metrics, how runners are sized, and how the operators pick up
// rules and dashboards. Synth renders infra/kubernetes/ from it (src/synth/kubernetes.ts).
import { z } from 'zod';
import { assertTargetUrl, InterlockError, parseAllowedHosts } from '../load-contract/interlock.js';
import { Construct, onlyOnePerApp, type Problem } from './construct.js';
import { number, text } from './props.js';

/** A Kubernetes label map: keys and values as the API server accepts them. */
const labelMap = z.record(
  z
    .string()
    .regex(
      /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/,
      'write a Kubernetes label key: an optional DNS prefix and /, then up to 63 letters, digits, -, _ or .',
    ),
  z
    .string()
    .regex(
      /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/,
      'write a Kubernetes label value: up to 63 letters, digits, -, _ or ., starting and ending alphanumeric',
    ),
);

const httpUrl = z.url({ protocol: /^https?$/, error: 'give an http(s) URL' });

const propsSchema = z
  .object({
    target: z
      .object({
        url: httpUrl.describe('the system under test as the runners reach it (TARGET_URL)'),
        allowedHosts: z
          .array(text('give a host name'))
          .describe('the safety interlock for the manifests: like STRESS_ALLOWED_HOSTS for a local run'),
      })
      .strict(),
    remoteWriteUrl: httpUrl.describe("Prometheus' remote-write receiver (K6_PROMETHEUS_RW_SERVER_URL)"),
    runners: z
      .object({
        vusPerRunner: number('give a whole number of VUs per runner, 1 to 5000').int().min(1).max(5000),
        cpuPerRunnerVus: number('give a whole number of VUs per core, at least 1')
          .int()
          .min(1)
          .describe('VUs one CPU core drives; the CPU request is VUs on a runner / this'),
        minCpuMillis: number('request a whole number of millicores, at least 100').int().min(100),
        baseMemoryMiB: number('request a whole number of MiB, at least 64').int().min(64),
        memoryMiBPerVu: number('give the MiB one VU needs, above 0').positive(),
        image: z.string().regex(/^\S+$/, 'give an image reference, e.g. grafana/k6 with a pinned tag').optional(),
        separate: z
          .boolean('say whether each runner gets a node of its own (true or false)')
          .describe('one runner per node (k6-operator `separate`)'),
      })
      .strict(),
    prometheusRule: z
      .object({ labels: labelMap.describe("what the Prometheus resource's ruleSelector matches") })
      .strict(),
    alertmanagerConfig: z
      .object({
        labels: labelMap.describe("what the Alertmanager resource's alertmanagerConfigSelector matches"),
        relay: httpUrl.describe(
          'the webhook relay as the Alertmanager pods reach it (it holds the paging credentials)',
        ),
      })
      .strict(),
    grafana: z
      .object({
        instanceSelector: labelMap.refine(
          (m) => Object.keys(m).length > 0,
          'name at least one label of the Grafana resource',
        ),
        folder: text('name the Grafana folder'),
        allowCrossNamespaceImport: z
          .boolean('say whether other namespaces may import the dashboards (true or false)')
          .describe('Grafana instances in other namespaces may import the dashboards'),
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
    this.props = props;
    this.addPropsValidation(propsSchema, props);
    this.addValidation(
      onlyOnePerApp(this, KubernetesManifests, 'infra/kubernetes/ is written from one KubernetesManifests: keep one'),
    );
    this.addValidation(() => this.interlock());
  }

  /** The same interlock as `stressgate load`: a TestRun aimed at a host nobody allowed never gets written. */
  private interlock(): Problem[] {
    const { url, allowedHosts } = this.props.target;
    if (!URL.canParse(url)) return []; // the props validation reports it
    try {
      assertTargetUrl(url, parseAllowedHosts(allowedHosts.join(',')), 'TARGET_URL');
      return [];
    } catch (err) {
      if (!(err instanceof InterlockError)) throw err;
      const host = new URL(url).hostname;
      return [
        {
          field: 'target.url',
          reason: `refusing to generate TestRuns that send load to ${host}: the interlock allows loopback and target.allowedHosts (${allowedHosts.join(', ') || 'none'}) only`,
          fix: `if ${host} is a staging host you own, add it to target.allowedHosts (STRESS_ALLOWED_HOSTS is not read here, so synth writes the same files everywhere)`,
        },
      ];
    }
  }
}
