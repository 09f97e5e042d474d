// Who hears about which alert, as data beside the alerts: severity decides how a person is reached
// (critical pages now, warning opens a ticket, info only shows on dashboards), `gate: release` adds
// the release channel, the Watchdog heartbeat goes to the dead man's switch alone, and inhibit rules
// keep one cause from paging three times. test/alertmanager/ proves each route and inhibition with
// amtool and a real Alertmanager.
import { AlertRouting, alertIs, eq, present, type Receiver } from '../constructs/alertmanager.js';
import { platform } from '../platform.js';
import { dependencyAlerts, targetDown } from './dependencies.js';
import { apiNoTargetUp } from './gate-health.js';
import { watchdog } from './rule-health.js';

export const RECEIVERS = {
  page: {
    name: 'oncall-page',
    description: 'Pages the on-call engineer now: critical alerts, users are hurt or about to be.',
    webhook: '/oncall/page',
  },
  ticket: {
    name: 'oncall-ticket',
    description:
      "Opens a ticket in the on-call team's queue, handled in working hours: warning alerts, and any alert no route claims.",
    webhook: '/oncall/ticket',
  },
  release: {
    name: 'release-gate',
    description: 'The release channel: every gate alert, so the release manager stops a run or a rollout in flight.',
    webhook: '/release-gate',
  },
  watchdog: {
    name: 'watchdog',
    description:
      "The dead man's switch: expects the Watchdog heartbeat every minute and pages on its own when it stops (Prometheus, rules or Alertmanager broken).",
    webhook: '/watchdog',
  },
  dashboards: {
    name: 'dashboards-only',
    description: 'Sends nothing: info alerts are context for the dashboards, never a notification.',
  },
} as const satisfies Record<string, Receiver>;

/** The always-firing heartbeat alert (src/alerts/gate-health.ts), routed by name. */
export const WATCHDOG_ALERTNAME = watchdog.name;

export const routing = new AlertRouting(platform, 'alertmanager', {
  relay: 'http://alert-relay:8080',
  defaultReceiver: RECEIVERS.ticket,
  // One notification per alert and job (and SLO, for the burn-rate alerts of one job).
  groupBy: ['alertname', 'job', 'slo'],
  groupWait: '30s',
  groupInterval: '5m',
  repeatInterval: '4h',
  routes: [
    {
      description:
        'Watchdog always fires; its own receiver only (it must never page or ticket), re-sent every minute so its silence is the signal.',
      matchers: [eq('alertname', WATCHDOG_ALERTNAME)],
      receiver: RECEIVERS.watchdog,
      groupWait: '0s',
      groupInterval: '1m',
      repeatInterval: '1m',
    },
    {
      description:
        'Gate alerts block a release: the release channel hears of every one, then the severity routes below reach on-call as well.',
      matchers: [eq('gate', 'release')],
      receiver: RECEIVERS.release,
      continue: true,
    },
    { description: 'critical: page now.', matchers: [eq('severity', 'critical')], receiver: RECEIVERS.page },
    {
      description: 'warning: a ticket for working hours.',
      matchers: [eq('severity', 'warning')],
      receiver: RECEIVERS.ticket,
    },
    { description: 'info: dashboards only.', matchers: [eq('severity', 'info')], receiver: RECEIVERS.dashboards },
  ],
  // What explains other alerts, so is never silenced by them: the API's targets and its dependencies.
  causes: [alertIs(targetDown, apiNoTargetUp, ...dependencyAlerts)],
  inhibitRules: [
    {
      description:
        "No API target up (all down, or gone) explains the SLO alerts of its job (their indicators go stale or empty, while long burn-rate windows still hold old samples): page once, for the cause. One instance down (ApiTargetDown) silences nothing: the job's other instances still serve, and its SLO pages are about them.",
      source: [alertIs(apiNoTargetUp)],
      target: [present('slo')],
      equal: ['job'],
    },
    {
      description:
        'A dependency every API instance reports down (readiness; the alerts are job-wide) explains the SLO alerts of that job: 5xx, slow requests and late deliveries follow from it.',
      source: [alertIs(...dependencyAlerts)],
      target: [present('slo')],
      equal: ['job'],
    },
    {
      description:
        'A fast burn that pages supersedes the slow-burn ticket of the same SLO and job: one budget, one notification.',
      source: [eq('severity', 'critical'), present('long')],
      target: [eq('severity', 'warning'), present('long')],
      equal: ['slo', 'job'],
    },
  ],
});
