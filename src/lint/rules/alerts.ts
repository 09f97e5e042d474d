// Alert conventions (monitoring-mixin style): CamelCase names, a known severity, a plain summary,
// a description that shows the value, and promtool unit tests on both sides of the threshold.
import type { Finding } from '../../kernel/findings.js';
import type { LintContext } from '../context.js';

export const SEVERITIES = ['critical', 'warning', 'info', 'none'] as const;

const camelCase = (name: string) =>
  name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');

export function alertRules(ctx: LintContext): Finding[] {
  const findings: Finding[] = [];
  for (const file of ctx.project.ruleFiles) {
    for (const rule of file.groups.flatMap((g) => g.rules)) {
      const name = rule.alert;
      if (!name) continue;
      const at = (id: string, message: string, fix: string): Finding => ({ rule: id, file: file.path, object: `alert ${name}`, message, fix });
      const inSource = `in src/alerts/ and run \`make synth\``;
      const a = rule.annotations ?? {};
      const severity = rule.labels?.severity;

      if (!/^[A-Z][A-Za-z0-9]+$/.test(name)) findings.push(at('alert-metadata', 'alert name is not CamelCase.', `rename the alert to ${camelCase(name) || 'a CamelCase name'} ${inSource}`));
      if (!(SEVERITIES as readonly string[]).includes(severity ?? '')) {
        findings.push(at('alert-metadata', severity === undefined ? 'has no severity label.' : `label severity is "${severity}".`, `set labels.severity to one of ${SEVERITIES.join(', ')} ${inSource}`));
      }
      for (const key of ['summary', 'description', 'runbook_url']) {
        if (!a[key]?.trim()) findings.push(at('alert-metadata', `has no ${key} annotation.`, `add a ${key} annotation to the alert ${inSource}`));
      }
      const summary = a.summary?.trim();
      if (summary) {
        const problems = [
          !/^[A-Z]/.test(summary) && 'start with a capital letter',
          !summary.endsWith('.') && 'end with a period',
          summary.includes('{{') && 'have no {{ }} template (the description carries the details)',
        ].filter((p): p is string => !!p);
        if (problems.length) findings.push(at('alert-metadata', `summary "${summary}" is not a plain sentence.`, `rewrite the summary to ${problems.join(', ')} ${inSource}`));
      }
      if (a.description?.trim() && !/\{\{[^}]*\$value/.test(a.description)) {
        findings.push(at('alert-metadata', 'description does not show the value that fired.', `include {{ $value | humanize }} (or humanizePercentage / humanizeDuration) in the description ${inSource}`));
      }

      if (ctx.unreadable.tests) continue;
      const cases = ctx.project.alertTests.filter((t) => t.alertname === name);
      if (!cases.some((t) => t.expAlerts > 0)) {
        findings.push(at('alert-tests', 'has no unit test where it fires.', `add a test case above the threshold (alert_rule_test for ${name} with exp_alerts) to the alert's tests ${inSource}`));
      }
      if (!cases.some((t) => t.expAlerts === 0)) {
        findings.push(at('alert-tests', 'has no unit test where it must stay quiet.', `add a test case just below the threshold (alert_rule_test for ${name} with exp_alerts: []) to the alert's tests ${inSource}`));
      }
    }
  }
  return findings;
}
