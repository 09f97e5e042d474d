// The gate's alerts on Prometheus itself (the gate-health group, beside ./gate-health.ts):
//   GateWatchdog      always firing while Prometheus evaluates this project's rules and scrapes itself: the dead man's switch
//   GateRuleFailures  evaluations of this project's rule groups keep failing, so alerts may silently not be evaluated
// Every other rule group first: both watch the groups defined before them.
import '../recording-rules/http.js';
import '../recording-rules/realtime.js';
import '../slos/burn-rate-rules.js';
import './slo.js';
import './realtime.js';
import './dependencies.js';
import './burn-rate.js';
import { burstScenario, group } from './gate-health.js';
import { anyOf, metrics, re } from '../catalog/index.js';
import { ramp, seriesLiteral } from '../constructs/alert-cases.js';
import { Alert, RuleGroup } from '../constructs/rules.js';
import { promql } from '../promql/expr.js';
import { platform } from '../platform.js';

/**
 * This project's rule groups, as `prometheus_rule_evaluation_failures_total{rule_group="<file>;<group>"}`
 * names them: the rule-failure alert watches only these (on a shared Prometheus other teams' rules fail
 * too), and the heartbeat needs their counters (loaded, evaluated, and Prometheus scraping itself). Read
 * from the tree when this module loads; the validation below refuses a group defined after it.
 */
const ownGroups = platform.findAll(RuleGroup).map((g) => g.id);
const OWN_GROUPS = re(`.*;(${anyOf(ownGroups)})`);
group.addValidation(() => {
  const missing = platform.findAll(RuleGroup).filter((g) => !ownGroups.includes(g.id));
  return missing.map((g) => ({
    field: 'rule groups',
    reason: `rule group "${g.id}" is defined after src/alerts/gate-health.ts loads, so GateRuleFailures and GateWatchdog do not watch it`,
    fix: 'import its module before ./alerts/gate-health.js in src/definitions.ts',
  }));
});
const groupCounter = (ruleGroup: string) =>
  seriesLiteral(metrics.ruleEvaluationFailures.name, {
    job: 'prometheus',
    instance: 'localhost:9090',
    rule_group: `/etc/prometheus/alerts.yml;${ruleGroup}`,
  });

// Not `Watchdog`: kube-prometheus-stack has one (vector(1), routed to its own null receiver).
export const watchdog = new Alert(group, {
  name: 'GateWatchdog',
  expr: promql`count(${metrics.ruleEvaluationFailures.select({ rule_group: OWN_GROUPS })}) > 0`,
  severity: 'none',
  gate: false,
  summary: 'The alerting pipeline is alive: this alert always fires, and its absence at the receiver is the alarm.',
  description:
    "Prometheus evaluates this project's {{ $value | humanize }} rule groups and scrapes its own rule-failure counters.",
  tests: {
    fires: {
      title: "Prometheus evaluates the project's rule groups and scrapes itself",
      inputs: [
        { series: groupCounter('slo-alerts'), values: '0x40' },
        { series: groupCounter('gate-health-alerts'), values: '0x40' },
      ],
      evalTime: '5m',
      value: 2,
      labels: {},
    },
    quiet: {
      title:
        "Prometheus scrapes itself, but none of the project's rule groups is loaded (a PrometheusRule not selected)",
      inputs: [
        { series: groupCounter('kubernetes-apps'), values: '0x40' },
        { series: seriesLiteral(metrics.up.name, { job: 'api', instance: '127.0.0.1:18080' }), values: '1x40' },
      ],
      evalTime: '5m',
    },
  },
});

const failureSeries = groupCounter('slo-alerts');
const failures = (perMinute: number) => ({ series: failureSeries, values: ramp(perMinute) });
const FAILURE_WINDOW = '5m';
/** A one-off failed evaluation (a query timeout during compaction) must not page: the failures must go on. */
const FAILURES_FOR = '5m';

export const prometheusRuleFailures = new Alert(group, {
  // Not `PrometheusRuleFailures` (kube-prometheus-stack's, for every group): this one is about the gate's own rules.
  name: 'GateRuleFailures',
  expr: promql`sum by (job, instance, rule_group) (increase(${metrics.ruleEvaluationFailures.select({ rule_group: OWN_GROUPS })}[${FAILURE_WINDOW}])) > 0`,
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
        title: "another team's rule group failing on a shared Prometheus",
        inputs: [{ series: groupCounter('kubernetes-apps'), values: ramp(1) }],
        evalTime: '15m',
      },
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
