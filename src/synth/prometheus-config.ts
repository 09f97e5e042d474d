// prometheus.yml for the platform's VM (Docker Compose service names as targets). Local runs
// derive their own copy with loopback targets; the committed intervals stay production values.
import type { Construct } from '../constructs/construct.js';
import { ruleFileNames } from './prometheus-rules.js';
import { toYaml } from './serialize.js';
import { SCRAPE_INTERVAL } from '../platform.js';

export const PROMETHEUS_CONFIG = 'infra/prometheus/prometheus.yml';

/** Scrape jobs: the API (the job name every rule and dashboard filters on) and Prometheus itself. */
export const SCRAPE_JOBS = {
  api: 'api:8080',
  prometheus: 'localhost:9090',
} as const;

export function renderPrometheusConfig(root: Construct): Map<string, string> {
  const config = {
    global: {
      scrape_interval: SCRAPE_INTERVAL,
      scrape_timeout: '10s',
      evaluation_interval: '15s',
      external_labels: { environment: 'platform-vm' },
    },
    rule_files: ruleFileNames(root),
    alerting: { alertmanagers: [{ static_configs: [{ targets: ['alertmanager:9093'] }] }] },
    scrape_configs: Object.entries(SCRAPE_JOBS).map(([job, target]) => ({
      job_name: job,
      metrics_path: '/metrics',
      static_configs: [{ targets: [target] }],
    })),
  };
  return new Map([[PROMETHEUS_CONFIG, toYaml(config, 'src/synth/prometheus-config.ts')]]);
}
