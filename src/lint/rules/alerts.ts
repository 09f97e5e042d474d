// Alert conventions (monitoring-mixin style): CamelCase names, a known severity, a plain summary,
// a description that shows the value, and promtool unit tests on both sides of the threshold.
import type { LintContext } from '../context.js';
import { rule, type Problem } from '../rule.js';

export const SEVERITIES = ['critical', 'warning', 'info', 'none'] as const;

const camelCase = (name: string) =>
  name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');

const inSource = `in src/alerts/ and run \`make synth\``;

/** Every alerting rule in the rule files, with a reporter for it. */
const alertsOf = (ctx: LintContext) =>
  ctx.project.ruleFiles.flatMap((file) =>
    file.groups
      .flatMap((g) => g.rules)
      .filter((r) => r.alert)
      .map((r) => ({
        rule: r,
        name: r.alert!,
        at: (message: string, fix: string): Problem => ({ file: file.path, object: `alert ${r.alert}`, message, fix }),
      })),
  );

export const alertMetadata = rule({
  id: 'alert-metadata',
  severity: 'error',
  summary:
    'an alert without a CamelCase name, a known severity, a plain summary, a description showing the value, or a runbook',
  check: (ctx) =>
    alertsOf(ctx).flatMap(({ rule: r, name, at }) => {
      const problems: Problem[] = [];
      const a = r.annotations ?? {};
      const severity = r.labels?.severity;
      if (!/^[A-Z][A-Za-z0-9]+$/.test(name))
        problems.push(
          at(
            'alert name is not CamelCase.',
            `rename the alert to ${camelCase(name) || 'a CamelCase name'} ${inSource}`,
          ),
        );
      if (!(SEVERITIES as readonly string[]).includes(severity ?? '')) {
        problems.push(
          at(
            severity === undefined ? 'has no severity label.' : `label severity is "${severity}".`,
            `set labels.severity to one of ${SEVERITIES.join(', ')} ${inSource}`,
          ),
        );
      }
      for (const key of ['summary', 'description', 'runbook_url']) {
        if (!a[key]?.trim())
          problems.push(at(`has no ${key} annotation.`, `add a ${key} annotation to the alert ${inSource}`));
      }
      const summary = a.summary?.trim();
      if (summary) {
        const wrong = [
          !/^[A-Z]/.test(summary) && 'start with a capital letter',
          !summary.endsWith('.') && 'end with a period',
          summary.includes('{{') && 'have no {{ }} template (the description carries the details)',
        ].filter((p): p is string => !!p);
        if (wrong.length)
          problems.push(
            at(
              `summary "${summary}" is not a plain sentence.`,
              `rewrite the summary to ${wrong.join(', ')} ${inSource}`,
            ),
          );
      }
      if (a.description?.trim() && !/\{\{[^}]*\$value/.test(a.description)) {
        problems.push(
          at(
            'description does not show the value that fired.',
            `include {{ $value | humanize }} (or humanizePercentage / humanizeDuration) in the description ${inSource}`,
          ),
        );
      }
      return problems;
    }),
});

export const alertTests = rule({
  id: 'alert-tests',
  severity: 'error',
  summary: 'an alert without a promtool unit test where it fires and one where it stays quiet',
  check: (ctx) => {
    if (ctx.unreadable.tests) return [];
    return alertsOf(ctx).flatMap(({ name, at }) => {
      const cases = ctx.project.alertTests.filter((t) => t.alertname === name);
      const problems: Problem[] = [];
      if (!cases.some((t) => t.expAlerts > 0)) {
        problems.push(
          at(
            'has no unit test where it fires.',
            `add a test case above the threshold (alert_rule_test for ${name} with exp_alerts) to the alert's tests ${inSource}`,
          ),
        );
      }
      if (!cases.some((t) => t.expAlerts === 0)) {
        problems.push(
          at(
            'has no unit test where it must stay quiet.',
            `add a test case just below the threshold (alert_rule_test for ${name} with exp_alerts: []) to the alert's tests ${inSource}`,
          ),
        );
      }
      return problems;
    });
  },
});
