// What a backtest evaluates: the alerts whose behaviour differs between the base ref and the working
// tree (expression, for, keep_firing_for, labels, the group's interval; not annotations), those that
// read a recording rule that changed, and on each side the recording rules they need, in dependency
// order (a level reads only raw series and the levels below it). Rules are paired as the diff pairs
// them (src/diff/rule-files.ts), by kind and name.
import { parsePromDuration } from '../kernel/duration.js';
import { selectors } from '../kernel/promql.js';
import { GATE_LABEL, GATE_VALUE } from '../diff/rules.js';
import { pairRules, parseRuleFiles, type Rule, type RuleFileSet } from '../diff/rule-files.js';

export class PlanError extends Error {}

/** One rule as a backtest evaluates it. */
export interface PlannedRule {
  readonly key: string;
  readonly name: string;
  readonly kind: 'alert' | 'record';
  readonly expr: string;
  readonly forSeconds: number;
  readonly keepFiringForSeconds: number;
  readonly labels: Readonly<Record<string, string>>;
  /** The group's own `interval`, when it sets one (else the recorded server's evaluation interval). */
  readonly intervalSeconds?: number;
  readonly gate: boolean;
  readonly where: string;
}

export type ChangeKind = 'changed' | 'added' | 'removed' | 'reads a changed recording rule';

export interface PlannedPair {
  readonly key: string;
  readonly name: string;
  readonly change: ChangeKind;
  readonly base?: PlannedRule;
  readonly head?: PlannedRule;
}

export interface BacktestPlan {
  readonly alerts: readonly PlannedPair[];
  /** Recording rules that changed (reported through the alerts that read them). */
  readonly records: readonly PlannedPair[];
  /** Per side, the recording rules the planned alerts read, level by level. */
  readonly levels: { readonly base: PlannedRule[][]; readonly head: PlannedRule[][] };
  /** Both sides need the same recording rules: one replay serves both. */
  readonly sameRecords: boolean;
  /** The raw metric names all of it reads; undefined when a selector names no metric (read them all). */
  readonly reads?: ReadonlySet<string>;
}

const seconds = (where: string, field: string, d: string | undefined): number => {
  if (d === undefined) return 0;
  const s = parsePromDuration(d);
  if (s === undefined) throw new PlanError(`${where}: field "${field}": "${d}" is not a Prometheus duration`);
  return s;
};

function planned(r: Rule, groups: ReturnType<typeof parseRuleFiles>['groups']): PlannedRule {
  const where = `${r.location.file}: group ${r.location.group}, ${r.kind} ${r.name}`;
  const interval = groups.find((g) => g.file === r.location.file && g.name === r.location.group)?.fields.interval;
  return {
    key: r.key,
    name: r.name,
    kind: r.kind,
    expr: r.expr,
    forSeconds: seconds(where, 'for', r.for),
    keepFiringForSeconds: seconds(where, 'keep_firing_for', r.keepFiringFor),
    labels: r.labels,
    ...(interval !== undefined ? { intervalSeconds: seconds(where, 'interval', interval) } : {}),
    gate: r.kind === 'alert' && r.labels[GATE_LABEL] === GATE_VALUE,
    where,
  };
}

/** What decides when a rule fires or what it records: annotations do not count. */
const behaviour = (r: PlannedRule | undefined) =>
  r
    ? JSON.stringify([r.expr, r.forSeconds, r.keepFiringForSeconds, Object.entries(r.labels).sort(), r.intervalSeconds])
    : '';

/** Recording rules `rules` read, by name, transitively, sorted into levels. */
function levelsOf(rules: readonly PlannedRule[], records: ReadonlyMap<string, PlannedRule[]>): PlannedRule[][] {
  const level = new Map<string, number>();
  const visiting = new Set<string>();
  const depth = (name: string): number => {
    const known = level.get(name);
    if (known !== undefined) return known;
    if (visiting.has(name)) throw new PlanError(`recording rules read each other in a circle, through ${name}`);
    visiting.add(name);
    let d = 0;
    for (const r of records.get(name)!) d = Math.max(d, ...readsOf(r.expr).map((n) => depth(n) + 1));
    visiting.delete(name);
    level.set(name, d);
    return d;
  };
  const readsOf = (expr: string) => [...new Set(selectors(expr).map((s) => s.metric))].filter((n) => records.has(n));
  for (const r of rules) for (const n of readsOf(r.expr)) depth(n);
  const out: PlannedRule[][] = [];
  for (const [name, d] of level) (out[d] ??= []).push(...records.get(name)!);
  return out.map((l) => l.sort((a, b) => a.key.localeCompare(b.key)));
}

const recordsByName = (rules: readonly PlannedRule[]) => {
  const m = new Map<string, PlannedRule[]>();
  for (const r of rules) if (r.kind === 'record') m.set(r.name, [...(m.get(r.name) ?? []), r]);
  return m;
};

/** Names of the recording rules an expression reads, transitively. */
function recordClosure(expr: string, records: ReadonlyMap<string, PlannedRule[]>): Set<string> {
  const seen = new Set<string>();
  const walk = (e: string) => {
    for (const s of selectors(e))
      if (records.has(s.metric) && !seen.has(s.metric)) {
        seen.add(s.metric);
        for (const r of records.get(s.metric)!) walk(r.expr);
      }
  };
  walk(expr);
  return seen;
}

export function planBacktest(baseFiles: RuleFileSet, headFiles: RuleFileSet): BacktestPlan {
  const a = parseRuleFiles(baseFiles);
  const b = parseRuleFiles(headFiles);
  const { pairs, removed, added } = pairRules(a.rules, b.rules);
  const all: Array<Omit<PlannedPair, 'change'> & { change: ChangeKind | 'same' }> = [
    ...pairs.map(([o, n]) => ({ o: planned(o, a.groups), n: planned(n, b.groups) })),
    ...removed.map((o) => ({ o: planned(o, a.groups), n: undefined })),
    ...added.map((n) => ({ o: undefined, n: planned(n, b.groups) })),
  ].map(({ o, n }) => ({
    key: (o ?? n)!.key,
    name: (o ?? n)!.name,
    change: !o ? 'added' : !n ? 'removed' : behaviour(o) === behaviour(n) ? 'same' : 'changed',
    ...(o ? { base: o } : {}),
    ...(n ? { head: n } : {}),
  }));
  const kindOf = (p: (typeof all)[number]) => (p.base ?? p.head)!.kind;
  const changedRecords = all.flatMap((p) =>
    kindOf(p) === 'record' && p.change !== 'same' ? [{ ...p, change: p.change }] : [],
  );
  const changedNames = new Set(changedRecords.map((p) => p.name));
  const baseRecords = recordsByName(all.flatMap((p) => (p.base ? [p.base] : [])));
  const headRecords = recordsByName(all.flatMap((p) => (p.head ? [p.head] : [])));
  const alerts = all
    .filter((p) => kindOf(p) === 'alert')
    .flatMap((p): PlannedPair[] => {
      if (p.change !== 'same') return [{ ...p, change: p.change }];
      const reads = [...recordClosure(p.base!.expr, baseRecords), ...recordClosure(p.head!.expr, headRecords)];
      return reads.some((n) => changedNames.has(n)) ? [{ ...p, change: 'reads a changed recording rule' }] : [];
    })
    .sort((x, y) => x.key.localeCompare(y.key));
  const levels = {
    base: levelsOf(
      alerts.flatMap((p) => (p.base ? [p.base] : [])),
      baseRecords,
    ),
    head: levelsOf(
      alerts.flatMap((p) => (p.head ? [p.head] : [])),
      headRecords,
    ),
  };
  const sameRecords =
    JSON.stringify(levels.base.map((l) => l.map((r) => [r.key, behaviour(r)]))) ===
    JSON.stringify(levels.head.map((l) => l.map((r) => [r.key, behaviour(r)])));
  const evaluated = [...alerts.flatMap((p) => [p.base, p.head]), ...levels.base.flat(), ...levels.head.flat()];
  const read = evaluated.flatMap((r) => (r ? selectors(r.expr) : []));
  const reads = read.every((s) => s.metric) ? new Set(read.map((s) => s.metric)) : undefined;
  return { alerts, records: changedRecords, levels, sameRecords, ...(reads ? { reads } : {}) };
}
