// Dashboard shape: what Grafana needs and the classic JSON model leaves optional (ids, refIds,
// datasources as variables so one dashboard works against any instance), what readers need
// (descriptions, units), and a 24-column grid without overlaps.
import type { LintContext } from '../context.js';
import { rule, type Problem } from '../rule.js';
import { allPanels, panelName, targetName, type DashboardFile, type Panel } from '../project.js';

const GRID_COLUMNS = 24;
/** Panels that show no data: no datasource, no unit. */
const STATIC_PANELS = new Set(['text']);

/** The variable a datasource uid refers to (`${datasource}`, `$datasource`, `${ds:raw}`), if it is one. */
export const variableRef = (uid: string | undefined): string | undefined =>
  /^\$(?:\{(\w+)(?::[^}]*)?\}|(\w+))$/
    .exec(uid ?? '')
    ?.slice(1)
    .find(Boolean);

interface Box {
  readonly panel: Panel;
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

function panelShape(ctx: LintContext): Problem[] {
  return ctx.project.dashboards.flatMap((d) => dashboardShape(d));
}

function dashboardShape(d: DashboardFile): Problem[] {
  const findings: Problem[] = [];
  const source = 'in its definition under src/dashboards/ and run `make synth`';
  const declared = new Set(d.variables.map((v) => v.name));
  const datasourceProblem = (uid: string | undefined): string | undefined => {
    const name = variableRef(uid);
    if (!name) return `uid ${JSON.stringify(uid ?? null)} is not a template variable`;
    if (!declared.has(name))
      return `uid ${uid} refers to variable "${name}", which the dashboard does not declare in templating.list`;
    return undefined;
  };
  const boxes = new Map<readonly Panel[], Box[]>();

  for (const p of allPanels(d)) {
    const at = (message: string, fix: string, object = panelName(d, p)): Problem => ({
      file: d.path,
      object,
      message,
      fix,
    });
    const isRow = p.type === 'row';
    if (typeof p.id !== 'number' || !Number.isInteger(p.id))
      findings.push(
        at(
          `has no numeric id (id is ${JSON.stringify(p.id ?? null)}).`,
          `build the panel through the Dashboard construct, which numbers panels, ${source}`,
        ),
      );

    const g = p.gridPos ?? {};
    const [x, y, w, h] = [g.x, g.y, g.w, g.h];
    if (!Number.isInteger(x) || !Number.isInteger(y) || !Number.isInteger(w) || !Number.isInteger(h)) {
      findings.push(
        at(
          `gridPos ${JSON.stringify(p.gridPos ?? null)} is not four integers x, y, w, h.`,
          `give the panel an integer gridPos (the Row construct lays panels out) ${source}`,
        ),
      );
    } else {
      const [bx, by, bw, bh] = [x, y, w, h] as number[] as [number, number, number, number];
      if (isRow && (bx !== 0 || bw !== GRID_COLUMNS || bh !== 1)) {
        findings.push(
          at(
            `row gridPos ${JSON.stringify(p.gridPos)} is not a full-width, one-high row.`,
            `set the row's gridPos to x 0, w ${GRID_COLUMNS}, h 1 ${source}`,
          ),
        );
      } else if (bw < 1 || bw > GRID_COLUMNS || bx < 0 || bx + bw > GRID_COLUMNS || bh < 1 || by < 0) {
        findings.push(
          at(
            `gridPos ${JSON.stringify(p.gridPos)} does not fit the ${GRID_COLUMNS}-column grid (need 1 ≤ w ≤ ${GRID_COLUMNS}, x + w ≤ ${GRID_COLUMNS}, h ≥ 1).`,
            `change the panel's width or x so it fits in ${GRID_COLUMNS} columns ${source}`,
          ),
        );
      } else {
        // A collapsed row's children are laid out among themselves; the row pushes the rest down when opened.
        const layer = d.panels.find((top) => top.panels?.includes(p))?.panels ?? d.panels;
        boxes.set(layer, [...(boxes.get(layer) ?? []), { panel: p, x: bx, y: by, w: bw, h: bh }]);
      }
    }

    if (isRow || STATIC_PANELS.has(p.type ?? '')) continue;
    if (typeof p.description !== 'string' || !p.description.trim())
      findings.push(
        at('has no description.', `add a description saying what the panel shows and what bad looks like ${source}`),
      );
    if (!p.fieldConfig?.defaults?.unit)
      findings.push(
        at(
          'has no unit (fieldConfig.defaults.unit).',
          `set a Grafana unit (reqps, s, percentunit, bytes, short, none, ...) ${source}`,
        ),
      );
    const panelDs = datasourceProblem(p.datasource?.uid);
    if (panelDs)
      findings.push(
        at(
          `panel datasource ${panelDs}.`,
          `set the panel datasource uid to \${datasource} (or \${loki} for logs) ${source}`,
        ),
      );

    const refIds = new Set<string>();
    (p.targets ?? []).forEach((t, i) => {
      const object = targetName(d, p, t, i);
      if (!t.refId) findings.push(at('has no refId.', `give every target a refId (A, B, ...) ${source}`, object));
      else if (refIds.has(t.refId))
        findings.push(
          at(
            `refId ${t.refId} is used by another target of the panel.`,
            `give each target of the panel its own refId ${source}`,
            object,
          ),
        );
      else refIds.add(t.refId);
      const targetDs = t.datasource ? datasourceProblem(t.datasource.uid) : 'is missing';
      if (targetDs)
        findings.push(
          at(
            `target datasource ${targetDs}.`,
            `set the target datasource to the panel's (uid \${datasource} or \${loki}) ${source}`,
            object,
          ),
        );
    });
  }

  for (const layer of boxes.values()) {
    layer.forEach((b, i) => {
      const a = layer.slice(0, i).find((o) => b.x < o.x + o.w && o.x < b.x + b.w && b.y < o.y + o.h && o.y < b.y + b.h);
      if (a) {
        findings.push({
          file: d.path,
          object: panelName(d, b.panel),
          message: `gridPos ${JSON.stringify(b.panel.gridPos)} overlaps ${panelName(d, a.panel)} (${JSON.stringify(a.panel.gridPos)}).`,
          fix: `move the panel below or beside the other (let the Row construct lay them out) ${source}`,
        });
      }
    });
  }
  return findings;
}

export const panelShapeRule = rule({
  id: 'panel-shape',
  severity: 'error',
  summary: 'a panel without id, description, unit, datasource variable or refId, or off the 24-column grid',
  check: panelShape,
});
