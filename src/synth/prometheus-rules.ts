// Rule files and their promtool unit tests, from the RuleGroup/RecordingRule/Alert constructs.
// Groups outside any RuleFile go to recording-rules.yml or alerts.yml by kind; a RuleFile's groups
// go to its own file, tested by its own test file.
import type { Construct } from '../constructs/construct.js';
import { Alert, RecordingRule, RuleGroup } from '../constructs/rules.js';
import type { AlertCase } from '../constructs/alert-cases.js';
import { ExprTest, RuleFile } from '../constructs/rule-file.js';
import { durationSeconds, formatNumber, type Duration } from '../promql/expr.js';
import { STEP, type AlertScenario } from '../constructs/alert-timeline.js';
import { formatPromDuration } from '../kernel/duration.js';
import { renderTemplate } from '../promql/template.js';
import { toYaml } from './serialize.js';

export const RULE_DIR = 'infra/prometheus';

export const RULE_FILES = {
  recording: `${RULE_DIR}/recording-rules.yml`,
  alerts: `${RULE_DIR}/alerts.yml`,
  tests: `${RULE_DIR}/tests/alerts.test.yml`,
  /** Scenarios over time, evaluated every 15 s like production, so `for` and window boundaries are exact. */
  scenarios: `${RULE_DIR}/tests/alert-scenarios.test.yml`,
} as const;

/**
 * The shared alerts' steady cases (fires / stays quiet) evaluate every minute: cheap, and their states
 * do not depend on the step. Their scenarios over time evaluate every 15 s (STEP), like production.
 */
const STEADY_TEST_INTERVAL = '1m';
const SHARED_RULE_FILES = ['../recording-rules.yml', '../alerts.yml'] as const;

function groupKind(group: RuleGroup): 'recording' | 'alerts' | undefined {
  const rules = group.rules;
  if (!rules.length) return undefined;
  if (rules.every((r) => r instanceof RecordingRule)) return 'recording';
  if (rules.every((r) => r instanceof Alert)) return 'alerts';
  throw new Error(`${group.path}: a rule group holds either recording rules or alerts, not both`);
}

function renderRule(rule: RecordingRule | Alert): Record<string, unknown> {
  if (rule instanceof RecordingRule) {
    return {
      record: rule.record,
      expr: rule.expr.text,
      ...(Object.keys(rule.labels).length ? { labels: rule.labels } : {}),
    };
  }
  const p = rule.props;
  if ('imported' in p) {
    // As the file had it: no labels or annotations key where it had none.
    return {
      alert: rule.name,
      expr: p.expr.text,
      ...(p.for ? { for: p.for } : {}),
      ...(p.keepFiringFor ? { keep_firing_for: p.keepFiringFor } : {}),
      ...(p.labels ? { labels: p.labels } : {}),
      ...(p.annotations ? { annotations: p.annotations } : {}),
    };
  }
  return {
    alert: rule.name,
    expr: p.expr.text,
    ...(p.for ? { for: p.for } : {}),
    labels: sortedRecord(rule.labels),
    annotations: rule.annotations,
  };
}

const sortedRecord = (r: Record<string, string>) =>
  Object.fromEntries(Object.entries(r).sort(([a], [b]) => a.localeCompare(b)));

const renderGroups = (groups: readonly RuleGroup[]) => ({
  groups: groups.map((g) => ({
    name: g.id,
    ...(g.interval ? { interval: g.interval } : {}),
    ...(g.props.limit !== undefined ? { limit: g.props.limit } : {}),
    ...(g.props.queryOffset ? { query_offset: g.props.queryOffset } : {}),
    ...(g.props.labels ? { labels: g.props.labels } : {}),
    rules: g.rules.map(renderRule),
  })),
});

/** Rule files by path (`prometheus.yml` lists them, relative to its directory). */
export function ruleFileNames(root: Construct): string[] {
  return ['recording-rules.yml', 'alerts.yml', ...root.findAll(RuleFile).map((f) => f.fileName)];
}

export function renderRuleFiles(root: Construct): Map<string, string> {
  const files = new Map<string, string>();
  const shared = root.findAll(RuleGroup).filter((g) => !g.ancestor(RuleFile));
  for (const kind of ['recording', 'alerts'] as const) {
    const selected = shared.filter((g) => groupKind(g) === kind);
    files.set(
      RULE_FILES[kind],
      toYaml(renderGroups(selected), kind === 'recording' ? 'src/recording-rules/' : 'src/alerts/'),
    );
  }
  const sharedAlerts = shared.filter((g) => groupKind(g) === 'alerts').flatMap((g) => g.rules as Alert[]);
  const order = ['recording', 'alerts'].flatMap((kind) => shared.filter((g) => groupKind(g) === kind).map((g) => g.id));
  files.set(
    RULE_FILES.tests,
    toYaml(
      renderTests(SHARED_RULE_FILES, STEADY_TEST_INTERVAL, sharedAlerts, [], order),
      'the tests declared with each alert in src/alerts/',
    ),
  );
  files.set(
    RULE_FILES.scenarios,
    toYaml(
      renderScenarios(SHARED_RULE_FILES, order, sharedAlerts),
      'the scenarios declared with each alert in src/alerts/',
    ),
  );
  for (const file of root.findAll(RuleFile)) {
    // A file of its own may mix recording rules and alerts in a group, as Prometheus allows.
    const groups = file.findAll(RuleGroup).filter((g) => g.rules.length);
    files.set(`${RULE_DIR}/${file.fileName}`, toYaml(renderGroups(groups), file.props.source));
    const alerts = groups.flatMap((g) => g.rules.filter((r): r is Alert => r instanceof Alert));
    const interval = file.props.testEvaluationInterval;
    const doc = file.props.alertCasesInOneGroup
      ? {
          rule_files: [`../${file.fileName}`],
          evaluation_interval: interval,
          tests: [...alerts.map((a) => stepCases(a, interval)), ...file.findAll(ExprTest).map(renderExprTest)],
        }
      : renderTests([`../${file.fileName}`], interval, alerts, file.findAll(ExprTest));
    files.set(`${RULE_DIR}/tests/${file.id}.test.yml`, toYaml(doc, `the tests generated in ${file.props.source}`));
  }
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
  const selector = `ALERTS{${Object.entries({ alertname: alert.name, ...sortedRecord(alert.labels) })
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(', ')}}`;
  return {
    name: `${alert.name} over time: ${sc.title}`,
    interval: formatPromDuration(sc.step),
    input_series: sc.inputs.map((s) => ({ series: s.series, values: s.values })),
    promql_expr_test: sc.expect.map((e) => ({
      expr: `count by (alertstate) (${selector})`,
      eval_time: formatPromDuration(e.at),
      exp_samples: e.state === 'inactive' ? [] : [{ labels: `{alertstate="${e.state}"}`, value: e.instances ?? 1 }],
    })),
  };
}

/** One test group for all of an alert's instant cases: case i's samples sit at step i and are checked there. */
function stepCases(alert: Alert, interval: Duration) {
  const cases = alert.cases;
  const step = durationSeconds(interval);
  const series = new Map<string, string[]>();
  cases.forEach(({ c }, i) => {
    for (const s of c.inputs) {
      const values = series.get(s.series) ?? Array<string>(cases.length).fill('_');
      values[i] = s.values;
      series.set(s.series, values);
    }
  });
  const at = (i: number) => `${i * step}s`;
  return {
    name: `${alert.name}: ${cases.map(({ kind, c }, i) => `${kind === 'fires' ? 'fires' : 'quiet'} at ${at(i)} (${c.title})`).join('; ')}`,
    interval,
    input_series: [...series].map(([name, values]) => ({ series: name, values: values.join(' ') })),
    alert_rule_test: cases.map(({ kind, c }, i) => ({
      eval_time: at(i),
      alertname: alert.name,
      exp_alerts: renderCase(alert, kind, c).alert_rule_test[0]!.exp_alerts,
    })),
  };
}

function renderExprTest(t: ExprTest) {
  const p = t.props;
  return {
    name: p.title,
    interval: p.interval,
    input_series: p.inputs.map((s) => ({ series: s.series, values: s.values })),
    promql_expr_test: p.checks.map((c) => ({
      expr: String(c.expr),
      eval_time: p.evalTime,
      exp_samples: [{ labels: c.labels, value: Number(formatNumber(c.value)) }],
    })),
  };
}

function renderTests(
  ruleFiles: readonly string[],
  evaluationInterval: string,
  alerts: readonly Alert[],
  exprTests: readonly ExprTest[],
  groupOrder?: readonly string[],
) {
  return {
    rule_files: ruleFiles,
    evaluation_interval: evaluationInterval,
    ...(groupOrder ? { group_eval_order: groupOrder } : {}),
    tests: [
      ...alerts.flatMap((a) => a.cases.map(({ kind, c }) => renderCase(a, kind, c))),
      ...exprTests.map(renderExprTest),
    ],
  };
}

function renderScenarios(ruleFiles: readonly string[], groupOrder: readonly string[], alerts: readonly Alert[]) {
  return {
    rule_files: ruleFiles,
    evaluation_interval: formatPromDuration(STEP),
    group_eval_order: groupOrder,
    tests: alerts.flatMap((a) => (a.tests?.scenarios ?? []).map((sc) => renderScenario(a, sc))),
  };
}
