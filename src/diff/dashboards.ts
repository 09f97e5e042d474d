// Grafana dashboards, base vs head: dashboards added / removed by uid, and per dashboard the panels
// added / removed / moved / retitled, queries (by refId) and units changed.
import type {
  DashboardChange,
  DashboardDiff,
  DashboardRef,
  GridPos,
  PanelChange,
  PanelRef,
  QueryChange,
} from './types.js';
import { asText, changedFields, deepEqual, DiffInputError, isRecord, omit } from './util.js';

/** Parsed dashboard JSON documents by path (relative to the project root); `undefined`: absent. */
export type DashboardSet = Readonly<Record<string, unknown>>;

interface Query {
  readonly refId: string;
  readonly expr?: string;
  readonly rest: Record<string, unknown>;
}

interface Panel extends PanelRef {
  readonly title: string;
  readonly gridPos?: GridPos;
  readonly unit?: string;
  readonly description?: string;
  readonly queries: readonly Query[];
  /** Everything else, with the fields above and nested row panels removed. */
  readonly rest: Record<string, unknown>;
  readonly fieldConfigRest: unknown;
}

interface Dashboard extends DashboardRef {
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
  const queries = (Array.isArray(p.targets) ? p.targets : []).filter(isRecord).map((t, i): Query => {
    const expr = asText(t.expr);
    return {
      refId: asText(t.refId) ?? `#${i + 1}`,
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

/** Top-level panels, with the panels of collapsed rows after their row. */
function flattenPanels(panels: unknown): Panel[] {
  const out: Panel[] = [];
  for (const p of Array.isArray(panels) ? panels : []) {
    if (!isRecord(p)) continue;
    out.push(parsePanel(p));
    if (Array.isArray(p.panels)) for (const child of p.panels) if (isRecord(child)) out.push(parsePanel(child));
  }
  return out;
}

function parseDashboards(files: DashboardSet): Map<string, Dashboard> {
  const out = new Map<string, Dashboard>();
  for (const file of Object.keys(files).sort()) {
    const doc = files[file];
    if (doc === undefined || doc === null) continue;
    if (!isRecord(doc)) throw new DiffInputError(`${file}: not a Grafana dashboard (expected a JSON object)`);
    const uid = asText(doc.uid) ?? file.replace(/^.*\//, '').replace(/\.json$/, '');
    if (out.has(uid)) throw new DiffInputError(`${file}: dashboard uid "${uid}" is also used by ${out.get(uid)!.file}`);
    const list = flattenPanels(doc.panels);
    out.set(uid, {
      uid,
      title: asText(doc.title) ?? uid,
      file,
      panels: list.length,
      list,
      rest: omit(doc, ['uid', 'title', 'panels', 'version', 'id']),
    });
  }
  return out;
}

const ref = (p: Panel): PanelRef => ({
  ...(p.id !== undefined ? { id: p.id } : {}),
  title: p.title,
  ...(p.type !== undefined ? { type: p.type } : {}),
});
const summary = (d: Dashboard): DashboardRef => ({ uid: d.uid, title: d.title, file: d.file, panels: d.panels });

/**
 * Pairs panels: same id and title first; then a title unique on both sides (synth numbers panels
 * in order, so inserting one renumbers those after it); then same id (a retitled panel).
 */
function pairPanels(base: readonly Panel[], head: readonly Panel[]) {
  const olds = [...base];
  const news = [...head];
  const pairs: [Panel, Panel][] = [];
  const count = (list: readonly Panel[], title: string) => list.filter((p) => p.title === title).length;
  const rules: ((a: Panel, b: Panel) => boolean)[] = [
    (a, b) => a.id !== undefined && a.id === b.id && a.title === b.title,
    (a, b) => a.title === b.title && count(olds, a.title) === 1 && count(news, b.title) === 1,
    (a, b) => a.id !== undefined && a.id === b.id,
    (a, b) => a.id === undefined && b.id === undefined && a.title === b.title,
  ];
  for (const same of rules) {
    for (let i = 0; i < olds.length;) {
      const j = news.findIndex((n) => same(olds[i]!, n));
      if (j < 0) {
        i++;
        continue;
      }
      pairs.push([olds[i]!, news[j]!]);
      olds.splice(i, 1);
      news.splice(j, 1);
    }
  }
  return { pairs, removed: olds, added: news };
}

function diffQueries(a: readonly Query[], b: readonly Query[]): QueryChange[] {
  const out: QueryChange[] = [];
  const bm = new Map(b.map((q) => [q.refId, q]));
  const am = new Map(a.map((q) => [q.refId, q]));
  for (const q of a) {
    const n = bm.get(q.refId);
    if (!n) {
      out.push({ refId: q.refId, ...(q.expr !== undefined ? { old: q.expr } : {}), change: 'removed', other: [] });
      continue;
    }
    const other = changedFields(q.rest, n.rest);
    if (q.expr === n.expr && !other.length) continue;
    out.push({
      refId: q.refId,
      ...(q.expr !== undefined ? { old: q.expr } : {}),
      ...(n.expr !== undefined ? { new: n.expr } : {}),
      change: 'changed',
      other,
    });
  }
  for (const q of b)
    if (!am.has(q.refId))
      out.push({ refId: q.refId, ...(q.expr !== undefined ? { new: q.expr } : {}), change: 'added', other: [] });
  return out;
}

function change<T>(a: T | undefined, b: T | undefined) {
  return deepEqual(a, b)
    ? undefined
    : { ...(a !== undefined ? { old: a } : {}), ...(b !== undefined ? { new: b } : {}) };
}

function diffPanel(a: Panel, b: Panel): PanelChange | undefined {
  const retitled = a.title !== b.title ? { old: a.title, new: b.title } : undefined;
  const idChanged = change(a.id, b.id);
  const typeChanged = change(a.type, b.type);
  const moved = change(a.gridPos, b.gridPos);
  const unit = change(a.unit, b.unit);
  const description = change(a.description, b.description);
  const queries = diffQueries(a.queries, b.queries);
  const other = [
    ...changedFields(a.fieldConfigRest, b.fieldConfigRest, 'fieldConfig'),
    ...changedFields(a.rest, b.rest),
  ];
  if (!retitled && !idChanged && !typeChanged && !moved && !unit && !description && !queries.length && !other.length)
    return undefined;
  return {
    ...ref(b),
    ...(retitled ? { retitled } : {}),
    ...(idChanged ? { idChanged } : {}),
    ...(typeChanged ? { typeChanged } : {}),
    ...(moved ? { moved } : {}),
    ...(unit ? { unit } : {}),
    ...(description ? { description } : {}),
    queries,
    other,
  };
}

/** Compares two sets of parsed dashboards (path → parsed JSON); dashboards are matched by uid. */
export function diffDashboards(base: DashboardSet, head: DashboardSet): DashboardDiff {
  const a = parseDashboards(base);
  const b = parseDashboards(head);
  const changed: DashboardChange[] = [];
  for (const [uid, old] of a) {
    const now = b.get(uid);
    if (!now) continue;
    const { pairs, removed, added } = pairPanels(old.list, now.list);
    const panelsChanged = pairs.map(([x, y]) => diffPanel(x, y)).filter((c): c is PanelChange => c !== undefined);
    const retitled = old.title !== now.title ? { old: old.title, new: now.title } : undefined;
    const moved = old.file !== now.file ? { old: old.file, new: now.file } : undefined;
    const other = changedFields(old.rest, now.rest);
    if (!retitled && !moved && !other.length && !removed.length && !added.length && !panelsChanged.length) continue;
    changed.push({
      uid,
      title: now.title,
      file: now.file,
      ...(retitled ? { retitled } : {}),
      ...(moved ? { moved } : {}),
      panelsAdded: added.map(ref),
      panelsRemoved: removed.map(ref),
      panelsChanged,
      other,
    });
  }
  return {
    added: [...b.values()].filter((d) => !a.has(d.uid)).map(summary),
    removed: [...a.values()].filter((d) => !b.has(d.uid)).map(summary),
    changed,
  };
}
