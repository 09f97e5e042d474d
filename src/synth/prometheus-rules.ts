// Rule files and their promtool unit tests, from the RuleGroup/RecordingRule/Alert constructs.
import type { Construct } from '../constructs/construct.js';
import { Alert, RecordingRule, RuleGroup } from '../constructs/rules.js';
import type { AlertCase } from '../constructs/alert-cases.js';
import { STEP, type AlertScenario } from '../constructs/alert-timeline.js';
import { formatDuration } from '../promql/duration.js';
import { renderTemplate } from '../promql/template.js';
import { toYaml } from './serialize.js';

export const RULE_FILES = {
  recording: 'infra/prometheus/recording-rules.yml',
  alerts: 'infra/prometheus/alerts.yml',
  /** Steady cases (fires / stays quiet), evaluated every minute: cheap, and states do not depend on the step. */
  tests: 'infra/prometheus/tests/alerts.test.yml',
  /** Scenarios over time, evaluated every 15 s like production, so `for` and window boundaries are exact. */
  scenarios: 'infra/prometheus/tests/alert-scenarios.test.yml',
} as const;

function groupKind(group: RuleGroup): 'recording' | 'alerts' | undefined {
  const rules = group.rules;
  if (!rules.length) return undefined;
  if (rules.every((r) => r instanceof RecordingRule)) return 'recording';
  if (rules.every((r) => r instanceof Alert)) return 'alerts';
  throw new Error(`${group.path}: a rule group holds either recording rules or alerts, not both`);
}

function renderRule(rule: RecordingRule | Alert): Record<string, unknown> {
  if (rule instanceof RecordingRule) {
    return { record: rule.record, expr: rule.expr.text, ...(Object.keys(rule.labels).length ? { labels: rule.labels } : {}) };
  }
  const p = rule.props;
  return {
    alert: rule.name,
    expr: p.expr.text,
    ...(p.for ? { for: p.for } : {}),
    labels: sortedRecord(rule.labels),
    annotations: rule.annotations,
  };
}

const sortedRecord = (r: Record<string, string>) => Object.fromEntries(Object.entries(r).sort(([a], [b]) => a.localeCompare(b)));

export function renderRuleFiles(root: Construct): Map<string, string> {
  const groups = root.findAll(RuleGroup);
  const files = new Map<string, string>();
  for (const kind of ['recording', 'alerts'] as const) {
    const selected = groups.filter((g) => groupKind(g) === kind);
    const doc = {
      groups: selected.map((g) => ({
        name: g.id,
        ...(g.interval ? { interval: g.interval } : {}),
        rules: g.rules.map(renderRule),
      })),
    };
    files.set(RULE_FILES[kind], toYaml(doc, kind === 'recording' ? 'src/recording-rules/' : 'src/alerts/'));
  }
  // promtool evaluates rule groups in no fixed order unless told: recording rules first, so an alert
  // reads this step's value, as the exact boundaries in the scenarios assume.
  const order = ['recording', 'alerts'].flatMap((kind) => groups.filter((g) => groupKind(g) === kind).map((g) => g.id));
  const alerts = root.findAll(Alert);
  files.set(RULE_FILES.tests, toYaml(renderTests(alerts, order), 'the tests declared with each alert in src/alerts/'));
  files.set(RULE_FILES.scenarios, toYaml(renderScenarios(alerts, order), 'the scenarios declared with each alert in src/alerts/'));
  return files;
}

function renderCase(alert: Alert, kind: 'fires' | 'quiet', c: AlertCase) {
  const expAlerts =
    kind === 'fires'
      ? [
          {
            exp_labels: sortedRecord({ ...(c.labels ?? {}), ...alert.labels }),
            exp_annotations: expectedAnnotations(alert, c),
          },
        ]
      : [];
  return {
    name: `${alert.name} ${kind === 'fires' ? 'fires' : 'stays quiet'}: ${c.title}`,
    interval: c.interval ?? '1m',
    input_series: c.inputs.map((s) => ({ series: s.series, values: s.values })),
    alert_rule_test: [{ eval_time: c.evalTime, alertname: alert.name, exp_alerts: expAlerts }],
  };
}

/** promtool compares annotations byte for byte, so render them as Prometheus will. */
function expectedAnnotations(alert: Alert, c: AlertCase): Record<string, string> {
  const labels = { ...(c.labels ?? {}), ...alert.labels };
  const value = c.value ?? 0;
  return Object.fromEntries(Object.entries(alert.annotations).map(([k, v]) => [k, renderTemplate(v, value, labels)]));
}

/** A scenario: the alert's state at each moment, read from ALERTS (pending is visible only there). */
function renderScenario(alert: Alert, sc: AlertScenario) {
  const selector = `ALERTS{${Object.entries({ alertname: alert.name, ...sortedRecord(alert.labels) }).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ')}}`;
  return {
    name: `${alert.name} over time: ${sc.title}`,
    interval: formatDuration(sc.step),
    input_series: sc.inputs.map((s) => ({ series: s.series, values: s.values })),
    promql_expr_test: sc.expect.map((e) => ({
      expr: `count by (alertstate) (${selector})`,
      eval_time: formatDuration(e.at),
      exp_samples: e.state === 'inactive' ? [] : [{ labels: `{alertstate="${e.state}"}`, value: e.instances ?? 1 }],
    })),
  };
}

const RULE_FILES_FROM_TESTS = ['../recording-rules.yml', '../alerts.yml'];

function renderTests(alerts: readonly Alert[], groupOrder: readonly string[]) {
  return {
    rule_files: RULE_FILES_FROM_TESTS,
    evaluation_interval: '1m',
    group_eval_order: groupOrder,
    tests: alerts.flatMap((a) => [renderCase(a, 'fires', a.props.tests.fires), renderCase(a, 'quiet', a.props.tests.quiet)]),
  };
}

function renderScenarios(alerts: readonly Alert[], groupOrder: readonly string[]) {
  return {
    rule_files: RULE_FILES_FROM_TESTS,
    evaluation_interval: formatDuration(STEP),
    group_eval_order: groupOrder,
    tests: alerts.flatMap((a) => (a.props.tests.scenarios ?? []).map((sc) => renderScenario(a, sc))),
  };
}
