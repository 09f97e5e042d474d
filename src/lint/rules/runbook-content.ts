// What an on-call engineer needs from a runbook section, checked against the alert it serves: why it
// has the severity it has (and that the reason still matches its label), a dashboard that shows what
// the alert reads, a LogQL query to start from, steps for both topologies the gate runs on (the
// platform VM and the cluster), and for a gate alert when to stop the run or roll back.
import { parser as logqlParser } from '@grafana/lezer-logql';
import { marked } from 'marked';
import type { LintContext } from '../context.js';
import { rule, type Problem } from '../rule.js';
import type { RuleDoc } from '../project.js';
import { SEVERITIES } from './alerts.js';
import { alertObject, headingSections, runbookTarget } from './runbooks.js';

/** The bold lead-in a gate alert's section must have. */
export const STOP_CRITERION = '**Stop the run / roll back.**';

/** Inline code spans and fenced blocks of a markdown section. */
export function codeOf(markdown: string): string[] {
  const fenced = [...markdown.matchAll(/^ {0,3}(`{3,}|~{3,})[^\n]*\n([\s\S]*?)^ {0,3}\1/gm)].map((m) => m[2]!.trim());
  const withoutFences = markdown.replace(/^ {0,3}(`{3,}|~{3,})[^\n]*\n[\s\S]*?^ {0,3}\1/gm, '');
  const inline = [...withoutFences.matchAll(/(`+)([^`][\s\S]*?)\1/g)].map((m) => m[2]!.trim());
  return [...fenced, ...inline];
}

/** A log query: a stream selector, optionally a pipeline, that Grafana's LogQL grammar parses without error. */
export function isLogQL(code: string): boolean {
  if (!/^\{\s*[a-zA-Z_]\w*\s*(=|!=|=~|!~)/.test(code)) return false;
  let ok = true;
  logqlParser.parse(code).iterate({ enter: (n) => void (n.type.isError && (ok = false)) });
  return ok;
}

/**
 * The topologies every section gives steps for: the platform VM (Docker Compose, Grafana through
 * the SSH tunnel) and the cluster (namespace stressgate-staging, kube-prometheus-stack). A step is a
 * line or list item led by `VM:` or `Cluster:` (bold or not) with a command or query in backticks.
 */
export const TOPOLOGIES = {
  VM: 'docker compose ps api',
  Cluster: 'kubectl -n stressgate-staging get pods -l app.kubernetes.io/name=api',
} as const;

const hasSteps = (markdown: string, topology: string): boolean =>
  new RegExp(`^\\s*(?:[-*+]\\s+)?(?:\\*\\*)?${topology}:(?:\\*\\*)?[^\\n]*\`[^\`\\n]+\``, 'm').test(markdown);

/** A runbook's link reference definitions (label, lower-cased as Markdown matches it → URL). */
const linkDefinitions = (file: string): ReadonlyMap<string, string> =>
  new Map(Object.entries(marked.lexer(file).links).map(([label, l]) => [label.toLowerCase(), l.href]));

/** Dashboard uids the section links to (`…/d/<uid>` URLs), inline or by reference (`[VM][vm/<uid>]`, synth writes the targets). */
const linkedDashboards = (markdown: string, definitions: ReadonlyMap<string, string>): string[] => {
  const inline = [...markdown.matchAll(/\]\(([^)\s]*)[^)]*\)/g)].map((m) => m[1]!);
  const referenced = [...markdown.matchAll(/\]\[([^\]]+)\]/g)].flatMap(
    (m) => definitions.get(m[1]!.toLowerCase()) ?? [],
  );
  return [...inline, ...referenced].flatMap((url) => /\/d\/([a-z0-9-]+)/.exec(url)?.[1] ?? []);
};

function runbookContent(ctx: LintContext): Problem[] {
  const findings: Problem[] = [];
  // Which dashboards show each series: a linked dashboard should show what the alert reads.
  const uidOf = new Map(ctx.project.dashboards.map((d) => [d.path, d.uid ?? '']));
  const showing = new Map<string, Set<string>>();
  for (const site of ctx.exprs.filter((e) => e.kind === 'panel')) {
    for (const sel of site.parsed.selectors)
      showing.set(sel.metric, (showing.get(sel.metric) ?? new Set()).add(uidOf.get(site.file)!));
  }
  const stepsChecked = new Set<string>();
  for (const file of ctx.project.ruleFiles) {
    for (const rule of file.groups.flatMap((g) => g.rules)) {
      if (!rule.alert || !rule.annotations?.runbook_url) continue;
      const target = runbookTarget(rule.annotations.runbook_url);
      const file = (target && ctx.project.runbooks.get(target.path)) ?? '';
      const section = target && headingSections(file).get(target.anchor);
      if (!target || section === undefined) continue; // runbook-section reports it
      const object = `section #${target.anchor} (${alertObject(ctx, rule.alert)})`;
      const at = (message: string, fix: string): Problem => ({
        file: target.path,
        object,
        message,
        fix,
      });
      findings.push(...sectionProblems(ctx, rule, section, linkDefinitions(file), showing, at));
      // Steps belong to the section, not to each alert sharing it (the burn-rate alerts): reported once.
      const key = `${target.path}#${target.anchor}`;
      if (!stepsChecked.has(key)) findings.push(...stepProblems(section, at));
      stepsChecked.add(key);
    }
  }
  return findings;
}

function sectionProblems(
  ctx: LintContext,
  rule: RuleDoc,
  section: string,
  definitions: ReadonlyMap<string, string>,
  showing: ReadonlyMap<string, Set<string>>,
  at: (m: string, f: string) => Problem,
): Problem[] {
  const out: Problem[] = [];
  const severity = rule.labels?.severity;
  // An unknown severity is alert-metadata's finding; there is nothing to justify yet.
  if (
    severity &&
    (SEVERITIES as readonly string[]).includes(severity) &&
    !section.includes(`**Severity: ${severity}`)
  ) {
    out.push(
      at(
        `does not justify severity ${severity}.`,
        `add "**Severity: ${severity}** (what it means here) and why" to the section: what makes it page, ticket or only show on dashboards`,
      ),
    );
  }
  const known = new Set(ctx.project.dashboards.map((d) => d.uid));
  const linked = linkedDashboards(section, definitions).filter((uid) => known.has(uid));
  const site = ctx.exprs.find((e) => e.kind === 'alert' && e.object === `alert ${rule.alert}`);
  const relevant = new Set((site?.parsed.selectors ?? []).flatMap((s) => [...(showing.get(s.metric) ?? [])]));
  if (ctx.unreadable.dashboards) {
    // A dashboard that did not load may be the one linked: file-parse reports the cause.
  } else if (!linked.length) {
    out.push(
      at(
        'links to no dashboard.',
        `link the dashboard to open first on both Grafanas, e.g. Release gate ([VM][vm/release-gate], [cluster][cluster/release-gate]: synth writes their targets from GRAFANA_URLS); known uids: ${[...known].join(', ')}`,
      ),
    );
  } else if (relevant.size && !linked.some((uid) => relevant.has(uid))) {
    out.push(
      at(
        `links to ${linked.join(', ')}, which show nothing the alert reads.`,
        `link a dashboard that shows the alert's series: ${[...relevant].sort().join(', ')}`,
      ),
    );
  }
  if (!codeOf(section).some(isLogQL)) {
    out.push(
      at(
        'has no LogQL query.',
        'add one log query in backticks to start from, e.g. `{job="api"} | json | level >= 50`',
      ),
    );
  }
  if (rule.labels?.gate === 'release' && !section.includes(STOP_CRITERION)) {
    out.push(
      at(
        'is a gate alert but says nowhere when to stop the run or roll back.',
        `add a paragraph starting "${STOP_CRITERION}" with the criterion`,
      ),
    );
  }
  return out;
}

/** A section without a step for one of the topologies. */
function stepProblems(section: string, at: (m: string, f: string) => Problem): Problem[] {
  return Object.entries(TOPOLOGIES)
    .filter(([topology]) => !hasSteps(section, topology))
    .map(([topology, example]) =>
      at(
        `has no ${topology === 'VM' ? 'VM' : 'cluster'} steps (a "${topology}:" line with a command or query in backticks).`,
        `give the ${topology === 'VM' ? 'platform VM' : 'cluster'}'s first check beside the other topology's, e.g. "- ${topology}: \`${example}\`"`,
      ),
    );
}

export const runbookContentRule = rule({
  id: 'runbook-content',
  severity: 'error',
  summary:
    'a runbook section without its severity reason, a dashboard showing the alert, a LogQL query, VM and cluster steps, or a stop criterion',
  check: runbookContent,
});
