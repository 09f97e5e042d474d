// Dependency and scrape health: readiness-reported dependency failures and targets that vanish.
import { metrics } from '../catalog/index.js';
import { seriesLiteral, type AlertCases } from '../constructs/alert-cases.js';
import { Alert, RuleGroup } from '../constructs/rules.js';
import { promql } from '../promql/expr.js';
import { platform } from '../platform.js';

const group = new RuleGroup(platform, 'dependency-alerts');

/**
 * A gauge at 0 for 1m45s fires a `for: 1m` alert; at 0 for 30s (a blip shorter than the hold) it
 * must not. Samples every 15 s so the blip is representable.
 */
function downCases(series: string): AlertCases {
  const at15s = (upSamples: number, downSamples: number) => `1x${upSamples - 1} 0x${downSamples - 1}`;
  return {
    fires: { title: 'down for 1m45s', interval: '15s', inputs: [{ series, values: at15s(40, 8) }], evalTime: '705s', value: 0 },
    quiet: { title: 'down for 30s', interval: '15s', inputs: [{ series, values: at15s(40, 3) }], evalTime: '630s' },
  };
}

const DEPENDENCIES = [
  { name: 'PostgresUnhealthy', dependency: 'postgres', what: 'PostgreSQL' },
  { name: 'RedisUnhealthy', dependency: 'redis', what: 'Redis' },
] as const;

export const dependencyAlerts = DEPENDENCIES.map(({ name, dependency, what }) => {
  const series = seriesLiteral(metrics.dependencyUp.name, { dependency });
  const cases = downCases(series);
  return new Alert(group, {
    name,
    expr: promql`${metrics.dependencyUp.select({ dependency })} == 0`,
    for: '1m',
    severity: 'critical',
    gate: true,
    summary: `${what} is unreachable and the API reports itself not ready.`,
    description: `Readiness on {{ $labels.instance }} (job {{ $labels.job }}) has found ${what} down; readiness_dependency_up is {{ $value | humanize }}.`,
    tests: {
      fires: { ...cases.fires, labels: { job: 'api', instance: 'api:8080', dependency } },
      quiet: cases.quiet,
    },
  });
});

export const targetDown = (() => {
  const series = seriesLiteral(metrics.up.name, {});
  const cases = downCases(series);
  return new Alert(group, {
    name: 'TargetDown',
    expr: promql`${metrics.up} == 0`,
    for: '1m',
    severity: 'critical',
    gate: true,
    summary: 'Prometheus cannot scrape a target.',
    description: 'Target {{ $labels.instance }} of job {{ $labels.job }} has failed its scrapes for over a minute (up = {{ $value | humanize }}).',
    tests: { fires: { ...cases.fires, labels: { job: 'api', instance: 'api:8080' } }, quiet: cases.quiet },
  });
})();
