// Alert conventions (the monitoring-mixin style): names, severity, annotations, a runbook section
// that exists, and unit tests on both sides of the threshold.
import type { Finding } from '../../verify/findings.js';
import type { LintContext } from '../context.js';

const SEVERITIES = ['critical', 'warning', 'info'];

/** GitHub's heading anchors: lower-case, punctuation dropped, spaces to dashes. */
export const headingSlug = (heading: string) =>
  heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');

function runbookSections(markdown: string): Set<string> {
  return new Set([...markdown.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)].map((m) => headingSlug(m[1]!)));
}

export function alertRules(ctx: LintContext): Finding[] {
  const findings: Finding[] = [];
  const seen = new Map<string, string>();
  const seenRecords = new Map<string, string>();
  for (const file of ctx.project.ruleFiles) {
    for (const group of file.groups) {
      for (const rule of group.rules) {
        if (rule.record) {
          const first = seenRecords.get(rule.record);
          if (first) findings.push({ rule: 'unique-ids', file: file.path, object: `recording rule ${rule.record}`, message: `is defined twice (also in ${first}).`, fix: 'give each recording rule one definition' });
          seenRecords.set(rule.record, file.path);
          continue;
        }
        if (!rule.alert) continue;
        const at = (id: string, message: string, fix: string): Finding => ({ rule: id, file: file.path, object: `alert ${rule.alert}`, message, fix });
        const first = seen.get(rule.alert);
        if (first) findings.push(at('unique-ids', `alert name is used twice (also in ${first}).`, 'rename one of them; alert names identify runbooks and tests'));
        seen.set(rule.alert, file.path);

        const a = rule.annotations ?? {};
        if (!/^[A-Z][A-Za-z0-9]+$/.test(rule.alert)) findings.push(at('alert-metadata', 'alert name is not CamelCase.', 'rename it, e.g. HttpErrorRatioHigh'));
        if (!SEVERITIES.includes(rule.labels?.severity ?? '')) findings.push(at('alert-metadata', `label severity is "${rule.labels?.severity ?? ''}".`, `set severity to one of ${SEVERITIES.join(', ')}`));
        for (const key of ['summary', 'description', 'runbook_url']) {
          if (!a[key]) findings.push(at('alert-metadata', `has no ${key} annotation.`, `add a ${key} to the alert in src/alerts/`));
        }
        if (a.summary && !/^[A-Z][^{}]*\.$/.test(a.summary)) findings.push(at('alert-metadata', `summary "${a.summary}" is not a plain sentence.`, 'start with a capital, end with a period, no {{ }} templates: the description carries the details'));
        if (a.description && !/\{\{\s*\$value/.test(a.description)) findings.push(at('alert-metadata', 'description does not show the value.', 'include {{ $value | humanize }} (or humanizePercentage/humanizeDuration)'));
        if (a.runbook_url) findings.push(...runbookFindings(ctx, a.runbook_url, at));

        const tests = ctx.project.alertTests.filter((t) => t.alertname === rule.alert);
        if (!tests.some((t) => t.expAlerts > 0)) findings.push(at('alert-tests', 'has no unit test where it fires.', 'add a `fires` case to its `tests` in src/alerts/ and run `make synth`'));
        if (!tests.some((t) => t.expAlerts === 0)) findings.push(at('alert-tests', 'has no unit test where it must stay quiet.', 'add a `quiet` case just below its threshold to its `tests` and run `make synth`'));
      }
    }
  }
  return findings;
}

function runbookFindings(ctx: LintContext, url: string, at: (id: string, m: string, f: string) => Finding): Finding[] {
  const m = /(docs\/runbooks\/[^#?]+)(?:#(.*))?$/.exec(url);
  if (!m) return [at('runbook-section', `runbook_url ${url} does not point into docs/runbooks/.`, 'link to a section of a file under docs/runbooks/')];
  const [, path, anchor] = m;
  const text = ctx.project.runbooks.get(path!);
  if (text === undefined) return [at('runbook-section', `runbook_url points at ${path}, which does not exist.`, `create ${path} with a section for the alert`)];
  if (!anchor) return [at('runbook-section', `runbook_url ${url} names no section.`, 'end the link with #<section anchor>')];
  if (!runbookSections(text).has(anchor)) return [at('runbook-section', `${path} has no section #${anchor}.`, `add a heading whose anchor is "${anchor}" (e.g. "## ${anchor}") to ${path}`)];
  return [];
}
