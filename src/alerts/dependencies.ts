// Dependency and scrape health: readiness-reported dependency failures and targets that vanish.
import { metrics } from '../catalog/index.js';
import { seriesLiteral, type AlertCases } from '../constructs/alert-cases.js';
import { outageScenario } from '../constructs/alert-timeline.js';
import { Alert, RuleGroup } from '../constructs/rules.js';
import { durationSeconds, promql, type Duration } from '../promql/expr.js';
import { formatPromDuration as formatDuration } from '../kernel/duration.js';
import { platform } from '../platform.js';

const group = new RuleGroup(platform, 'dependency-alerts');

/**
 * Down from 5m fires once the hold has passed (by 10m); up, while `others` (series the alert must not
 * read) are down the whole time, it stays quiet. The scenario pins the hold: pending at once, firing
 * `hold` later, inactive when the gauge recovers.
 */
function downCases(series: string, what: string, hold: Duration, others: readonly string[] = []): AlertCases {
  const holdS = durationSeconds(hold);
  const end = Math.max(10, 5 + (2 * holdS) / 60);
  const othersDown = others.map((s) => ({ series: s, values: `0x${end + 5}` }));
  return {
    fires: {
      title: 'down for 5m',
      inputs: [{ series, values: `1x4 0x${end}` }, ...othersDown],
      evalTime: `${end}m`,
      value: 0,
    },
    quiet: {
      title: others.length ? `up while ${others.length === 1 ? 'another is' : 'others are'} down` : 'up',
      inputs: [{ series, values: `1x${end + 5}` }, ...othersDown],
      evalTime: `${end}m`,
    },
    scenarios: [
      outageScenario(`${what} down for ${formatDuration(Math.max(300, 2 * holdS))}`, series, {
        downAt: 120,
        downFor: Math.max(300, 2 * holdS),
        hold: holdS,
      }),
    ],
  };
}

const DEPENDENCY_FOR: Duration = '1m';
/**
 * A target is scraped every 15s: a restart or one slow scrape is a blip, and TargetDown silences the
 * job's SLO alerts, so it pages only for an outage that lasts.
 */
const TARGET_DOWN_FOR: Duration = '5m';

const DEPENDENCIES = [
  { name: 'PostgresUnhealthy', dependency: 'postgres', what: 'PostgreSQL' },
  { name: 'RedisUnhealthy', dependency: 'redis', what: 'Redis' },
] as const;

export const dependencyAlerts = DEPENDENCIES.map(({ name, dependency, what }) => {
  const series = seriesLiteral(metrics.dependencyUp.name, { dependency });
  const others = DEPENDENCIES.filter((d) => d.dependency !== dependency).map((d) =>
    seriesLiteral(metrics.dependencyUp.name, { dependency: d.dependency }),
  );
  const cases = downCases(series, what, DEPENDENCY_FOR, others);
  return new Alert(group, {
    name,
    expr: promql`${metrics.dependencyUp.select({ dependency })} == 0`,
    for: DEPENDENCY_FOR,
    severity: 'critical',
    gate: true,
    summary: `${what} is unreachable and the API reports itself not ready.`,
    description: `Readiness on {{ $labels.instance }} (job {{ $labels.job }}) has found ${what} down; readiness_dependency_up is {{ $value | humanize }}.`,
    tests: { ...cases, fires: { ...cases.fires, labels: { job: 'api', instance: 'api:8080', dependency } } },
  });
});

export const targetDown = (() => {
  const series = seriesLiteral(metrics.up.name, {});
  const cases = downCases(series, 'the target', TARGET_DOWN_FOR);
  return new Alert(group, {
    name: 'TargetDown',
    expr: promql`${metrics.up} == 0`,
    for: TARGET_DOWN_FOR,
    severity: 'critical',
    gate: true,
    summary: 'Prometheus cannot scrape a target.',
    description: `Target {{ $labels.instance }} of job {{ $labels.job }} has failed its scrapes for over ${TARGET_DOWN_FOR} (up = {{ $value | humanize }}).`,
    tests: { ...cases, fires: { ...cases.fires, labels: { job: 'api', instance: 'api:8080' } } },
  });
})();
