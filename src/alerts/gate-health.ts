// Alerts on the gate itself: a gate that cannot see fails open, so blindness must page too.
//   GateSliNoData          an SLI has traffic but no value (its selectors match nothing, or its rule is gone)
//   ApiNoTargetUp          no API target is up: all down, or gone (scaled to 0, a selector that matches nothing),
//                          when ApiTargetDown (up == 0) and GateSliNoData have no series to fire on
// The heartbeat and the rule-failure alert (the same group) are in ./rule-health.ts.
import { metrics } from '../catalog/index.js';
import { evalTimeFor, seriesLiteral, ramp } from '../constructs/alert-cases.js';
import { counterValues, holdExpectations, STEP, type AlertScenario } from '../constructs/alert-timeline.js';
import { DefinitionError } from '../constructs/construct.js';
import { Alert, RuleGroup } from '../constructs/rules.js';
import { durationSeconds, promql, type Duration, type Expr } from '../promql/expr.js';
import { APP_JOB, APP_SCOPE, platform, SCRAPE_INTERVAL, WEB_CLIENT_BUNDLE } from '../platform.js';
import { formatPromDuration } from '../kernel/duration.js';
import { slos } from '../slos/index.js';

export const group = new RuleGroup(platform, 'gate-health-alerts');

const TRAFFIC_WINDOW = '5m';
const BLIND_FOR = '10m';

/**
 * Per SLO, a series its traffic selector counts while its SLI has nothing to compute from: what a
 * backend whose labels drifted looks like. A new SLO must add its own (synth says so), unless its
 * traffic is exactly the events its ratio divides by (auth): that ratio has a value whenever there is
 * traffic, so it has no part in the alert (canGoBlind).
 */
const BLIND_TRAFFIC: Readonly<Record<string, string>> = {
  'http-5xx-ratio': seriesLiteral(metrics.httpRequests.name, {
    job: 'api',
    method: 'GET',
    route: '/v1/posts',
    status: '200',
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
export function burstScenario(title: string, series: string, window: Duration, hold: Duration): AlertScenario {
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

type AnySlo = (typeof slos)[keyof typeof slos];
/**
 * The SLOs whose SLI can be blind while traffic flows: not a ratio over exactly its traffic (auth),
 * which has a value whenever there is traffic; its rule missing altogether is what verify and the
 * verdict's evidence (a gate SLI without samples fails the run) catch.
 */
const canGoBlind = (slo: AnySlo) => !(slo.sli.events?.kind === 'ratio' && slo.sli.traffic === slo.sli.events.total);
const watched = Object.values(slos).filter(canGoBlind);

/** One SLO's traffic flows for 20 minutes with no SLI, then stops (burstScenario), for each SLO's part of the expression. */
function blindScenario(slo: AnySlo): AlertScenario {
  const sloId = slo.id;
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
  const parts = watched.map((slo) => {
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
        title: "the web client's pages and bundle only (a browser on the site, no API calls): not API traffic",
        inputs: [requests('/feed'), requests('/posts/:id'), requests(WEB_CLIENT_BUNDLE)],
        evalTime: evalTimeFor(TRAFFIC_WINDOW, BLIND_FOR),
      },
      {
        expect: 'quiet',
        title: 'throttled logins only: the auth SLI leaves them out, so they are no traffic for it either',
        inputs: [
          {
            series: seriesLiteral(metrics.authOperations.name, { operation: 'login', outcome: 'throttled' }),
            values: ramp(600),
          },
        ],
        evalTime: evalTimeFor(TRAFFIC_WINDOW, BLIND_FOR),
      },
      {
        expect: 'quiet',
        title: "another service's requests on routes the SLI does not match (not the API's job)",
        inputs: [
          {
            series: seriesLiteral(metrics.httpRequests.name, {
              job: 'other',
              method: 'GET',
              route: '/v1/posts',
              status: '200',
            }),
            values: ramp(600),
          },
        ],
        evalTime: evalTimeFor(TRAFFIC_WINDOW, BLIND_FOR),
      },
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
    scenarios: watched.map(blindScenario),
  },
});

/**
 * No API target up: every one down, or none at all (no `up` series for the job). Held for the same
 * 20 scrape intervals as ApiTargetDown (a target that is replaced during a deploy reappears well
 * within them), and never less than 2 scrape intervals. Job-wide by construction, so it can explain
 * the job's SLO alerts in an inhibition (one instance down cannot).
 */
const ABSENT_SCRAPES = 20;
const ABSENT_FOR = formatPromDuration(Math.max(2, ABSENT_SCRAPES) * durationSeconds(SCRAPE_INTERVAL)) as Duration;
const apiUp = seriesLiteral(metrics.up.name, {});
const apiUp2 = seriesLiteral(metrics.up.name, { instance: 'api-2:8080' });
const selfUp = (v: number) => ({
  series: seriesLiteral(metrics.up.name, { job: 'prometheus', instance: 'localhost:9090' }),
  values: `${v}x40`,
});
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

export const apiNoTargetUp = new Alert(group, {
  name: 'ApiNoTargetUp',
  expr: promql`absent(${metrics.up.select(APP_SCOPE)} == 1)`,
  for: ABSENT_FOR,
  severity: 'critical',
  gate: false,
  // absent() of a comparison carries no labels: the job is the one it is about.
  labels: APP_SCOPE,
  summary: `No scrape target of job ${APP_JOB} is up: the API is down or gone, and every alert on it is blind.`,
  description: `No target of job ${APP_JOB} has been up for over ${ABSENT_FOR} (all down, or none discovered; absent = {{ $value | humanize }}): ApiTargetDown, GateSliNoData and the SLO alerts have nothing to fire on.`,
  tests: {
    fires: {
      title: 'only Prometheus itself is scraped',
      inputs: [selfUp(1)],
      evalTime: '10m',
      value: 1,
      labels: { job: APP_JOB },
    },
    quiet: {
      title: 'one of two API targets down (ApiTargetDown fires for it; the job still serves)',
      inputs: [selfUp(1), { series: apiUp, values: '0x40' }, { series: apiUp2, values: '1x40' }],
      evalTime: '10m',
    },
    more: [
      {
        expect: 'fires',
        title: 'every API target there but down',
        inputs: [selfUp(1), { series: apiUp, values: '0x40' }, { series: apiUp2, values: '0x40' }],
        evalTime: '10m',
        value: 1,
        labels: { job: APP_JOB },
      },
    ],
    scenarios: [absentScenario(120, 120 + 2 * durationSeconds(ABSENT_FOR))],
  },
});
