// SLOs, base vs head, from the OpenSLO export: a production objective lowered (99.5% → 99%) doubles
// the error budget, and every burn-rate alert then fires later, yet in the rule files it is only a
// number in each burn-rate record (`/ 0.005` → `/ 0.01`). Here it is one reviewer-level item, judged,
// with the rule changes that merely follow from it grouped under it.
import type { SloFacts } from './slo-facts.js';
import type { SloChange } from './slo-types.js';
import { numberValue, shapeWithoutNumbers } from './thresholds.js';
import type { RuleChange, RuleDiff } from './types.js';

type Flag = SloChange['flags'][number];

/** 0.995 → `99.5%`, 0.005 → `0.5%` (binary noise rounded away). */
export const percentText = (ratio: number) => `${Number((ratio * 100).toPrecision(10))}%`;
const factorText = (f: number) => `×${Number(f.toPrecision(3))}`;
const near = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));

function objectiveChanges(old: readonly number[], now: readonly number[]): SloChange['objectives'] {
  const out: SloChange['objectives'][number][] = [];
  for (let i = 0; i < Math.max(old.length, now.length); i++) {
    const [a, b] = [old[i], now[i]];
    if (a !== undefined && b !== undefined && near(a, b)) continue;
    out.push({
      ...(a !== undefined ? { old: a } : {}),
      ...(b !== undefined ? { new: b } : {}),
      ...(a !== undefined && b !== undefined ? { budgetFactor: (1 - b) / (1 - a) } : {}),
    });
  }
  return out;
}

function objectiveFlag(o: SloChange['objectives'][number]): Flag {
  if (o.old === undefined) return { verdict: 'stricter', reason: `production objective ${percentText(o.new!)} added` };
  if (o.new === undefined)
    return {
      verdict: 'weaker',
      reason: `production objective ${percentText(o.old)} removed — weaker: its burn-rate alerts no longer guard it`,
    };
  const weaker = o.new < o.old;
  return {
    verdict: weaker ? 'weaker' : 'stricter',
    reason:
      `production objective ${percentText(o.old)} → ${percentText(o.new)} — ${weaker ? 'weaker' : 'stricter'}: ` +
      `error budget ${factorText(o.budgetFactor!)} (${percentText(1 - o.old)} → ${percentText(1 - o.new)}), ` +
      `every burn-rate alert fires ${weaker ? 'later' : 'sooner'}`,
  };
}

/** The gate threshold is an upper bound (`sli <= threshold`): a higher one lets more through. */
function gateFlag(a: SloFacts['gateThreshold'], b: SloFacts['gateThreshold']): Flag | undefined {
  if (a?.text === b?.text) return undefined;
  const what = `gate threshold ${a?.text ?? '(none)'} → ${b?.text ?? '(none)'}`;
  if (a?.value === undefined || b?.value === undefined || a.value === b.value)
    return { verdict: 'review', reason: what };
  return b.value > a.value
    ? {
        verdict: 'weaker',
        reason: `${what} — weaker: the gate alert and the load runs' k6 thresholds let more through`,
      }
    : {
        verdict: 'stricter',
        reason: `${what} — stricter: the gate alert and the load runs' k6 thresholds fail sooner`,
      };
}

/**
 * A rule change that is nothing but the objective's change: a burn-rate record of this SLO
 * (`job:slo_<id>:...`) whose expression differs only in numbers, each the old error budget become the
 * new one; or an alert whose only edits are annotations naming this SLO and restating the objective.
 */
function followsObjective(c: RuleChange, slo: string, old: number, now: number): boolean {
  if (c.renamed || c.location || c.for || c.keepFiringFor || c.labels.length || c.other.length) return false;
  if (c.kind === 'record') {
    if (!c.key.includes(`:slo_${slo.replace(/-/g, '_')}:`) || !c.expr || c.annotations.length) return false;
    const { numbers } = c.expr;
    if (!numbers?.old || !numbers.new || numbers.old.length !== numbers.new.length) return false;
    if (shapeWithoutNumbers(c.expr.old) !== shapeWithoutNumbers(c.expr.new)) return false;
    return numbers.old.every((x, i) => {
      const [a, b] = [numberValue(x), numberValue(numbers.new![i]!)];
      return a === b || (near(a, 1 - old) && near(b, 1 - now));
    });
  }
  if (c.expr || !c.annotations.length) return false;
  const restate = (s: string) =>
    s
      .split(percentText(old))
      .join(percentText(now))
      .split(percentText(1 - old))
      .join(percentText(1 - now));
  return c.annotations.every((a) => a.old?.includes(slo) && a.new !== undefined && restate(a.old) === a.new);
}

/** The SLOs that changed, by name, in base order, then the added ones. */
export function diffSlos(
  base: ReadonlyMap<string, SloFacts>,
  head: ReadonlyMap<string, SloFacts>,
  rules: RuleDiff,
): SloChange[] {
  const out: SloChange[] = [];
  for (const [name, a] of base) {
    const b = head.get(name);
    const title = (b ?? a).title;
    const common = { name, ...(title ? { title } : {}) };
    if (!b) {
      const reason = 'removed — weaker: its burn-rate alerts and its gate threshold go with it';
      out.push({ ...common, change: 'removed', objectives: [], flags: [{ verdict: 'weaker', reason }], derived: [] });
      continue;
    }
    const objectives = objectiveChanges(a.targets, b.targets);
    const period =
      a.period !== b.period
        ? { ...(a.period ? { old: a.period } : {}), ...(b.period ? { new: b.period } : {}) }
        : undefined;
    const gate = gateFlag(a.gateThreshold, b.gateThreshold);
    if (!objectives.length && !period && !gate) continue;
    const flags: Flag[] = objectives.map(objectiveFlag);
    if (period)
      flags.push({
        verdict: 'review',
        reason: `period ${period.old ?? '(none)'} → ${period.new ?? '(none)'} (the budget is spread over another window; the burn-rate factors follow)`,
      });
    if (gate) flags.push(gate);
    // Only a lone objective changing, in the same period, explains the rules' numbers by itself.
    const only = objectives.length === 1 && !period ? objectives[0] : undefined;
    const derived =
      only?.old !== undefined && only.new !== undefined
        ? rules.changed.filter((c) => followsObjective(c, name, only.old!, only.new!)).map((c) => c.key)
        : [];
    out.push({
      ...common,
      change: 'changed',
      objectives,
      ...(period ? { period } : {}),
      ...(gate ? { gateThreshold: { old: a.gateThreshold?.text, new: b.gateThreshold?.text } } : {}),
      flags,
      derived,
    });
  }
  for (const [name, b] of head) {
    if (base.has(name)) continue;
    out.push({
      name,
      ...(b.title ? { title: b.title } : {}),
      change: 'added',
      objectives: [],
      flags: [{ verdict: 'stricter', reason: 'added' }],
      derived: [],
    });
  }
  return out;
}
