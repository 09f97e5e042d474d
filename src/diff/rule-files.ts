// Rule files parsed into comparable rules and groups, and base/head rules paired by kind and name.
import type { RuleKind, RuleSnapshot } from './types.js';
import { asText, deepEqual, DiffInputError, isRecord, omit, stringMap } from './util.js';

/** Parsed rule files by path (relative to the project root); `undefined`/`null`: file absent or empty. */
export type RuleFileSet = Readonly<Record<string, unknown>>;

export const GATE_LABEL = 'gate';
export const GATE_VALUE = 'release';
/** Severity labels from strongest to weakest; lowering one on a gate alert makes it weaker. */
export const SEVERITIES = ['critical', 'warning', 'info', 'none'] as const;
const RULE_FIELDS = ['alert', 'record', 'expr', 'for', 'keep_firing_for', 'labels', 'annotations'];

export interface Rule extends RuleSnapshot {
  readonly rest: Record<string, unknown>;
  readonly order: number;
}

export interface Group {
  readonly file: string;
  readonly name: string;
  readonly fields: Record<string, string>;
}

export function parseRuleFiles(files: RuleFileSet): { rules: Rule[]; groups: Group[] } {
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
        const kind: RuleKind | undefined =
          r.alert !== undefined ? 'alert' : r.record !== undefined ? 'record' : undefined;
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
export function pairRules(base: Rule[], head: Rule[]): { pairs: [Rule, Rule][]; removed: Rule[]; added: Rule[] } {
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
      for (let i = 0; i < olds.length;) {
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
