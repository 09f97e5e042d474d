// Counting findings in words, for the summary line and the exit-status line: "2 weaker gate alerts",
// "1 weaker SLO, 1 weaker gate alert", with the rule findings' wording unchanged when they are all.
import { plural } from '../kernel/words.js';
import type { GateFinding } from './types.js';

const isRule = (f: GateFinding) => f.kind === 'alert' || f.kind === 'record';

/** "alert" when every rule finding is an alert, "rule" when recording rules are among them. */
export const ruleNoun = (findings: readonly GateFinding[]) =>
  findings.filter(isRule).every((f) => f.kind === 'alert') ? 'alert' : 'rule';

/**
 * The non-zero counts by kind: SLOs, rules, k6 thresholds. `adjective` before each noun ("weaker "
 * or ""), `gate` before the rule noun ("gate " or "").
 */
export function countFindings(findings: readonly GateFinding[], adjective: string, gate: string): string[] {
  const n = (k: GateFinding['kind']) => findings.filter((f) => f.kind === k).length;
  const rules = findings.filter(isRule).length;
  return [
    n('slo') && plural(n('slo'), `${adjective}SLO`),
    rules && plural(rules, `${adjective}${gate}${ruleNoun(findings)}`),
    n('k6-threshold') && plural(n('k6-threshold'), `${adjective}k6 threshold`),
  ].filter((x): x is string => typeof x === 'string');
}

/** A finding's name as a sentence says it: `SLO http-5xx-ratio`, `k6 threshold checks`, `Http5xxRatioHigh`. */
export const findingName = (f: GateFinding) =>
  f.kind === 'slo' ? `SLO ${f.name}` : f.kind === 'k6-threshold' ? `k6 threshold ${f.name}` : f.name;
