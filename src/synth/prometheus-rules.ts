// Rule files and their promtool unit tests, from the RuleGroup/RecordingRule/Alert constructs.
import type { Construct } from '../constructs/construct.js';
import { Alert, RecordingRule, RuleGroup } from '../constructs/rules.js';
import type { AlertCase } from '../constructs/alert-cases.js';
import { renderTemplate } from '../promql/template.js';
import { toYaml } from './serialize.js';

export const RULE_FILES = {
  recording: 'infra/prometheus/recording-rules.yml',
  alerts: 'infra/prometheus/alerts.yml',
  tests: 'infra/prometheus/tests/alerts.test.yml',
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
  files.set(RULE_FILES.tests, toYaml(renderTests(root.findAll(Alert)), 'the tests declared with each alert in src/alerts/'));
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

function renderTests(alerts: readonly Alert[]) {
  return {
    rule_files: ['../recording-rules.yml', '../alerts.yml'],
    evaluation_interval: '15s',
    tests: alerts.flatMap((a) => [renderCase(a, 'fires', a.props.tests.fires), renderCase(a, 'quiet', a.props.tests.quiet)]),
  };
}
