// Grafana dashboards, base vs head: dashboards added / removed by uid (one whose uid changed pairs
// by file, then by title), and per dashboard the panels added / removed / moved / retitled, queries
// (by refId, then expression, then position) and units changed, threshold steps judged.
import { diffThresholdSteps } from './dashboard-thresholds.js';
import { parseDashboards, type Dashboard, type DashboardSet, type Panel, type Query } from './dashboard-model.js';
import type {
  DashboardChange,
  DashboardDiff,
  DashboardRef,
  FieldChange,
  PanelChange,
  PanelRef,
  QueryChange,
} from './types.js';
import { changedFields, deepEqual, pairBy } from './util.js';

export type { DashboardSet } from './dashboard-model.js';

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
  const count = (list: readonly Panel[], title: string) => list.filter((p) => p.title === title).length;
  return pairBy(base, head, [
    (a, b) => a.id !== undefined && a.id === b.id && a.title === b.title,
    (a, b, { olds, news }) => a.title === b.title && count(olds, a.title) === 1 && count(news, b.title) === 1,
    (a, b) => a.id !== undefined && a.id === b.id,
    (a, b) => a.id === undefined && b.id === undefined && a.title === b.title,
  ]);
}

/**
 * Pairs queries: same refId; then the same expression; then, where a side has no refId (Grafana
 * before 4 saved none, and adds `A` on the next save), by position among those left.
 */
function pairQueries(a: readonly Query[], b: readonly Query[]) {
  return pairBy(a, b, [
    (x, y) => x.refId !== undefined && x.refId === y.refId,
    (x, y) => x.expr !== undefined && x.expr === y.expr && (x.refId === undefined || y.refId === undefined),
    (x, y) => x.refId === undefined || y.refId === undefined,
  ]);
}

function diffQueries(a: readonly Query[], b: readonly Query[]): QueryChange[] {
  const name = (q: Query, list: readonly Query[]) => q.refId ?? `#${list.indexOf(q) + 1}`;
  const { pairs, removed, added } = pairQueries(a, b);
  const out: QueryChange[] = [];
  for (const q of removed)
    out.push({ refId: name(q, a), ...(q.expr !== undefined ? { old: q.expr } : {}), change: 'removed', other: [] });
  for (const [q, n] of pairs) {
    const other: FieldChange[] = [
      ...(q.refId !== n.refId
        ? [
            {
              path: 'refId',
              ...(q.refId !== undefined ? { old: q.refId } : {}),
              ...(n.refId !== undefined ? { new: n.refId } : {}),
            },
          ]
        : []),
      ...changedFields(q.rest, n.rest),
    ];
    if (q.expr === n.expr && !other.length) continue;
    out.push({
      refId: name(n, b),
      ...(q.expr !== undefined ? { old: q.expr } : {}),
      ...(n.expr !== undefined ? { new: n.expr } : {}),
      change: 'changed',
      other,
    });
  }
  for (const q of added)
    out.push({ refId: name(q, b), ...(q.expr !== undefined ? { new: q.expr } : {}), change: 'added', other: [] });
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
  const thresholds = diffThresholdSteps(a.fieldConfigRest, b.fieldConfigRest);
  const other = [
    ...changedFields(a.fieldConfigRest, b.fieldConfigRest, 'fieldConfig'),
    ...changedFields(a.rest, b.rest),
  ];
  if (!retitled && !idChanged && !typeChanged && !moved && !unit && !description && !queries.length && !other.length)
    return undefined;
  const judged = thresholds.filter((t) => t.verdict);
  return {
    ...ref(b),
    ...(retitled ? { retitled } : {}),
    ...(idChanged ? { idChanged } : {}),
    ...(typeChanged ? { typeChanged } : {}),
    ...(moved ? { moved } : {}),
    ...(unit ? { unit } : {}),
    ...(description ? { description } : {}),
    queries,
    ...(judged.length ? { thresholds: judged } : {}),
    other,
  };
}

/**
 * Pairs dashboards by uid; then one whose uid changed by its file, then by a title unique on both
 * sides (a dashboard without a uid takes its file name as one, and gets one on its next save).
 */
function pairDashboards(a: Map<string, Dashboard>, b: Map<string, Dashboard>) {
  const count = (list: readonly Dashboard[], title: string) => list.filter((d) => d.title === title).length;
  return pairBy(
    [...a.values()],
    [...b.values()],
    [
      (x, y) => x.uid === y.uid,
      (x, y) => x.file === y.file,
      (x, y, { olds, news }) => x.title === y.title && count(olds, x.title) === 1 && count(news, y.title) === 1,
    ],
  );
}

/** Compares two sets of parsed dashboards (path → parsed JSON). */
export function diffDashboards(base: DashboardSet, head: DashboardSet): DashboardDiff {
  const { pairs, removed: gone, added: fresh } = pairDashboards(parseDashboards(base), parseDashboards(head));
  const changed: DashboardChange[] = [];
  for (const [old, now] of pairs) {
    const { pairs: panels, removed, added } = pairPanels(old.list, now.list);
    const panelsChanged = panels.map(([x, y]) => diffPanel(x, y)).filter((c): c is PanelChange => c !== undefined);
    const retitled = old.title !== now.title ? { old: old.title, new: now.title } : undefined;
    const moved = old.file !== now.file ? { old: old.file, new: now.file } : undefined;
    const uidChanged =
      old.uid !== now.uid
        ? { ...(old.uidGiven ? { old: old.uid } : {}), ...(now.uidGiven ? { new: now.uid } : {}) }
        : undefined;
    const other = changedFields(old.rest, now.rest);
    if (
      !retitled &&
      !moved &&
      !uidChanged &&
      !other.length &&
      !removed.length &&
      !added.length &&
      !panelsChanged.length
    )
      continue;
    changed.push({
      uid: now.uid,
      title: now.title,
      file: now.file,
      ...(uidChanged ? { uidChanged } : {}),
      ...(retitled ? { retitled } : {}),
      ...(moved ? { moved } : {}),
      panelsAdded: added.map(ref),
      panelsRemoved: removed.map(ref),
      panelsChanged,
      other,
    });
  }
  return { added: fresh.map(summary), removed: gone.map(summary), changed };
}
