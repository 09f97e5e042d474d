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

/** Gate alerts among `rules` whose expression reads the metric `name`. */
function gateReaders(rules: readonly Rule[], name: string): string[] {
  return rules.filter((r) => r.gate && referencedMetrics(r.expr).has(name)).map((r) => r.name);
}

/** Compares two sets of parsed rule files (path → parsed YAML document). */
export function diffRuleFiles(base: RuleFileSet, head: RuleFileSet): RuleDiff {
  const a = parseRuleFiles(base);
  const b = parseRuleFiles(head);
  const { pairs, removed, added } = pairRules(a.rules, b.rules);

  const changed: { order: number; change: RuleChange }[] = [];
  for (const [old, now] of pairs) {
    const expr = old.expr !== now.expr ? exprChange(old.expr, now.expr) : undefined;
    const location = sameLocation(old.location, now.location) ? undefined : { old: old.location, new: now.location };
    const forChange = changeOf(old.for, now.for);
    const keep = changeOf(old.keepFiringFor, now.keepFiringFor);
    const labels = diffMaps(old.labels, now.labels);
    const annotations = diffMaps(old.annotations, now.annotations);
    const other = [...new Set([...Object.keys(old.rest), ...Object.keys(now.rest)])]
      .filter((k) => !deepEqual(old.rest[k], now.rest[k]))
      .sort();
    if (!expr && !location && !forChange && !keep && !labels.length && !annotations.length && !other.length) continue;
    let flags: Flag[] = [];
    if (old.kind === 'alert' && old.gate) flags = gateAlertFlags(old, now, expr);
    if (old.kind === 'record' && (expr || labels.length)) {
      const readers = [...new Set([...gateReaders(a.rules, old.name), ...gateReaders(b.rules, now.name)])];
      if (readers.length) {
        flags.push({
          verdict: 'review',
          reason: `${expr ? 'expression' : 'labels'} changed; gate alerts read it: ${readers.join(', ')}`,
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
      if (r.kind === 'alert' && r.gate)
        flags.push({ verdict: 'weaker', reason: 'removed: the gate no longer checks this' });
      if (r.kind === 'record') {
        // Still read by a gate alert, and no longer recorded: that alert can never fire.
        const stillRecorded = b.rules.some((x) => x.kind === 'record' && x.name === r.name);
        const readers = gateReaders(b.rules, r.name);
        if (!stillRecorded && readers.length) {
          flags.push({
            verdict: 'weaker',
            reason: `removed, but gate alerts still read it and can never fire: ${readers.join(', ')}`,
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
