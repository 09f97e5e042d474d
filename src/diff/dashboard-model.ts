// Grafana dashboard JSON as the diff compares it: panels flattened (collapsed rows' panels after
// their row; the pre-5.0 `rows[].panels[]` layout, schemaVersion < 16, in row order), each with its
// queries, unit, description and the rest of its fields.
import type { DashboardRef, GridPos, PanelRef } from './types.js';
import { asText, DiffInputError, isRecord, omit } from './util.js';

/** Parsed dashboard JSON documents by path (relative to the project root); `undefined`: absent. */
export type DashboardSet = Readonly<Record<string, unknown>>;

export interface Query {
  /** Absent when the target has none (Grafana before 4 saved targets without one). */
  readonly refId?: string;
  readonly expr?: string;
  readonly rest: Record<string, unknown>;
}

export interface Panel extends PanelRef {
  readonly title: string;
  readonly gridPos?: GridPos;
  readonly unit?: string;
  readonly description?: string;
  readonly queries: readonly Query[];
  /** Everything else, with the fields above and nested row panels removed. */
  readonly rest: Record<string, unknown>;
  readonly fieldConfigRest: unknown;
}

export interface Dashboard extends DashboardRef {
  readonly uidGiven: boolean;
  readonly list: readonly Panel[];
  readonly rest: Record<string, unknown>;
}

const PANEL_FIELDS = ['id', 'title', 'type', 'gridPos', 'description', 'targets', 'fieldConfig', 'panels'];

function gridPos(v: unknown): GridPos | undefined {
  if (!isRecord(v)) return undefined;
  const n = (x: unknown) => (typeof x === 'number' ? x : 0);
  return { x: n(v.x), y: n(v.y), w: n(v.w), h: n(v.h) };
}

function parsePanel(p: Record<string, unknown>): Panel {
  const fieldConfig = isRecord(p.fieldConfig) ? p.fieldConfig : undefined;
  const defaults = fieldConfig && isRecord(fieldConfig.defaults) ? fieldConfig.defaults : undefined;
  const unit = asText(defaults?.unit);
  const description = asText(p.description);
  const type = asText(p.type);
  const pos = gridPos(p.gridPos);
  const queries = (Array.isArray(p.targets) ? p.targets : []).filter(isRecord).map((t): Query => {
    const expr = asText(t.expr);
    const refId = asText(t.refId);
    return {
      ...(refId !== undefined ? { refId } : {}),
      ...(expr !== undefined ? { expr } : {}),
      rest: omit(t, ['refId', 'expr']),
    };
  });
  return {
    ...(typeof p.id === 'number' ? { id: p.id } : {}),
    title: asText(p.title) ?? '',
    ...(type !== undefined ? { type } : {}),
    ...(pos ? { gridPos: pos } : {}),
    ...(unit !== undefined ? { unit } : {}),
    ...(description !== undefined ? { description } : {}),
    queries,
    rest: omit(p, PANEL_FIELDS),
    fieldConfigRest: fieldConfig
      ? { ...fieldConfig, defaults: defaults ? omit(defaults, ['unit']) : fieldConfig.defaults }
      : undefined,
  };
}

/** Top-level panels, with the panels of collapsed rows after their row, then old-style rows' panels. */
function flattenPanels(doc: Record<string, unknown>): Panel[] {
  const out: Panel[] = [];
  for (const p of Array.isArray(doc.panels) ? doc.panels : []) {
    if (!isRecord(p)) continue;
    out.push(parsePanel(p));
    if (Array.isArray(p.panels)) for (const child of p.panels) if (isRecord(child)) out.push(parsePanel(child));
  }
  for (const row of Array.isArray(doc.rows) ? doc.rows : []) {
    if (!isRecord(row)) continue;
    for (const child of Array.isArray(row.panels) ? row.panels : []) if (isRecord(child)) out.push(parsePanel(child));
  }
  return out;
}

/** The API's export format wraps the dashboard: `{ "dashboard": {...}, "meta": {...} }`. */
export const unwrapDashboard = (doc: unknown): unknown =>
  isRecord(doc) && isRecord(doc.dashboard) && doc.panels === undefined && doc.rows === undefined ? doc.dashboard : doc;

export function parseDashboards(files: DashboardSet): Map<string, Dashboard> {
  const out = new Map<string, Dashboard>();
  for (const file of Object.keys(files).sort()) {
    const doc = unwrapDashboard(files[file]);
    if (doc === undefined || doc === null) continue;
    if (!isRecord(doc)) throw new DiffInputError(`${file}: not a Grafana dashboard (expected a JSON object)`);
    const given = asText(doc.uid);
    const uid = given ?? file.replace(/^.*\//, '').replace(/\.json$/, '');
    if (out.has(uid)) throw new DiffInputError(`${file}: dashboard uid "${uid}" is also used by ${out.get(uid)!.file}`);
    const list = flattenPanels(doc);
    // Old-style rows are compared by their fields; their panels are compared as panels.
    const rows = Array.isArray(doc.rows) ? doc.rows.map((r) => (isRecord(r) ? omit(r, ['panels']) : r)) : undefined;
    out.set(uid, {
      uid,
      uidGiven: given !== undefined,
      title: asText(doc.title) ?? uid,
      file,
      panels: list.length,
      list,
      rest: { ...omit(doc, ['uid', 'title', 'panels', 'rows', 'version', 'id']), ...(rows ? { rows } : {}) },
    });
  }
  return out;
}
