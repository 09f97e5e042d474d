// Every alert links to its runbook section; a link to a missing file or heading leaves the on-call
// engineer with a 404 or the top of a long page at the worst moment.
import { posix } from 'node:path';
import type { LintContext } from '../context.js';
import { rule, type Problem } from '../rule.js';
import { PATHS } from '../project.js';

/** GitHub's heading anchor: lower-case, drop all but letters, digits, spaces, `-`, `_`; spaces to `-`. */
export const headingSlug = (heading: string): string =>
  heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1') // a link's anchor is made from its text
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');

interface Heading {
  readonly anchor: string;
  readonly level: number;
  /** Line index of the heading (its text line, for setext headings). */
  readonly line: number;
}

/** A markdown file's headings (ATX and setext), outside code fences, anchors de-duplicated like GitHub (`-1`, `-2`). */
function headings(lines: readonly string[]): Heading[] {
  const found: Heading[] = [];
  const seen = new Map<string, number>();
  const add = (text: string, level: number, line: number) => {
    const slug = headingSlug(text);
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    found.push({ anchor: n ? `${slug}-${n}` : slug, level, line });
  };
  let fence: string | undefined;
  let previous = '';
  lines.forEach((line, i) => {
    const f = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (f && (!fence || (f[0] === fence[0] && f.length >= fence.length))) {
      fence = fence ? undefined : f;
      previous = '';
      return;
    }
    if (fence) return;
    const atx = /^ {0,3}(#{1,6})(?:\s+(.*?))?(?:\s+#+)?\s*$/.exec(line);
    const setext = /^ {0,3}(=+|-+)\s*$/.exec(line);
    if (atx) add(atx[2] ?? '', atx[1]!.length, i);
    else if (setext && previous.trim() && !/^\s*([-*+]|\d+\.)\s/.test(previous))
      add(previous, setext[1]![0] === '=' ? 1 : 2, i - 1);
    previous = atx ? '' : line;
  });
  return found;
}

/** Anchors of a markdown file's headings (ATX and setext), outside code fences, de-duplicated like GitHub (`-1`, `-2`). */
export function headingAnchors(markdown: string): Set<string> {
  return new Set(headings(markdown.split(/\r?\n/)).map((h) => h.anchor));
}

/** Each heading's section by anchor: from the heading to the next heading of the same or a higher level. */
export function headingSections(markdown: string): Map<string, string> {
  const lines = markdown.split(/\r?\n/);
  const all = headings(lines);
  return new Map(
    all.map((h, i) => {
      const end = all.slice(i + 1).find((n) => n.level <= h.level)?.line ?? lines.length;
      return [h.anchor, lines.slice(h.line, end).join('\n')];
    }),
  );
}

/** The runbook file and anchor a runbook_url points at, when it points into docs/runbooks/. */
export function runbookTarget(url: string): { path: string; anchor: string } | undefined {
  const m = new RegExp(`(?:^|/)${PATHS.runbooks}/([^#?]*)(?:\\?[^#]*)?(?:#(.*))?$`).exec(url);
  const path = m && posix.normalize(`${PATHS.runbooks}/${decodeURIComponent(m[1]!)}`);
  if (!m || !path?.startsWith(`${PATHS.runbooks}/`)) return undefined;
  return { path, anchor: m[2] ? decodeURIComponent(m[2]) : '' };
}

function runbookSections(ctx: LintContext): Problem[] {
  const findings: Problem[] = [];
  for (const file of ctx.project.ruleFiles) {
    for (const rule of file.groups.flatMap((g) => g.rules)) {
      const url = rule.annotations?.runbook_url;
      if (!rule.alert || !url) continue; // a missing runbook_url is alert-metadata's
      const problem = runbookProblem(ctx, url);
      if (problem) findings.push({ file: file.path, object: `alert ${rule.alert}`, ...problem });
    }
  }
  return findings;
}

function runbookProblem(ctx: LintContext, url: string): { message: string; fix: string } | undefined {
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
      message: `${path} has no heading with anchor #${anchor}.`,
      fix: `add a heading whose GitHub anchor is "${anchor}" (e.g. "## ${anchor}" or the alert name) to ${path}, or correct the fragment of runbook_url`,
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
