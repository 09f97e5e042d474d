// Alerts on the gate itself: a gate that cannot see fails open, so blindness must page too.
//   GateSliNoData          an SLI has traffic but no value (its selectors match nothing, or its rule is gone)
//   Watchdog               always firing while Prometheus evaluates rules and scrapes itself: the dead man's switch
//   PrometheusRuleFailures rule evaluations keep failing, so alerts may silently not be evaluated
//   ApiTargetAbsent        the API's scrape target is gone (scaled to 0, a selector that matches nothing):
//                          TargetDown (up == 0) and GateSliNoData have no series to fire on
import { metrics } from '../catalog/index.js';
import { evalTimeFor, seriesLiteral, ramp } from '../constructs/alert-cases.js';
import { counterValues, holdExpectations, STEP, type AlertScenario } from '../constructs/alert-timeline.js';
import { DefinitionError } from '../constructs/construct.js';
import { Alert, RuleGroup } from '../constructs/rules.js';
import { durationSeconds, promql, type Duration, type Expr } from '../promql/expr.js';
import { APP_JOB, platform, SCRAPE_INTERVAL } from '../platform.js';
import { formatPromDuration } from '../kernel/duration.js';
import { slos } from '../slos/index.js';

const group = new RuleGroup(platform, 'gate-health-alerts');

const TRAFFIC_WINDOW = '5m';
const BLIND_FOR = '10m';

/**
 * Per SLO, a series its traffic selector counts while its SLI has nothing to compute from: what a
 * backend whose labels drifted looks like. A new SLO must add its own (synth says so).
 */
const BLIND_TRAFFIC: Readonly<Record<string, string>> = {
  'http-5xx-ratio': seriesLiteral(metrics.httpRequests.name, {
    job: 'api',
    method: 'GET',
    route: '/v1/posts',
    status: '200',
  }),
  'auth-failure-ratio': seriesLiteral(metrics.authOperations.name, {
    job: 'api',
    operation: 'login',
    outcome: 'throttled',
  }),
  'api-latency-p95': seriesLiteral(metrics.httpRequestDuration.count.seriesName, {
    job: 'api',
    method: 'GET',
    route: '/v1/posts',
  }),
  'chat-delivery-p95': seriesLiteral(metrics.chatDeliveryDuration.count.seriesName, {
    job: 'api',
    conversation_type: 'dm',
  }),
  'notification-delivery-p95': seriesLiteral(metrics.notificationDeliveryDuration.count.seriesName, {
    job: 'api',
    type: 'comment',
  }),
};

/**
 * A counter that rises every step for 20 minutes, then stops: an alert on its increase over `window`
 * held for `hold` turns pending at the first increase, fires `hold` later, and clears when the last
 * increase leaves the window. This pins the window (when it clears) and the `for` (when it fires).
 */
function burstScenario(title: string, series: string, window: Duration, hold: Duration): AlertScenario {
  const quietSteps = 8;
  const busySteps = 80;
  const increments = [
    ...Array<number>(quietSteps).fill(0),
    ...Array<number>(busySteps).fill(10),
    ...Array<number>(40).fill(0),
  ];
  const start = quietSteps * STEP + STEP;
  const lastIncrease = (quietSteps + busySteps) * STEP;
  const end = lastIncrease + durationSeconds(window);
  return {
    title,
    step: STEP,
    inputs: [{ series, values: counterValues(increments) }],
    expect: holdExpectations(start, durationSeconds(hold), STEP, end),
  };
}

/** One SLO's traffic flows for 20 minutes with no SLI, then stops (burstScenario), for each SLO's part of the expression. */
function blindScenario(sloId: string): AlertScenario {
  const series = BLIND_TRAFFIC[sloId];
  if (!series)
    throw new DefinitionError(
      slos.http5xxRatio,
      'id',
      `GateSliNoData needs a blind-traffic example for SLO ${sloId} in src/alerts/gate-health.ts`,
    );
  return burstScenario(`${sloId}: traffic for 20m with no SLI, then none`, series, TRAFFIC_WINDOW, BLIND_FOR);
}

/**
 * Per SLO: its traffic (events that should feed it, per job) unless its recording rule has a number
 * for that job. `>= 0` drops NaN (0/0 with no matching events) as well as absence; label_replace
 * names the SLO. All SLOs in one alert, so one runbook section covers the failure mode.
 */
function blindSli(): Expr {
  const parts = Object.values(slos).map((slo) => {
    const traffic = slo.sli.traffic;
    if (!traffic)
      throw new DefinitionError(
        slo,
        'sli',
        `recording rule ${slo.sli.record} declares no traffic selector (build it with ratioRule() or quantileRule())`,
      );
    return promql`(label_replace(sum by (job) (rate(${traffic}[${TRAFFIC_WINDOW}])) > 0, "slo", "${slo.id}", "", "") unless on (job) count by (job) (${slo.sli} >= 0))`;
  });
  return parts.reduce((a, b) => promql`${a} or ${b}`);
}

// Requests on routes the API SLIs do not match (e.g. a backend labelling routes `/v1/...`): the 5xx
// ratio has no value while 10 requests/s flow. The same traffic on `/api/...` keeps it quiet.
const requests = (route: string) => ({
  series: seriesLiteral(metrics.httpRequests.name, { method: 'GET', route, status: '200' }),
  values: ramp(600),
});

export const gateSliNoData = new Alert(group, {
  name: 'GateSliNoData',
  expr: blindSli(),
  for: BLIND_FOR,
  severity: 'warning',
  gate: false,
  summary: 'A release-gate SLI has traffic but no value, so its gate alert cannot fire.',
  description:
    'SLO {{ $labels.slo }} on job {{ $labels.job }}: {{ $value | humanize }} events/s feed it, but its recording rule has no value; its alerts are blind.',
  tests: {
    fires: {
      title: 'API traffic on routes the SLI does not match',
      inputs: [requests('/v1/posts')],
      evalTime: evalTimeFor(TRAFFIC_WINDOW, BLIND_FOR),
      value: 10,
      labels: { job: 'api', slo: 'http-5xx-ratio' },
    },
    quiet: {
      title: 'the same traffic on /api routes',
      inputs: [requests('/api/posts')],
      evalTime: evalTimeFor(TRAFFIC_WINDOW, BLIND_FOR),
    },
    more: [
      {
        expect: 'quiet',
        title: 'probe traffic only: probes feed no SLI, so they are no traffic either',
        inputs: [
          requests('/readyz'),
          {
            series: seriesLiteral(metrics.httpRequestDuration.count.seriesName, { method: 'GET', route: '/readyz' }),
            values: ramp(600),
          },
        ],
        evalTime: evalTimeFor(TRAFFIC_WINDOW, BLIND_FOR),
      },
    ],
    scenarios: Object.values(slos).map((slo) => blindScenario(slo.id)),
  },
});

// Tied to Prometheus scraping itself: if it cannot, PrometheusRuleFailures is blind, and the switch drops too.
const selfUp = (v: number) => ({
  series: seriesLiteral(metrics.up.name, { job: 'prometheus', instance: 'localhost:9090' }),
  values: `${v}x40`,
});

export const watchdog = new Alert(group, {
  name: 'Watchdog',
  expr: promql`${metrics.up.select({ job: 'prometheus' })} == 1`,
  severity: 'none',
  gate: false,
  summary: 'The alerting pipeline is alive: this alert always fires, and its absence at the receiver is the alarm.',
  description:
    'Prometheus {{ $labels.instance }} evaluates its rules and scrapes itself (up = {{ $value | humanize }}).',
  tests: {
    fires: {
      title: 'Prometheus scrapes itself',
      inputs: [selfUp(1)],
      evalTime: '5m',
      value: 1,
      labels: { job: 'prometheus', instance: 'localhost:9090' },
    },
    quiet: {
      title: 'Prometheus cannot scrape itself, though it reaches the API',
      inputs: [
        selfUp(0),
        { series: seriesLiteral(metrics.up.name, { job: 'api', instance: '127.0.0.1:18080' }), values: '1x40' },
      ],
      evalTime: '5m',
    },
  },
});

const failureSeries = seriesLiteral(metrics.ruleEvaluationFailures.name, {
  job: 'prometheus',
  instance: 'localhost:9090',
  rule_group: '/etc/prometheus/alerts.yml;slo-alerts',
});
const failures = (perMinute: number) => ({ series: failureSeries, values: ramp(perMinute) });
const FAILURE_WINDOW = '5m';
/** A one-off failed evaluation (a query timeout during compaction) must not page: the failures must go on. */
const FAILURES_FOR = '5m';

export const prometheusRuleFailures = new Alert(group, {
  name: 'PrometheusRuleFailures',
  expr: promql`sum by (job, instance, rule_group) (increase(${metrics.ruleEvaluationFailures}[${FAILURE_WINDOW}])) > 0`,
  for: FAILURES_FOR,
  severity: 'critical',
  gate: false,
  summary: 'Prometheus fails to evaluate rules, so alerts may silently not fire.',
  description: `{{ $value | humanize }} evaluations of rule group {{ $labels.rule_group }} failed in ${FAILURE_WINDOW} on {{ $labels.instance }}, for over ${FAILURES_FOR}.`,
  tests: {
    fires: {
      title: 'one failed evaluation a minute',
      inputs: [failures(1)],
      evalTime: '15m',
      value: 5,
      labels: { job: 'prometheus', instance: 'localhost:9090', rule_group: '/etc/prometheus/alerts.yml;slo-alerts' },
    },
    quiet: { title: 'counter present, no failures', inputs: [failures(0)], evalTime: '15m' },
    more: [
      {
        expect: 'quiet',
        title: 'a single failed evaluation',
        inputs: [{ series: failureSeries, values: '0x20 1x20' }],
        evalTime: '25m',
      },
    ],
    scenarios: [
      burstScenario('rule evaluations fail for 20m, then succeed', failureSeries, FAILURE_WINDOW, FAILURES_FOR),
    ],
  },
});

/**
 * The API target missing: no `up` series for its job at all. Held for the same 20 scrape intervals
 * as TargetDown (a target that is replaced during a deploy reappears well within them), and never
 * less than 2 scrape intervals.
 */
const ABSENT_SCRAPES = 20;
const ABSENT_FOR = formatPromDuration(Math.max(2, ABSENT_SCRAPES) * durationSeconds(SCRAPE_INTERVAL)) as Duration;
const apiUp = seriesLiteral(metrics.up.name, {});
/** The API scraped until `goneAt`, then no target at all until `backAt` (stale at once: the target left discovery). */
function absentScenario(goneAt: number, backAt: number): AlertScenario {
  const steps = (backAt + 4 * STEP) / STEP;
  const values = Array.from({ length: steps + 1 }, (_, i) =>
    i * STEP < goneAt || i * STEP >= backAt ? '1' : i * STEP === goneAt ? 'stale' : '_',
  );
  return {
    title: `the API target gone from ${goneAt / 60}m to ${backAt / 60}m, Prometheus still scraping itself`,
    step: STEP,
    inputs: [
      { series: apiUp, values: values.join(' ') },
      {
        series: seriesLiteral(metrics.up.name, { job: 'prometheus', instance: 'localhost:9090' }),
        values: `1x${steps}`,
      },
    ],
    expect: holdExpectations(goneAt, durationSeconds(ABSENT_FOR), STEP, backAt),
  };
}

export const apiTargetAbsent = new Alert(group, {
  name: 'ApiTargetAbsent',
  expr: promql`absent(${metrics.up.select({ job: APP_JOB })})`,
  for: ABSENT_FOR,
  severity: 'critical',
  gate: false,
  summary: `Prometheus has no scrape target for job ${APP_JOB}: every alert on the API is blind.`,
  description: `No target of job {{ $labels.job }} has been scraped for over ${ABSENT_FOR} (absent = {{ $value | humanize }}): TargetDown, GateSliNoData and the SLO alerts have no series to fire on.`,
  tests: {
    fires: {
      title: 'only Prometheus itself is scraped',
      inputs: [selfUp(1)],
      evalTime: '10m',
      value: 1,
      labels: { job: APP_JOB },
    },
    quiet: {
      title: 'the API target is there but down (TargetDown fires for it)',
      inputs: [selfUp(1), { series: apiUp, values: '0x40' }],
      evalTime: '10m',
    },
    scenarios: [absentScenario(120, 120 + 2 * durationSeconds(ABSENT_FOR))],
  },
});
