// Panels that show an SLO must read like one: the objective drawn (a threshold step, and on a graph a
// visible threshold line: Grafana's default style is `off`), a link to the runbook of the alert that
// guards it, and every panel that breaks the same metric down (by route, by status) scoped exactly
// like the SLO, so the breakdown adds up to what the SLO panel shows.
import type { ExprSite, LintContext } from '../context.js';
import { rule, type Problem } from '../rule.js';
import { dashboardModel, modelPanels } from '../dashboard-model.js';
import { panelName } from '../project.js';
import type { LabelMatcher } from '../../kernel/promql.js';
import { headingAnchors, runbookTarget } from './runbooks.js';

/** Labels that place a series rather than scope it: a dashboard filters these by variable. */
const PLACEMENT = new Set(['job', 'instance', 'le']);

/**
 * SLO indicators: recording rules read by alerts that carry an `slo` label, with those alerts'
 * runbooks (only those that resolve to a section: a broken runbook_url is runbook-section's finding).
 */
export function sloRecords(ctx: LintContext): Map<string, Set<string>> {
  const records = new Map<string, Set<string>>();
  for (const rule of ctx.project.ruleFiles.flatMap((f) => f.groups.flatMap((g) => g.rules))) {
    if (!rule.alert || !rule.labels?.slo) continue;
    const site = ctx.exprs.find((e) => e.kind === 'alert' && e.object === `alert ${rule.alert}`);
    for (const sel of site?.parsed.selectors ?? []) {
      if (!ctx.records.has(sel.metric)) continue;
      const urls = records.get(sel.metric) ?? new Set<string>();
      const url = rule.annotations?.runbook_url;
      const target = url ? runbookTarget(url) : undefined;
      if (url && target && headingAnchors(ctx.project.runbooks.get(target.path) ?? '').has(target.anchor))
        urls.add(url);
      records.set(sel.metric, urls);
    }
  }
  return records;
}

const sameMatcher = (a: LabelMatcher, b: LabelMatcher) => a.label === b.label && a.op === b.op && a.value === b.value;
const show = (m: LabelMatcher) => `${m.label}${m.op}${JSON.stringify(m.value)}`;

/** Per catalog metric, the matchers every SLO indicator applies to it (its scope, e.g. route=~"/api/.*"). */
export function sloScopes(ctx: LintContext, records: ReadonlyMap<string, unknown>): Map<string, LabelMatcher[]> {
  const scopes = new Map<string, LabelMatcher[]>();
  for (const site of ctx.exprs.filter((e) => e.kind === 'record' && e.record && records.has(e.record))) {
    for (const sel of site.parsed.selectors) {
      const family = ctx.series.get(sel.metric)?.metric.name;
      if (!family) continue;
      const own = sel.matchers.filter((m) => !PLACEMENT.has(m.label));
      const before = scopes.get(family);
      scopes.set(family, before ? before.filter((m) => own.some((o) => sameMatcher(o, m))) : own);
    }
  }
  return scopes;
}

function panelProblems(ctx: LintContext): Problem[] {
  if (ctx.unreadable.rules) return [];
  const records = sloRecords(ctx);
  const findings: Problem[] = [];
  const source =
    'build SLO panels with sloPanel() (src/dashboards/slo-panel.ts) or give the Panel thresholds, thresholdStyle and links, then run `make synth`';
  for (const d of ctx.project.dashboards) {
    for (const p of modelPanels(dashboardModel(d.raw))) {
      const object = panelName(d, p);
      const sites = ctx.exprs.filter((e) => e.file === d.path && e.object.startsWith(`${object} / target`));
      const shown = [
        ...new Set(sites.flatMap((s) => s.parsed.selectors.map((sel) => sel.metric)).filter((m) => records.has(m))),
      ];
      if (!shown.length) continue;
      const at = (message: string): Problem => ({ file: d.path, object, message, fix: source });
      const defaults = p.fieldConfig?.defaults;
      if ((defaults?.thresholds?.steps ?? []).length < 2)
        findings.push(at(`shows SLO indicator ${shown.join(', ')} but has no threshold step at the objective.`));
      const mode = defaults?.custom?.thresholdsStyle?.mode;
      if (p.type === 'timeseries' && (!mode || mode === 'off')) {
        findings.push(
          at(
            `shows SLO indicator ${shown.join(', ')} on a graph without a threshold line (fieldConfig.defaults.custom.thresholdsStyle is ${mode ?? 'unset, Grafana reads off'}).`,
          ),
        );
      }
      const runbooks = new Set(shown.flatMap((r) => [...records.get(r)!]));
      if (runbooks.size && !(p.links ?? []).some((l) => l.url !== undefined && runbooks.has(l.url))) {
        findings.push(
          at(`does not link the runbook of the alert that guards ${shown.join(', ')} (${[...runbooks].join(', ')}).`),
        );
      }
    }
  }
  return findings;
}

function scopeProblems(ctx: LintContext): Problem[] {
  if (ctx.unreadable.rules) return [];
  const scopes = sloScopes(ctx, sloRecords(ctx));
  return ctx.exprs
    .filter((e): e is ExprSite => e.kind === 'panel')
    .flatMap((site) =>
      site.parsed.selectors.flatMap((sel) => {
        const family = ctx.series.get(sel.metric)?.metric.name;
        const missing =
          (family && scopes.get(family)?.filter((m) => !sel.matchers.some((o) => sameMatcher(o, m)))) || [];
        return missing.length
          ? [
              {
                file: site.file,
                object: site.object,
                message: `reads ${sel.metric} without ${missing.map(show).join(', ')}, the scope its SLO indicators apply: it will not add up to the SLO panels.`,
                fix: `select ${sel.metric} with ${missing.map(show).join(', ')} (e.g. { ...JOB, route: API_ROUTES }) in src/dashboards/ and run \`make synth\``,
              },
            ]
          : [];
      }),
    );
}

export const sloPanel = rule({
  id: 'slo-panel',
  severity: 'error',
  summary: "a panel showing an SLO indicator without the objective drawn or a link to its alert's runbook",
  check: panelProblems,
});

export const sloScope = rule({
  id: 'slo-scope',
  severity: 'error',
  summary: 'a panel breaking down an SLO metric without the scope its SLO indicators apply',
  check: scopeProblems,
});
