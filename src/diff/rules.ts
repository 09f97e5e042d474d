// Prometheus rule files, base vs head: alerts and recording rules added / removed / changed, keyed
// by alert / record name across all rule files, with field-level changes and the release-gate
// verdicts (a gate alert is one labelled `gate: release` at the base ref).
import { exprChange, gateAlertFlags } from './gate-flags.js';
import {
  GATE_LABEL,
  GATE_VALUE,
  pairRules,
  parseRuleFiles,
  type Group,
  type Rule,
  type RuleFileSet,
} from './rule-files.js';
import { canonicalExpr, pairRenames } from './renames.js';
import { referencedMetrics } from './thresholds.js';
import type {
  Change,
  Flag,
  GroupChange,
  RemovedRule,
  RuleChange,
  RuleDiff,
  RuleLocation,
  RuleSnapshot,
} from './types.js';
import { deepEqual, diffMaps } from './util.js';

export { GATE_LABEL, GATE_VALUE, SEVERITIES } from './rule-files.js';
export type { RuleFileSet } from './rule-files.js';

const sameLocation = (a: RuleLocation, b: RuleLocation) => a.file === b.file && a.group === b.group;

function changeOf<T>(a: T | undefined, b: T | undefined): Change<T> | undefined {
  if (deepEqual(a, b)) return undefined;
  return { ...(a !== undefined ? { old: a } : {}), ...(b !== undefined ? { new: b } : {}) };
}

const snapshot = (r: Rule): RuleSnapshot => {
  const { rest: _rest, order: _order, ...s } = r;
  return s;
};

/** Gate alerts (every alert with `judgeAll`) among `rules` whose expression reads the metric `name`. */
function gateReaders(rules: readonly Rule[], name: string, judgeAll = false): string[] {
  return rules
    .filter((r) => (r.gate || (judgeAll && r.kind === 'alert')) && referencedMetrics(r.expr).has(name))
    .map((r) => r.name);
}

export interface RuleDiffOptions {
  /**
   * Judge every alert as a gate alert (weaker / review / stricter), not only those labelled
   * `gate: release`: for other teams' files (`stressgate diff OLD NEW`), which have no such label.
   */
  readonly judgeAll?: boolean;
}

/** Compares two sets of parsed rule files (path → parsed YAML document). */
export function diffRuleFiles(base: RuleFileSet, head: RuleFileSet, options: RuleDiffOptions = {}): RuleDiff {
  const judgeAll = options.judgeAll ?? false;
  const a = parseRuleFiles(base);
  const b = parseRuleFiles(head);
  const byName = pairRules(a.rules, b.rules);
  const renames = pairRenames(byName.removed, byName.added);
  const pairs = [...byName.pairs, ...renames.pairs];
  const { removed, added } = renames;

  const changed: { order: number; change: RuleChange }[] = [];
  for (const [old, now] of pairs) {
    // Compared as syntax trees: re-indenting or re-spacing an expression is no change.
    const expr = canonicalExpr(old.expr) !== canonicalExpr(now.expr) ? exprChange(old.expr, now.expr) : undefined;
    const renamed = old.name !== now.name ? { old: old.name, new: now.name } : undefined;
    const location = sameLocation(old.location, now.location) ? undefined : { old: old.location, new: now.location };
    const forChange = changeOf(old.for, now.for);
    const keep = changeOf(old.keepFiringFor, now.keepFiringFor);
    const labels = diffMaps(old.labels, now.labels);
    const annotations = diffMaps(old.annotations, now.annotations);
    const other = [...new Set([...Object.keys(old.rest), ...Object.keys(now.rest)])]
      .filter((k) => !deepEqual(old.rest[k], now.rest[k]))
      .sort();
    if (!renamed && !expr && !location && !forChange && !keep && !labels.length && !annotations.length && !other.length)
      continue;
    let flags: Flag[] = [];
    if (old.kind === 'alert' && (old.gate || judgeAll)) flags = gateAlertFlags(old, now, expr);
    if (renamed && old.kind === 'alert' && (old.gate || judgeAll))
      flags.push({
        verdict: 'review',
        reason: `renamed ${renamed.old} → ${renamed.new} (routes, inhibit rules and silences that name it must follow)`,
      });
    if (old.kind === 'record' && renamed && !b.rules.some((x) => x.kind === 'record' && x.name === old.name)) {
      // A record renamed under alerts that still read the old name: they can never fire.
      const readers = gateReaders(b.rules, old.name, judgeAll);
      if (readers.length)
        flags.push({
          verdict: 'weaker',
          reason: `renamed to ${now.name}, but ${readers.length === 1 ? 'an alert still reads' : 'alerts still read'} ${old.name} and can never fire: ${readers.join(', ')}`,
        });
    }
    if (old.kind === 'record' && (expr || labels.length)) {
      const readers = [
        ...new Set([...gateReaders(a.rules, old.name, judgeAll), ...gateReaders(b.rules, now.name, judgeAll)]),
      ];
      if (readers.length) {
        flags.push({
          verdict: 'review',
          reason: `${expr ? 'expression' : 'labels'} changed; ${judgeAll ? 'alerts' : 'gate alerts'} read it: ${readers.join(', ')}`,
        });
      }
    }
    changed.push({
      order: now.order,
      change: {
        kind: old.kind,
        name: now.name,
        key: now.key,
        gate: old.gate,
        ...(renamed ? { renamed } : {}),
        base: old.location,
        head: now.location,
        ...(location ? { location } : {}),
        ...(expr ? { expr } : {}),
        ...(forChange ? { for: forChange } : {}),
        ...(keep ? { keepFiringFor: keep } : {}),
        labels,
        annotations,
        other,
        flags,
      },
    });
  }

  const removedOut: RemovedRule[] = removed
    .sort((x, y) => x.order - y.order)
    .map((r) => {
      const flags: Flag[] = [];
      if (r.kind === 'alert' && (r.gate || judgeAll))
        flags.push({ verdict: 'weaker', reason: 'removed: the gate no longer checks this' });
      if (r.kind === 'record') {
        // Still read by a gate alert, and no longer recorded: that alert can never fire.
        const stillRecorded = b.rules.some((x) => x.kind === 'record' && x.name === r.name);
        const readers = gateReaders(b.rules, r.name, judgeAll);
        if (!stillRecorded && readers.length) {
          flags.push({
            verdict: 'weaker',
            reason: `removed, but ${judgeAll ? 'alerts' : 'gate alerts'} still read it and can never fire: ${readers.join(', ')}`,
          });
        }
      }
      return { ...snapshot(r), flags };
    });

  return {
    added: added.sort((x, y) => x.order - y.order).map(snapshot),
    removed: removedOut,
    changed: changed.sort((x, y) => x.order - y.order).map((c) => c.change),
    groups: diffGroups(a.groups, b.groups),
  };
}

function diffGroups(base: Group[], head: Group[]): GroupChange[] {
  const key = (g: Group) => `${g.file}\u0000${g.name}`;
  const hm = new Map(head.map((g) => [key(g), g]));
  const bm = new Map(base.map((g) => [key(g), g]));
  const out: GroupChange[] = [];
  for (const g of base) {
    const h = hm.get(key(g));
    if (!h) out.push({ file: g.file, group: g.name, change: 'removed', fields: [] });
    else {
      const fields = diffMaps(g.fields, h.fields);
      if (fields.length) out.push({ file: g.file, group: g.name, change: 'changed', fields });
    }
  }
  for (const g of head) if (!bm.has(key(g))) out.push({ file: g.file, group: g.name, change: 'added', fields: [] });
  return out;
}
