// Prometheus rule files, base vs head: alerts and recording rules added / removed / changed, keyed
// by alert / record name across all rule files, with field-level changes and the release-gate
// verdicts (a gate alert is one labelled `gate: release` at the base ref).
import {
  diffThresholds,
  extractNumbers,
  extractThresholds,
  maskThresholds,
  parseDuration,
  parseExpr,
  referencedMetrics,
} from './thresholds.js';
import type {
  Change,
  ExprChange,
  Flag,
  GroupChange,
  RemovedRule,
  RuleChange,
  RuleDiff,
  RuleKind,
  RuleLocation,
  RuleSnapshot,
  ThresholdChange,
} from './types.js';
import { asText, deepEqual, diffMaps, DiffInputError, isRecord, omit, stringMap } from './util.js';

/** Parsed rule files by path (relative to the project root); `undefined`/`null`: file absent or empty. */
export type RuleFileSet = Readonly<Record<string, unknown>>;

export const GATE_LABEL = 'gate';
export const GATE_VALUE = 'release';
/** Severity labels from strongest to weakest; lowering one on a gate alert makes it weaker. */
export const SEVERITIES = ['critical', 'warning', 'info', 'none'] as const;

const RULE_FIELDS = ['alert', 'record', 'expr', 'for', 'keep_firing_for', 'labels', 'annotations'];

interface Rule extends RuleSnapshot {
  readonly rest: Record<string, unknown>;
  readonly order: number;
}

interface Group {
  readonly file: string;
  readonly name: string;
  readonly fields: Record<string, string>;
}

function parseRuleFiles(files: RuleFileSet): { rules: Rule[]; groups: Group[] } {
  const rules: Rule[] = [];
  const groups: Group[] = [];
  for (const file of Object.keys(files).sort()) {
    const doc = files[file];
    if (doc === undefined || doc === null) continue;
    if (!isRecord(doc) || (doc.groups !== undefined && doc.groups !== null && !Array.isArray(doc.groups))) {
      throw new DiffInputError(`${file}: not a Prometheus rule file (expected a top-level "groups" list)`);
    }
    for (const [gi, g] of ((doc.groups ?? []) as unknown[]).entries()) {
      if (!isRecord(g)) throw new DiffInputError(`${file}: groups[${gi}] is not a mapping`);
      const group = asText(g.name) ?? `#${gi + 1}`;
      groups.push({ file, name: group, fields: stringMap(omit(g, ['name', 'rules'])) });
      for (const [ri, r] of ((Array.isArray(g.rules) ? g.rules : []) as unknown[]).entries()) {
        if (!isRecord(r)) throw new DiffInputError(`${file}: group ${group}, rules[${ri}] is not a mapping`);
        const kind: RuleKind | undefined = r.alert !== undefined ? 'alert' : r.record !== undefined ? 'record' : undefined;
        if (!kind) throw new DiffInputError(`${file}: group ${group}, rules[${ri}] has neither "alert" nor "record"`);
        const name = asText(kind === 'alert' ? r.alert : r.record) ?? '';
        const labels = stringMap(r.labels);
        const forText = asText(r.for);
        const keep = asText(r.keep_firing_for);
        rules.push({
          kind,
          name,
          key: name,
          location: { file, group },
          expr: asText(r.expr) ?? '',
          ...(forText !== undefined ? { for: forText } : {}),
          ...(keep !== undefined ? { keepFiringFor: keep } : {}),
          labels,
          annotations: stringMap(r.annotations),
          gate: kind === 'alert' && labels[GATE_LABEL] === GATE_VALUE,
          rest: omit(r, RULE_FIELDS),
          order: rules.length,
        });
      }
    }
  }
  return { rules, groups };
}

const labelSuffix = (labels: Readonly<Record<string, string>>) =>
  `{${Object.entries(labels)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(', ')}}`;

/**
 * Pairs base and head rules of the same kind and name. A name used once on each side pairs
 * directly; duplicated names (a record with several label sets) pair by identical labels, then
 * identical expression, then order.
 */
function pairRules(base: Rule[], head: Rule[]): { pairs: [Rule, Rule][]; removed: Rule[]; added: Rule[] } {
  const byName = (rules: Rule[]) => {
    const m = new Map<string, Rule[]>();
    for (const r of rules) {
      const k = `${r.kind}\u0000${r.name}`;
      m.set(k, [...(m.get(k) ?? []), r]);
    }
    return m;
  };
  const b = byName(base);
  const h = byName(head);
  const pairs: [Rule, Rule][] = [];
  const removed: Rule[] = [];
  const added: Rule[] = [];
  for (const name of new Set([...b.keys(), ...h.keys()])) {
    const olds = [...(b.get(name) ?? [])];
    const news = [...(h.get(name) ?? [])];
    const unique = olds.length <= 1 && news.length <= 1;
    const withKey = (r: Rule): Rule => (unique ? r : { ...r, key: `${r.name} ${labelSuffix(r.labels)}` });
    for (const same of [
      (x: Rule, y: Rule) => deepEqual(x.labels, y.labels),
      (x: Rule, y: Rule) => x.expr === y.expr,
      () => true,
    ]) {
      for (let i = 0; i < olds.length; ) {
        const j = news.findIndex((n) => same(olds[i]!, n));
        if (j < 0) {
          i++;
          continue;
        }
        const old = withKey(olds[i]!);
        pairs.push([old, { ...news[j]!, key: old.key }]);
        olds.splice(i, 1);
        news.splice(j, 1);
      }
    }
    removed.push(...olds.map(withKey));
    added.push(...news.map(withKey));
  }
  return { pairs, removed, added };
}

const seconds = (d: string | undefined) => (d === undefined ? 0 : (parseDuration(d) ?? NaN));

function exprChange(old: string, now: string): ExprChange {
  const a = extractThresholds(old);
  const b = extractThresholds(now);
  const thresholds: ThresholdChange[] = diffThresholds(a, b);
  const na = extractNumbers(old);
  const nb = extractNumbers(now);
  const structural = a.length !== b.length || maskThresholds(old, a) !== maskThresholds(now, b);
  return {
    old,
    new: now,
    thresholds,
    ...(deepEqual(na, nb) ? {} : { numbers: { old: na, new: nb } }),
    structural,
  };
}

const showThreshold = (t: { op: string; literal: string } | undefined) => (t ? `${t.op} ${t.literal}` : 'none');

/** Verdicts for a changed gate alert. */
function gateAlertFlags(old: Rule, now: Rule, expr: ExprChange | undefined): Flag[] {
  const flags: Flag[] = [];
  if (expr) {
    for (const t of expr.thresholds) {
      if (!t.verdict) continue;
      const how =
        t.verdict === 'review'
          ? !t.old
            ? 'new comparison'
            : !t.new
              ? 'comparison removed'
              : 'operator changed'
          : t.verdict === 'weaker'
            ? 'fires later'
            : 'fires sooner';
      flags.push({ verdict: t.verdict, reason: `threshold ${showThreshold(t.old)} → ${showThreshold(t.new)} (${how})` });
    }
    if (parseExpr(expr.new).hasErrors) flags.push({ verdict: 'review', reason: 'the new expression does not parse' });
    else if (expr.structural) flags.push({ verdict: 'review', reason: 'expression changed beyond its threshold numbers' });
  }
  if (old.for !== now.for) {
    const a = seconds(old.for);
    const b = seconds(now.for);
    if (old.for !== undefined && now.for === undefined) {
      flags.push({ verdict: 'review', reason: `for: ${old.for} removed (fires on the first failing evaluation; a blip can now fail the gate)` });
    } else if (old.for === undefined) {
      flags.push({ verdict: 'weaker', reason: `for: ${now.for} added (must hold that long before it fires)` });
    } else if (Number.isNaN(a) || Number.isNaN(b)) {
      flags.push({ verdict: 'review', reason: `for: ${old.for} → ${now.for}` });
    } else if (b > a) {
      flags.push({ verdict: 'weaker', reason: `for: ${old.for} → ${now.for} (longer: fires later)` });
    } else if (b < a) {
      flags.push({ verdict: 'stricter', reason: `for: ${old.for} → ${now.for} (shorter: fires sooner)` });
    }
  }
  const gate = now.labels[GATE_LABEL];
  if (gate !== GATE_VALUE) {
    flags.push({
      verdict: 'weaker',
      reason: gate === undefined ? `label ${GATE_LABEL} removed: no longer a release-gate alert` : `label ${GATE_LABEL}: ${GATE_VALUE} → ${gate}: no longer a release-gate alert`,
    });
  }
  const sa = old.labels.severity;
  const sb = now.labels.severity;
  if (sa !== sb) {
    const ia = SEVERITIES.indexOf(sa as (typeof SEVERITIES)[number]);
    const ib = SEVERITIES.indexOf(sb as (typeof SEVERITIES)[number]);
    const show = (s: string | undefined) => s ?? '(none)';
    if (ia < 0 || ib < 0) flags.push({ verdict: 'review', reason: `severity ${show(sa)} → ${show(sb)}` });
    else flags.push({ verdict: ib > ia ? 'weaker' : 'stricter', reason: `severity ${sa} → ${sb} (${ib > ia ? 'lowered' : 'raised'})` });
  }
  return flags;
}

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
    const other = [...new Set([...Object.keys(old.rest), ...Object.keys(now.rest)])].filter((k) => !deepEqual(old.rest[k], now.rest[k])).sort();
    if (!expr && !location && !forChange && !keep && !labels.length && !annotations.length && !other.length) continue;
    let flags: Flag[] = [];
    if (old.kind === 'alert' && old.gate) flags = gateAlertFlags(old, now, expr);
    if (old.kind === 'record' && (expr || labels.length)) {
      const readers = [...new Set([...gateReaders(a.rules, old.name), ...gateReaders(b.rules, now.name)])];
      if (readers.length) {
        flags.push({ verdict: 'review', reason: `${expr ? 'expression' : 'labels'} changed; gate alerts read it: ${readers.join(', ')}` });
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
      if (r.kind === 'alert' && r.gate) flags.push({ verdict: 'weaker', reason: 'removed: the gate no longer checks this' });
      if (r.kind === 'record') {
        // Still read by a gate alert, and no longer recorded: that alert can never fire.
        const stillRecorded = b.rules.some((x) => x.kind === 'record' && x.name === r.name);
        const readers = gateReaders(b.rules, r.name);
        if (!stillRecorded && readers.length) {
          flags.push({ verdict: 'weaker', reason: `removed, but gate alerts still read it and can never fire: ${readers.join(', ')}` });
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
