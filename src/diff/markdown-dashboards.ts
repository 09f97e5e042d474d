// The dashboards' and Kubernetes manifests' parts of the Markdown report.
import { code, keyLine, optCode, plural, text } from './markdown-text.js';
import type { DashboardChange, FieldChange, GridPos, KubernetesChange, PanelChange, PanelRef } from './types.js';

/**
 * A field value: strings as they are, unless they would read as another JSON value (`"true"`,
 * `"5"`, `"null"`, `""`), which are quoted, so the string "true" and the boolean true read apart.
 */
export function short(v: string | number | boolean | null): string {
  const t = typeof v === 'string' && !readsAsJson(v) ? v : JSON.stringify(v);
  return t.length > 60 ? `${t.slice(0, 57)}...` : t;
}

function readsAsJson(s: string): boolean {
  if (s.trim() === '') return true;
  try {
    JSON.parse(s);
    return true;
  } catch {
    return false;
  }
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
  const step = (v: number | null | undefined) => (v === undefined ? '(none)' : code(JSON.stringify(v)));
  for (const t of p.thresholds ?? []) {
    const how = t.verdict === 'looser' ? '**looser**: it changes colour later' : 'stricter: it changes colour sooner';
    out.push(
      `    - threshold step ${t.index}${t.color ? ` (${text(t.color)})` : ''}: ${step(t.old)} → ${step(t.new)} (${how})`,
    );
  }
  const judged = new Set((p.thresholds ?? []).map((t) => `fieldConfig.defaults.thresholds.steps[${t.index}].value`));
  const other = p.other.filter((f) => !judged.has(f.path));
  if (other.length) out.push(`    - also changed: ${fields(other)}`);
  return out;
}

export function dashboardLines(d: DashboardChange): string[] {
  const out = [`- **${text(d.title)}** (${code(d.uid)})`];
  if (d.uidChanged) out.push(`  - uid: ${optCode(d.uidChanged.old)} → ${optCode(d.uidChanged.new)}`);
  if (d.retitled) out.push(`  - retitled: ${code(d.retitled.old ?? '')} → ${code(d.retitled.new ?? '')}`);
  if (d.moved) out.push(`  - file: ${code(d.moved.old ?? '')} → ${code(d.moved.new ?? '')}`);
  for (const p of d.panelsAdded) out.push(`  - ➕ panel added: ${panelName(p)}`);
  for (const p of d.panelsRemoved) out.push(`  - ➖ panel removed: ${panelName(p)}`);
  for (const p of d.panelsChanged) out.push(...panelLines(p));
  if (d.other.length) out.push(`  - also changed: ${fields(d.other)}`);
  return out;
}

/** A Kubernetes resource: what changed in it. Embedded rules and dashboards by name only: the rule and dashboard sections show the generated files' details, the JSON report the embedded diffs. */
export function kubernetesLines(c: KubernetesChange): string[] {
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
