// The report as Markdown a PR comment (or a GitHub job summary) can carry: weaker gate alerts
// first, then what a reviewer must judge, then every rule and dashboard change.
import type {
  DiffReport,
  ExprChange,
  Flag,
  RuleChange,
  RuleDiff,
  RuleKind,
  RuleSnapshot,
  ThresholdChange,
} from './types.js';
import { countFindings } from './finding-count.js';
import { dashboardLines, kubernetesLines } from './markdown-dashboards.js';
import { derivedKeys, findingLine, k6Section, sloSection } from './markdown-slos.js';
import { arrow, code, keyLine, optCode, plural, text, where } from './markdown-text.js';
/** An alert name in bold, a record (metric) name as code. */
const ruleName = (kind: RuleKind, key: string) => (kind === 'record' ? code(key) : `**${text(key)}**`);
/** A rule finding's subject: `recording rule \`x\`` or the alert in bold. */
const findingRule = (f: DiffReport['weaker'][number]) =>
  f.kind === 'record' ? `recording rule ${ruleName('record', f.name)}` : ruleName('alert', f.name);
const onlyRules = (findings: DiffReport['weaker']) => findings.every((f) => f.kind === 'alert' || f.kind === 'record');
const VERDICT_TAG = { weaker: '**⚠ weaker**', review: '**review**', stricter: 'stricter' } as const;

/** The strongest verdict among a rule's flags, as a suffix for its line (the reasons are listed at the top). */
function tag(flags: readonly Flag[]): string {
  const v = (['weaker', 'review', 'stricter'] as const).find((x) => flags.some((f) => f.verdict === x));
  return v ? ` · ${VERDICT_TAG[v]}` : '';
}

function exprLines(e: ExprChange, indent: string): string[] {
  const out: string[] = [];
  if (e.old.length + e.new.length <= 110) out.push(`${indent}- expr: ${code(e.old)} → ${code(e.new)}`);
  else out.push(`${indent}- expr changed:`, `${indent}  - was: ${code(e.old)}`, `${indent}  - now: ${code(e.new)}`);
  const show = (t: ThresholdChange['old']) => (t ? code(`${t.op} ${t.literal}`) : '(none)');
  for (const t of e.thresholds)
    out.push(`${indent}- threshold: ${show(t.old)} → ${show(t.new)}${t.verdict ? ` ${VERDICT_TAG[t.verdict]}` : ''}`);
  if (e.numbers && (e.structural || !e.thresholds.length))
    out.push(`${indent}- numbers: ${code(e.numbers.old?.join(', ') ?? '')} → ${code(e.numbers.new?.join(', ') ?? '')}`);
  return out;
}

function ruleChangeLines(c: RuleChange): string[] {
  const out = [`- ${ruleName(c.kind, c.key)}${c.gate ? ' · gate' : ''} · ${where(c.head)}${tag(c.flags)}`];
  if (c.renamed) out.push(`  - renamed: ${arrow(c.renamed)}`);
  if (c.location) out.push(`  - moved: ${where(c.location.old!)} → ${where(c.location.new!)}`);
  if (c.expr) out.push(...exprLines(c.expr, '  '));
  if (c.for) out.push(`  - for: ${arrow(c.for)}`);
  if (c.keepFiringFor) out.push(`  - keep_firing_for: ${arrow(c.keepFiringFor)}`);
  for (const l of c.labels) out.push(`  - ${keyLine('label', l)}`);
  for (const a of c.annotations) out.push(`  - ${keyLine('annotation', a)}`);
  if (c.other.length) out.push(`  - also changed: ${c.other.map(code).join(', ')}`);
  return out;
}

function snapshotLine(r: RuleSnapshot): string {
  const labels = Object.entries(r.labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  return `- ${ruleName(r.kind, r.key)}${r.gate ? ' · gate' : ''} · ${where(r.location)}: ${code(r.expr)}${r.for ? ` for ${code(r.for)}` : ''}${labels ? ` · ${code(labels)}` : ''}`;
}

/** `skip`: changed rules shown elsewhere (under the SLO change they follow from). */
function ruleSection(rules: RuleDiff, kind: RuleKind, skip: ReadonlySet<string> = new Set()): string[] {
  const added = rules.added.filter((r) => r.kind === kind);
  const removed = rules.removed.filter((r) => r.kind === kind);
  const changed = rules.changed.filter((r) => r.kind === kind && !skip.has(r.key));
  if (!added.length && !removed.length && !changed.length) return [];
  const noun = kind === 'alert' ? 'Alerts' : 'Recording rules';
  const counts = [
    changed.length && `${changed.length} changed`,
    added.length && `${added.length} added`,
    removed.length && `${removed.length} removed`,
  ].filter(Boolean);
  const out = [`### ${noun} (${counts.join(', ')})`, ''];
  for (const c of changed) out.push(...ruleChangeLines(c));
  for (const r of added) out.push(snapshotLine(r).replace(/^- /, '- ➕ added: '));
  for (const r of removed) {
    out.push(`${snapshotLine(r).replace(/^- /, '- ➖ removed: ')}${tag(r.flags)}`);
  }
  out.push('');
  return out;
}

function groupPart(report: DiffReport): string | undefined {
  const n = (c: string) => report.rules.groups.filter((g) => g.change === c).length;
  const bits = (['changed', 'added', 'removed'] as const).filter((c) => n(c)).map((c) => `${n(c)} ${c}`);
  return bits.length ? `rule groups: ${bits.join(', ')}` : undefined;
}

/** ` (2 threshold steps looser)` when dashboard panels now change colour later. */
function looserSteps(report: DiffReport): string {
  const n = report.dashboards.changed
    .flatMap((d) => d.panelsChanged)
    .flatMap((p) => p.thresholds ?? [])
    .filter((t) => t.verdict === 'looser').length;
  return n ? ` (${plural(n, 'threshold step')} looser)` : '';
}

/** "gate " when only gate alerts were judged; nothing when every alert was (`diff OLD NEW`). */
const gate = (report: DiffReport) => (report.judged ? '' : 'gate ');

function summaryLine(report: DiffReport): string {
  const { rules, dashboards } = report;
  const part = (noun: string, kind: RuleKind) => {
    const c = rules.changed.filter((r) => r.kind === kind).length;
    const a = rules.added.filter((r) => r.kind === kind).length;
    const r = rules.removed.filter((x) => x.kind === kind).length;
    const bits = [c && `${c} changed`, a && `${a} added`, r && `${r} removed`].filter(Boolean);
    return bits.length ? `${noun}: ${bits.join(', ')}` : undefined;
  };
  const dash = [
    dashboards.changed.length && `${dashboards.changed.length} changed`,
    dashboards.added.length && `${dashboards.added.length} added`,
    dashboards.removed.length && `${dashboards.removed.length} removed`,
  ].filter(Boolean);
  const k = report.kubernetes;
  const kube = [
    k.changed.length && `${k.changed.length} changed`,
    k.added.length && `${k.added.length} added`,
    k.removed.length && `${k.removed.length} removed`,
  ].filter(Boolean);
  const k6 = report.k6Thresholds.length;
  return [
    report.weaker.length ? `**⚠ ${countFindings(report.weaker, 'weaker ', gate(report)).join(', ')}**` : undefined,
    report.review.length ? `${countFindings(report.review, '', gate(report)).join(', ')} to review` : undefined,
    report.slos.length ? `SLOs: ${report.slos.length} changed` : undefined,
    part('alerts', 'alert'),
    part('recording rules', 'record'),
    groupPart(report),
    dash.length ? `dashboards: ${dash.join(', ')}${looserSteps(report)}` : undefined,
    kube.length ? `Kubernetes manifests: ${kube.join(', ')}` : undefined,
    k6 ? `k6 thresholds: ${k6} changed` : undefined,
  ]
    .filter(Boolean)
    .join(' · ');
}

export function renderMarkdown(report: DiffReport): string {
  const base = `${code(report.base.ref)}${report.base.commit ? ` (${report.base.commit.slice(0, 7)})` : ''}`;
  if (!report.changed)
    return `no changes to the generated alerts, recording rules, dashboards or Kubernetes manifests: ${base} → ${report.head}\n`;
  const out = [`## Alert and dashboard changes: ${base} → ${report.head}`, '', summaryLine(report), ''];
  if (report.weaker.length) {
    out.push(
      onlyRules(report.weaker) ? (report.judged ? '### ⚠ Weaker alerts' : '### ⚠ Weaker gate alerts') : '### ⚠ Weaker',
      '',
    );
    for (const f of report.weaker) out.push(findingLine(f, findingRule));
    out.push('');
  }
  if (report.review.length) {
    out.push(
      onlyRules(report.review)
        ? report.judged
          ? '### Alert changes to review'
          : '### Gate changes to review'
        : '### To review',
      '',
    );
    for (const f of report.review) out.push(findingLine(f, findingRule));
    out.push('');
  }
  const derived = derivedKeys(report);
  out.push(...sloSection(report));
  out.push(...ruleSection(report.rules, 'alert', derived), ...ruleSection(report.rules, 'record', derived));
  // Another team's manifests (`diff OLD NEW`) have no generated rule files beside them to show the details.
  const embedded = report.judged ? report.kubernetes.rules : undefined;
  if (embedded) out.push(...ruleSection(embedded, 'alert'), ...ruleSection(embedded, 'record'));
  if (report.rules.groups.length) {
    out.push('### Rule groups', '');
    for (const g of report.rules.groups) {
      const fields = g.fields.map((f) => `${f.key}: ${optCode(f.old)} → ${optCode(f.new)}`).join(', ');
      out.push(`- ${code(g.group)} in ${code(g.file)}: ${g.change}${fields ? ` (${fields})` : ''}`);
    }
    out.push('');
  }
  const d = report.dashboards;
  if (d.added.length || d.removed.length || d.changed.length) {
    out.push('### Dashboards', '');
    for (const c of d.changed) out.push(...dashboardLines(c));
    for (const a of d.added)
      out.push(`- ➕ added: **${text(a.title)}** (${code(a.uid)}), ${plural(a.panels, 'panel')}`);
    for (const r of d.removed)
      out.push(`- ➖ removed: **${text(r.title)}** (${code(r.uid)}), ${plural(r.panels, 'panel')}`);
    out.push('');
  }
  const k = report.kubernetes;
  if (k.added.length || k.removed.length || k.changed.length) {
    out.push('### Kubernetes manifests', '');
    for (const c of k.changed) out.push(...kubernetesLines(c));
    for (const a of k.added) out.push(`- ➕ added: **${text(`${a.kind} ${a.name}`)}** (${code(a.file)})`);
    for (const r of k.removed) out.push(`- ➖ removed: **${text(`${r.kind} ${r.name}`)}** (${code(r.file)})`);
    out.push('');
  }
  out.push(...k6Section(report));
  return `${out.join('\n').trimEnd()}\n`;
}

export { code, text } from './markdown-text.js';
