// Dependency and scrape health: readiness-reported dependency failures and targets that vanish.
// Scoped to the API's job (APP_SCOPE): on a shared cluster other services' targets are not ours to page on.
// A dependency alert is job-wide (every instance finds it down: the dependency itself is down), so it can
// explain the job's SLO alerts in an inhibition; one instance down is ApiTargetDown, and explains nothing
// beyond itself.
import { metrics } from '../catalog/index.js';
import { seriesLiteral, type AlertCases } from '../constructs/alert-cases.js';
import { outageScenario } from '../constructs/alert-timeline.js';
import { Alert, RuleGroup } from '../constructs/rules.js';
import { durationSeconds, promql, type Duration } from '../promql/expr.js';
import { formatPromDuration as formatDuration } from '../kernel/duration.js';
import { APP_SCOPE, platform } from '../platform.js';

const group = new RuleGroup(platform, 'dependency-alerts');

/**
 * Down from 5m fires once the hold has passed (by 10m); up, while `others` (series the alert must not
 * read) are down the whole time, it stays quiet. The scenario pins the hold: pending at once, firing
 * `hold` later, inactive when the gauge recovers.
 */
function downCases(
  series: string,
  what: string,
  hold: Duration,
  others: readonly string[] = [],
  more: AlertCases['more'] = [],
): AlertCases {
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
    more,
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
/** Where downCases evaluates a steady outage (the hold is at most 5m). */
const DOWN_EVAL_MINUTES = 15;
/** A target is scraped every 15s: a restart or one slow scrape is a blip, so it pages only for an outage that lasts. */
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
  const second = seriesLiteral(metrics.dependencyUp.name, { dependency, instance: 'api-2:8080' });
  const end = `${DOWN_EVAL_MINUTES}m`;
  const cases = downCases(series, what, DEPENDENCY_FOR, others, [
    {
      expect: 'quiet',
      title: `one of two instances finds ${what} down (that instance's path to it, not ${what})`,
      inputs: [
        { series, values: `0x${DOWN_EVAL_MINUTES + 5}` },
        { series: second, values: `1x${DOWN_EVAL_MINUTES + 5}` },
      ],
      evalTime: end,
    },
    {
      expect: 'quiet',
      title: `another service's readiness finds ${what} down`,
      inputs: [{ series: series.replace('job="api"', 'job="other"'), values: `0x${DOWN_EVAL_MINUTES + 5}` }],
      evalTime: end,
    },
  ]);
  return new Alert(group, {
    name,
    expr: promql`max by (job, dependency) (${metrics.dependencyUp.select({ ...APP_SCOPE, dependency })}) == 0`,
    for: DEPENDENCY_FOR,
    severity: 'critical',
    gate: true,
    summary: `${what} is unreachable: every API instance reports itself not ready.`,
    description: `Readiness on every instance of job {{ $labels.job }} has found ${what} down for over ${DEPENDENCY_FOR}; readiness_dependency_up is {{ $value | humanize }}.`,
    tests: { ...cases, fires: { ...cases.fires, labels: { job: 'api', dependency } } },
  });
});

export const targetDown = (() => {
  const series = seriesLiteral(metrics.up.name, {});
  const cases = downCases(
    series,
    'the target',
    TARGET_DOWN_FOR,
    [],
    [
      {
        expect: 'quiet',
        title: "another service's target down (not the API's job)",
        inputs: [{ series: series.replace('job="api"', 'job="other"'), values: `0x${DOWN_EVAL_MINUTES + 5}` }],
        evalTime: `${DOWN_EVAL_MINUTES}m`,
      },
    ],
  );
  return new Alert(group, {
    // Not `TargetDown`: kube-prometheus-stack has an alert of that name (any job), and a second one would mix in its routes.
    name: 'ApiTargetDown',
    expr: promql`${metrics.up.select(APP_SCOPE)} == 0`,
    for: TARGET_DOWN_FOR,
    severity: 'critical',
    gate: true,
    summary: 'Prometheus cannot scrape an API target.',
    description: `Target {{ $labels.instance }} of job {{ $labels.job }} has failed its scrapes for over ${TARGET_DOWN_FOR} (up = {{ $value | humanize }}).`,
    tests: { ...cases, fires: { ...cases.fires, labels: { job: 'api', instance: 'api:8080' } } },
  });
})();
