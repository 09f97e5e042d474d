// Every alert links to its runbook section; a link to a missing file or heading leaves the on-call
// engineer with a 404 or the top of a long page at the worst moment.
import { posix } from 'node:path';
import type { LintContext } from '../context.js';
import { rule, type Problem } from '../rule.js';
import { PATHS } from '../project.js';
import { headings, headingSlug, sectionRanges } from '../../kernel/markdown.js';

export { headingSlug };

/** Anchors of a markdown file's headings (ATX and setext), outside code fences, de-duplicated like GitHub (`-1`, `-2`). */
export function headingAnchors(markdown: string): Set<string> {
  return new Set(headings(markdown.split(/\r?\n/)).map((h) => h.anchor));
}

/** Each heading's section by anchor: from the heading to the next heading of the same or a higher level. */
export function headingSections(markdown: string): Map<string, string> {
  const lines = markdown.split(/\r?\n/);
  return new Map(
    [...sectionRanges(lines)].map(([anchor, r]) => [anchor, lines.slice(r.heading.line, r.end).join('\n')]),
  );
}

/** The runbook file and anchor a runbook_url points at, when it points into docs/runbooks/. */
export function runbookTarget(url: string): { path: string; anchor: string } | undefined {
  const m = new RegExp(`(?:^|/)${PATHS.runbooks}/([^#?]*)(?:\\?[^#]*)?(?:#(.*))?$`).exec(url);
  const path = m && posix.normalize(`${PATHS.runbooks}/${decodeURIComponent(m[1]!)}`);
  if (!m || !path?.startsWith(`${PATHS.runbooks}/`)) return undefined;
  return { path, anchor: m[2] ? decodeURIComponent(m[2]) : '' };
}

/** How a finding about prose names an alert: with its definition site when the definitions were loaded. */
export const alertObject = (ctx: LintContext, name: string): string => {
  const site = ctx.definitions.get(name);
  return `alert ${name}${site ? `, defined at ${site}` : ''}`;
};

function runbookSections(ctx: LintContext): Problem[] {
  const findings: Problem[] = [];
  for (const file of ctx.project.ruleFiles) {
    for (const rule of file.groups.flatMap((g) => g.rules)) {
      const url = rule.annotations?.runbook_url;
      if (!rule.alert || !url) continue; // a missing runbook_url is alert-metadata's
      const problem = runbookProblem(ctx, url);
      if (!problem) continue;
      // The user fixes the runbook (its heading) or the alert's runbook/runbookSection: name both, not the generated file.
      const site = ctx.definitions.get(rule.alert);
      const [path, line] = site ? [site.replace(/:\d+$/, ''), Number(/:(\d+)$/.exec(site)?.[1])] : [file.path, 0];
      findings.push({
        file: problem.runbook ?? path,
        ...(!problem.runbook && line ? { line } : {}),
        object: problem.runbook ? alertObject(ctx, rule.alert) : `alert ${rule.alert}`,
        message: problem.message,
        fix: problem.fix,
      });
    }
  }
  return findings;
}

/** What is wrong with a runbook_url; `runbook` when the file exists and its heading is what is missing. */
function runbookProblem(ctx: LintContext, url: string): { message: string; fix: string; runbook?: string } | undefined {
  const target = runbookTarget(url);
  if (!target) {
    return {
      message: `runbook_url ${url} does not point into ${PATHS.runbooks}/.`,
      fix: `set runbook_url to a section of a file under ${PATHS.runbooks}/ (…/blob/main/${PATHS.runbooks}/alerts.md#<alert name in lower case>)`,
    };
  }
  const { path, anchor } = target;
  const text = ctx.project.runbooks.get(path);
  if (text === undefined) {
    const known = [...ctx.project.runbooks.keys()];
    return {
      message: `runbook_url points at ${path}, which does not exist.`,
      fix: known.length
        ? `point runbook_url at one of ${known.join(', ')}, or create ${path}`
        : `create ${path} with a section for the alert`,
    };
  }
  if (!anchor)
    return {
      message: `runbook_url ${url} names no section.`,
      fix: `end runbook_url with #<anchor> of the alert's heading in ${path}`,
    };
  if (!headingAnchors(text).has(anchor)) {
    return {
      runbook: path,
      message: `${path} has no heading with anchor #${anchor}.`,
      fix: `add a heading whose GitHub anchor is "${anchor}" (e.g. "## ${anchor}" or the alert name) to ${path}, or correct the alert's runbookSection${ctx.definitions.size ? ' where it is defined' : ''}`,
    };
  }
  return undefined;
}

export const runbookSection = rule({
  id: 'runbook-section',
  severity: 'error',
  summary: "an alert's runbook_url whose file or heading does not exist",
  check: runbookSections,
});
