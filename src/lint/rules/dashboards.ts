// Dashboard shape: what the foundation SDK leaves empty and Grafana needs (ids, refIds,
// datasources), plus units, descriptions and a grid without overlaps.
import type { Finding } from '../../verify/findings.js';
import type { LintContext } from '../context.js';
import { allPanels, panelName, type Panel } from '../project.js';

const isVariable = (uid: string | undefined) => !!uid && /^\$\{?\w+\}?$/.test(uid);

export function dashboardRules(ctx: LintContext): Finding[] {
  const findings: Finding[] = [];
  const uids = new Map<string, string>();
  for (const d of ctx.project.dashboards) {
    const first = uids.get(d.uid);
    if (first) findings.push({ rule: 'unique-ids', file: d.path, object: `dashboard ${d.uid}`, message: `uid is also used by ${first}.`, fix: 'give every dashboard its own construct id (it is the uid)' });
    uids.set(d.uid, d.path);

    const ids = new Map<number, string>();
    const boxes: { panel: Panel; x: number; y: number; w: number; h: number }[] = [];
    for (const p of allPanels(d)) {
      const at = (message: string, fix: string, rule = 'panel-shape'): Finding => ({ rule, file: d.path, object: panelName(d, p), message, fix });
      if (typeof p.id !== 'number') findings.push(at('has no numeric id.', 'build panels through the Dashboard construct, which numbers them'));
      else if (ids.has(p.id)) findings.push(at(`id ${p.id} is also used by "${ids.get(p.id)}".`, 'panel ids must be unique within a dashboard', 'unique-ids'));
      else ids.set(p.id, p.title ?? '');
      const g = p.gridPos;
      const ints = g && [g.x, g.y, g.w, g.h].every((v) => Number.isInteger(v));
      if (!g || !ints) findings.push(at('has no integer gridPos {x, y, w, h}.', 'let the Row construct lay it out'));
      else if (g.w! < 1 || g.w! > 24 || g.x! < 0 || g.x! + g.w! > 24 || g.h! < 1) findings.push(at(`gridPos ${JSON.stringify(g)} does not fit the 24-column grid.`, 'use widths 1..24 that fit in the row'));
      else if (!d.panels.some((top) => top.panels?.includes(p))) boxes.push({ panel: p, x: g.x!, y: g.y!, w: g.w!, h: g.h! });
      if (p.type === 'row') continue;
      if (!p.description?.trim()) findings.push(at('has no description.', 'say what the panel shows and what bad looks like'));
      if (!p.fieldConfig?.defaults?.unit) findings.push(at('has no unit.', 'set a Grafana unit (reqps, s, percentunit, bytes, short, ...)'));
      if (!isVariable(p.datasource?.uid)) findings.push(at(`datasource ${JSON.stringify(p.datasource ?? null)} is not a template variable.`, 'use ${datasource} (or ${loki}) so the dashboard works against any instance'));
      const refIds = new Set<string>();
      for (const t of p.targets ?? []) {
        if (!t.refId) findings.push(at('has a target without refId.', 'targets need refIds A, B, ... (the Panel construct sets them)'));
        else if (refIds.has(t.refId)) findings.push(at(`has two targets with refId ${t.refId}.`, 'refIds must be unique within a panel'));
        else refIds.add(t.refId);
        if (!isVariable(t.datasource?.uid)) findings.push(at(`target ${t.refId ?? '?'} datasource is not a template variable.`, 'set the target datasource to the panel\'s ${datasource}'));
      }
    }
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const [a, b] = [boxes[i]!, boxes[j]!];
        if (a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h) {
          findings.push({ rule: 'panel-shape', file: d.path, object: panelName(d, b.panel), message: `overlaps ${panelName(d, a.panel)} on the grid.`, fix: 'let the Row construct lay panels out, or fix gridPos' });
        }
      }
    }
  }
  return findings;
}
