// What a changed alert means for the release gate: its expression's thresholds paired and judged,
// its `for`, gate label and severity compared (weaker, stricter, or needs review).
import { GATE_LABEL, GATE_VALUE, SEVERITIES, type Rule } from './rule-files.js';
import { parsePromDuration } from '../kernel/duration.js';
import { diffThresholds, extractNumbers, extractThresholds, parseExpr, shapeWithoutThresholds } from './thresholds.js';
import type { ExprChange, Flag, ThresholdChange } from './types.js';
import { deepEqual } from './util.js';

const seconds = (d: string | undefined) => (d === undefined ? 0 : (parsePromDuration(d) ?? NaN));

export function exprChange(old: string, now: string): ExprChange {
  const a = extractThresholds(old);
  const b = extractThresholds(now);
  const thresholds: ThresholdChange[] = diffThresholds(a, b);
  const na = extractNumbers(old);
  const nb = extractNumbers(now);
  const structural = shapeWithoutThresholds(old, a) !== shapeWithoutThresholds(now, b);
  return {
    old,
    new: now,
    thresholds,
    ...(deepEqual(na, nb) ? {} : { numbers: { old: na, new: nb } }),
    structural,
  };
}

/** A changed `for` on a gate alert, by its length: no `for` is `0s`, so `0s` added changes nothing. */
function forVerdict(old: string | undefined, now: string | undefined): Flag | undefined {
  const a = seconds(old);
  const b = seconds(now);
  if (Number.isNaN(a) || Number.isNaN(b))
    return { verdict: 'review', reason: `for: ${old ?? '(none)'} → ${now ?? '(none)'}` };
  if (a === b) return undefined;
  if (b === 0) {
    const what = now === undefined ? `for: ${old} removed` : `for: ${old} → ${now}`;
    return {
      verdict: 'review',
      reason: `${what} (fires on the first failing evaluation; a blip can now fail the gate)`,
    };
  }
  if (a === 0) {
    const what = old === undefined ? `for: ${now} added` : `for: ${old} → ${now}`;
    return { verdict: 'weaker', reason: `${what} (must hold that long before it fires)` };
  }
  return b > a
    ? { verdict: 'weaker', reason: `for: ${old} → ${now} (longer: fires later)` }
    : { verdict: 'stricter', reason: `for: ${old} → ${now} (shorter: fires sooner)` };
}

const showThreshold = (t: { op: string; literal: string } | undefined) => (t ? `${t.op} ${t.literal}` : 'none');

/** Verdicts for a changed gate alert. */
export function gateAlertFlags(old: Rule, now: Rule, expr: ExprChange | undefined): Flag[] {
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
              : t.polarity === 'unknown'
                ? 'its direction is unknown inside this aggregation or function'
                : 'operator changed'
          : t.verdict === 'weaker'
            ? 'fires later'
            : 'fires sooner';
      const inverted = t.polarity === 'inverted' ? '; inverted: it sits right of unless or inside absent()' : '';
      flags.push({
        verdict: t.verdict,
        reason: `threshold ${showThreshold(t.old)} → ${showThreshold(t.new)} (${how}${inverted})`,
      });
    }
    if (parseExpr(expr.new).hasErrors) flags.push({ verdict: 'review', reason: 'the new expression does not parse' });
    else if (expr.structural)
      flags.push({ verdict: 'review', reason: 'expression changed beyond its threshold numbers' });
  }
  const forFlag = forVerdict(old.for, now.for);
  if (forFlag) flags.push(forFlag);
  const gate = now.labels[GATE_LABEL];
  if (old.gate && gate !== GATE_VALUE) {
    flags.push({
      verdict: 'weaker',
      reason:
        gate === undefined
          ? `label ${GATE_LABEL} removed: no longer a release-gate alert`
          : `label ${GATE_LABEL}: ${GATE_VALUE} → ${gate}: no longer a release-gate alert`,
    });
  }
  const sa = old.labels.severity;
  const sb = now.labels.severity;
  if (sa !== sb) {
    const ia = SEVERITIES.indexOf(sa as (typeof SEVERITIES)[number]);
    const ib = SEVERITIES.indexOf(sb as (typeof SEVERITIES)[number]);
    const show = (s: string | undefined) => s ?? '(none)';
    if (ia < 0 || ib < 0) flags.push({ verdict: 'review', reason: `severity ${show(sa)} → ${show(sb)}` });
    else
      flags.push({
        verdict: ib > ia ? 'weaker' : 'stricter',
        reason: `severity ${sa} → ${sb} (${ib > ia ? 'lowered' : 'raised'})`,
      });
  }
  return flags;
}
