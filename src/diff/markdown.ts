// The report as Markdown a PR comment (or a GitHub job summary) can carry: weaker gate alerts
// first, then what a reviewer must judge, then every rule and dashboard change.
import type {
  Change,
  DashboardChange,
  DiffReport,
  ExprChange,
  FieldChange,
  Flag,
  GridPos,
  KeyChange,
  KubernetesChange,
  PanelChange,
  PanelRef,
  RuleChange,
  RuleKind,
  RuleLocation,
  RuleSnapshot,
  ThresholdChange,
} from './types.js';

/** An inline code span that survives backticks, pipes and newlines in the text. */
export function code(text: string): string {
  const flat = text.replace(/\s*\n\s*/g, ' ');
  const longest = Math.max(0, ...[...flat.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') || flat === '' ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** Plain text with Markdown's active characters escaped. */
export function text(s: string): string {
  return s
    .replace(/\s*\n\s*/g, ' ')
    .replace(/([\\`*[\]~|])/g, '\\$1')
    .replace(/(^|\W)_|_(?=\W|$)/g, (m) => m.replace('_', '\\_'))
    .replace(/<(?=[A-Za-z/!?])/g, '\\<')
    .replace(/^#/, '\\#');
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const optCode = (v: string | undefined) => (v === undefined ? '(none)' : code(v));
const arrow = (c: Change<string>) =>
  c.old === undefined
    ? `${code(c.new ?? '')} (added)`
    : c.new === undefined
      ? `${code(c.old)} removed`
      : `${code(c.old)} → ${code(c.new)}`;
const where = (l: RuleLocation) => `${code(l.group)} in ${code(l.file)}`;
/** An alert name in bold, a record (metric) name as code. */
const ruleName = (kind: RuleKind, key: string) => (kind === 'record' ? code(key) : `**${text(key)}**`);
const VERDICT_TAG = { weaker: '**⚠ weaker**', review: '**review**', stricter: 'stricter' } as const;

/** The strongest verdict among a rule's flags, as a suffix for its line (the reasons are listed at the top). */
function tag(flags: readonly Flag[]): string {
  const v = (['weaker', 'review', 'stricter'] as const).find((x) => flags.some((f) => f.verdict === x));
  return v ? ` · ${VERDICT_TAG[v]}` : '';
}

function keyLine(what: string, c: KeyChange): string {
  if (c.old === undefined) return `${what} ${code(c.key)} added: ${code(c.new ?? '')}`;
  if (c.new === undefined) return `${what} ${code(c.key)} removed (was ${code(c.old)})`;
  return `${what} ${code(c.key)}: ${code(c.old)} → ${code(c.new)}`;
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

function ruleSection(report: DiffReport, kind: RuleKind): string[] {
  const added = report.rules.added.filter((r) => r.kind === kind);
  const removed = report.rules.removed.filter((r) => r.kind === kind);
  const changed = report.rules.changed.filter((r) => r.kind === kind);
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

function short(v: string | number | boolean | null): string {
  const t = typeof v === 'string' ? v : JSON.stringify(v);
  return t.length > 60 ? `${t.slice(0, 57)}...` : t;
}

/** `options.legend.displayMode`: `list` → `table`; `—` for a side that is absent or not a scalar. */
function fields(list: readonly FieldChange[]): string {
  return list
    .map((f) => {
      if (!('old' in f) && !('new' in f)) return code(f.path);
      const side = (v: FieldChange['old']) => (v === undefined ? '—' : code(short(v)));
      return `${code(f.path)}: ${side(f.old)} → ${side(f.new)}`;
    })
    .join(', ');
}

const pos = (g: GridPos | undefined) => (g ? code(`x=${g.x} y=${g.y} w=${g.w} h=${g.h}`) : '(none)');

function panelName(p: PanelRef): string {
  const bits = [p.id !== undefined ? `id ${p.id}` : undefined, p.type].filter(Boolean);
  return `**${text(p.title || '(untitled)')}**${bits.length ? ` (${bits.join(', ')})` : ''}`;
}

function panelLines(p: PanelChange): string[] {
  const out = [`  - panel ${panelName(p)}`];
  if (p.retitled) out.push(`    - retitled: ${code(p.retitled.old ?? '')} → ${code(p.retitled.new ?? '')}`);
  if (p.idChanged) out.push(`    - id: ${p.idChanged.old ?? '(none)'} → ${p.idChanged.new ?? '(none)'}`);
  if (p.typeChanged) out.push(`    - type: ${optCode(p.typeChanged.old)} → ${optCode(p.typeChanged.new)}`);
  for (const q of p.queries) {
    if (q.change === 'added') out.push(`    - query ${code(q.refId)} added: ${optCode(q.new)}`);
    else if (q.change === 'removed') out.push(`    - query ${code(q.refId)} removed (was ${optCode(q.old)})`);
    else {
      if (q.old !== q.new) {
        if ((q.old ?? '').length + (q.new ?? '').length <= 110)
          out.push(`    - query ${code(q.refId)}: ${optCode(q.old)} → ${optCode(q.new)}`);
        else
          out.push(
            `    - query ${code(q.refId)} changed:`,
            `      - was: ${optCode(q.old)}`,
            `      - now: ${optCode(q.new)}`,
          );
      }
      if (q.other.length) out.push(`    - query ${code(q.refId)} also changed: ${fields(q.other)}`);
    }
  }
  if (p.unit) out.push(`    - unit: ${optCode(p.unit.old)} → ${optCode(p.unit.new)}`);
  if (p.moved) out.push(`    - moved: ${pos(p.moved.old)} → ${pos(p.moved.new)}`);
  if (p.description) out.push(`    - description: ${optCode(p.description.old)} → ${optCode(p.description.new)}`);
  if (p.other.length) out.push(`    - also changed: ${fields(p.other)}`);
  return out;
}

function dashboardLines(d: DashboardChange): string[] {
  const out = [`- **${text(d.title)}** (${code(d.uid)})`];
  if (d.retitled) out.push(`  - retitled: ${code(d.retitled.old ?? '')} → ${code(d.retitled.new ?? '')}`);
  if (d.moved) out.push(`  - file: ${code(d.moved.old ?? '')} → ${code(d.moved.new ?? '')}`);
  for (const p of d.panelsAdded) out.push(`  - ➕ panel added: ${panelName(p)}`);
  for (const p of d.panelsRemoved) out.push(`  - ➖ panel removed: ${panelName(p)}`);
  for (const p of d.panelsChanged) out.push(...panelLines(p));
  if (d.other.length) out.push(`  - also changed: ${fields(d.other)}`);
  return out;
}

/** A Kubernetes resource: what changed in it. Embedded rules and dashboards by name only: the rule and dashboard sections show the generated files' details, the JSON report the embedded diffs. */
function kubernetesLines(c: KubernetesChange): string[] {
  const out = [`- **${text(`${c.kind} ${c.name}`)}** (${code(c.file)})`];
  const t = c.testRun;
  if (t?.parallelism) out.push(`  - parallelism: ${t.parallelism.old ?? '(none)'} → ${t.parallelism.new ?? '(none)'}`);
  if (t?.arguments) out.push(`  - arguments: ${optCode(t.arguments.old)} → ${optCode(t.arguments.new)}`);
  for (const e of t?.env ?? []) out.push(`  - runner ${keyLine('env', e)}`);
  if (t?.resources.length) out.push(`  - runner resources: ${fields(t.resources)}`);
  if (c.ruleGroups?.length) out.push(`  - rule groups changed: ${c.ruleGroups.map(code).join(', ')}`);
  const d = c.dashboard;
  for (const x of d?.changed ?? [])
    out.push(
      `  - dashboard ${code(x.uid)} changed: ${plural(x.panelsChanged.length, 'panel')} changed, ${x.panelsAdded.length} added, ${x.panelsRemoved.length} removed${x.other.length ? ', dashboard fields' : ''}`,
    );
  for (const x of [...(d?.added ?? []), ...(d?.removed ?? [])]) out.push(`  - dashboard ${code(x.uid)} replaced`);
  for (const k of c.data ?? [])
    out.push(`  - data ${code(k.key)} ${k.change}${k.fields?.length ? `: ${fields(k.fields)}` : ''}`);
  if (c.other.length) out.push(`  - also changed: ${fields(c.other)}`);
  return out;
}

function groupPart(report: DiffReport): string | undefined {
  const n = (c: string) => report.rules.groups.filter((g) => g.change === c).length;
  const bits = (['changed', 'added', 'removed'] as const).filter((c) => n(c)).map((c) => `${n(c)} ${c}`);
  return bits.length ? `rule groups: ${bits.join(', ')}` : undefined;
}

/** "alert" when every finding is an alert, "rule" when recording rules are among them. */
const noun = (findings: DiffReport['weaker']) => (findings.every((f) => f.kind === 'alert') ? 'alert' : 'rule');

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
  return [
    report.weaker.length ? `**⚠ ${plural(report.weaker.length, `weaker gate ${noun(report.weaker)}`)}**` : undefined,
    report.review.length ? `${plural(report.review.length, `gate ${noun(report.review)}`)} to review` : undefined,
    part('alerts', 'alert'),
    part('recording rules', 'record'),
    groupPart(report),
    dash.length ? `dashboards: ${dash.join(', ')}` : undefined,
    kube.length ? `Kubernetes manifests: ${kube.join(', ')}` : undefined,
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
    out.push('### ⚠ Weaker gate alerts', '');
    for (const f of report.weaker) {
      const what = f.kind === 'record' ? `recording rule ${ruleName(f.kind, f.name)}` : ruleName(f.kind, f.name);
      out.push(`- ${what}: ${f.reasons.map(text).join('; ')}`);
    }
    out.push('');
  }
  if (report.review.length) {
    out.push('### Gate changes to review', '');
    for (const f of report.review) {
      const what = f.kind === 'record' ? `recording rule ${ruleName(f.kind, f.name)}` : ruleName(f.kind, f.name);
      out.push(`- ${what}: ${f.reasons.map(text).join('; ')}`);
    }
    out.push('');
  }
  out.push(...ruleSection(report, 'alert'), ...ruleSection(report, 'record'));
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
  return `${out.join('\n').trimEnd()}\n`;
}
