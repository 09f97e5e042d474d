// Prometheus rule files and promtool rule-test files against their SchemaStore schemas.
import type { Finding } from '../../kernel/findings.js';
import { at, brief, finding, isRecord, replaceUnder, run, schemaRef, toJson, under } from './issues.js';
import { RULE_TESTS_SCHEMA, RULES_SCHEMA, SCHEMA_RULES, validatorFor } from './registry.js';

/** Validates a Prometheus rule file (parsed YAML) against schemas/prometheus/prometheus.rules.json. */
export function validateRuleFile(file: string, doc: unknown): Finding[] {
  const data = toJson(doc);
  let issues = run(validatorFor(RULES_SCHEMA), data, schemaRef(RULES_SCHEMA));
  // A rule is a oneOf(recording_rule, alerting_rule): validate rules with errors against the one they mean.
  const groups = isRecord(data) && Array.isArray(data.groups) ? data.groups : [];
  groups.forEach((group, g) => {
    const rules = isRecord(group) && Array.isArray(group.rules) ? group.rules : [];
    rules.forEach((rule, r) => {
      const pointer = `/groups/${g}/rules/${r}`;
      if (!isRecord(rule) || !issues.some((i) => under(i.pointer, pointer))) return;
      const def = 'record' in rule ? 'recording_rule' : 'alert' in rule ? 'alerting_rule' : undefined;
      if (!def) return;
      const frag = `#/definitions/${def}`;
      issues = replaceUnder(
        issues,
        pointer,
        run(validatorFor(RULES_SCHEMA, frag), rule, schemaRef(RULES_SCHEMA, frag), data, pointer),
      );
    });
  });
  return issues.map((issue) => finding(SCHEMA_RULES.rules, file, ruleObject(data, issue.pointer), issue));
}

function ruleObject(data: unknown, pointer: string): string {
  const m = /^\/groups\/(\d+)(?:\/rules\/(\d+))?/.exec(pointer);
  if (!m) return 'rule file';
  const group = at(data, `/groups/${m[1]}`);
  const groupName = isRecord(group) && typeof group.name === 'string' ? `group ${group.name}` : `group #${m[1]}`;
  if (m[2] === undefined) return groupName;
  const rule = at(data, `/groups/${m[1]}/rules/${m[2]}`);
  if (isRecord(rule) && typeof rule.alert === 'string') return `${groupName} / alert ${rule.alert}`;
  if (isRecord(rule) && typeof rule.record === 'string') return `${groupName} / record ${rule.record}`;
  return `${groupName} / rule #${m[2]}`;
}

/** Validates a `promtool test rules` file (parsed YAML) against schemas/prometheus/prometheus.rules.test.json. */
export function validateRuleTestFile(file: string, doc: unknown): Finding[] {
  const data = toJson(doc);
  return run(validatorFor(RULE_TESTS_SCHEMA), data, schemaRef(RULE_TESTS_SCHEMA)).map((issue) => {
    const m = /^\/tests\/(\d+)(?:\/(alert_rule_test|promql_expr_test|input_series)\/(\d+))?/.exec(issue.pointer);
    let object = 'rule test file';
    if (m) {
      object = `test #${m[1]}`;
      if (m[2] !== undefined) {
        const item = at(data, `/tests/${m[1]}/${m[2]}/${m[3]}`);
        const label =
          isRecord(item) && typeof item.alertname === 'string'
            ? ` (alert ${item.alertname})`
            : isRecord(item) && typeof item.expr === 'string'
              ? ` (${brief(item.expr)})`
              : isRecord(item) && typeof item.series === 'string'
                ? ` (${brief(item.series)})`
                : '';
        object += ` / ${m[2]} #${m[3]}${label}`;
      }
    }
    return finding(SCHEMA_RULES.ruleTests, file, object, issue);
  });
}
