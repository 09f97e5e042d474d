// How imported dashboards and panels render: their Grafana JSON as it was imported, with the typed
// fields (title, description, tags, queries, rows and panels) set over it. The house style (kind
// defaults, flow layout, the job variable, the dashboards menu) is for the project's own dashboards;
// an imported one keeps its look, so synth reproduces the file it came from.
import type { GrafanaJson, ImportedPanelProps, PanelQuery } from './panel-props.js';

/** Dashboards imported from Grafana JSON: what is typed, and the rest of the JSON. */
export interface ImportedDashboardProps {
  readonly title: string;
  readonly description?: string;
  readonly tags?: readonly string[];
  /** Everything but the panels and the fields above: templating, annotations, time, links, ... */
  readonly grafana: GrafanaJson;
}

export const isImportedPanel = (p: object): p is ImportedPanelProps => 'grafana' in p && !('unit' in p);

const defined = <T extends object>(o: T): Partial<T> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

const target = (q: PanelQuery): Record<string, unknown> => ({
  ...q.grafana,
  expr: String(q.expr),
  ...defined({ legendFormat: q.legend, instant: q.instant }),
});

/**
 * An imported panel's JSON. `id` and `gridPos` are the flow layout's, used only where the JSON has
 * none (an imported panel moved into a house dashboard); the JSON's own win.
 */
export function importedPanelJson(
  p: ImportedPanelProps,
  id: number,
  gridPos: { x: number; y: number; w: number; h: number },
): Record<string, unknown> {
  return {
    id,
    gridPos,
    ...p.grafana,
    ...defined({ title: p.title, description: p.description }),
    ...(p.queries.length ? { targets: p.queries.map(target) } : {}),
  };
}

/** What the imported dashboard renders from its rows (kept apart from the construct classes: no import circle). */
export interface ImportedRowParts {
  readonly title?: string;
  readonly collapsed?: boolean;
  /** false: the panels above the first row header, which belong to no row. */
  readonly header?: boolean;
  readonly grafana?: GrafanaJson;
  readonly panels: readonly Record<string, unknown>[];
}

/** The dashboard JSON: rows as Grafana lays them out (a collapsed row holds its panels, an open one precedes them). */
export function importedDashboardJson(
  uid: string,
  p: ImportedDashboardProps,
  rows: readonly ImportedRowParts[],
): Record<string, unknown> {
  const panels = rows.flatMap((row) => {
    if (row.header === false) return row.panels;
    const head = { ...row.grafana, type: 'row', ...defined({ title: row.title, collapsed: row.collapsed }) };
    return row.collapsed ? [{ ...head, panels: row.panels }] : [head, ...row.panels];
  });
  return {
    ...p.grafana,
    uid,
    title: p.title,
    ...defined({ description: p.description, tags: p.tags }),
    ...(rows.length ? { panels } : {}),
  };
}
