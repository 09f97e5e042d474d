// A lint rule is data: its id, how bad a finding is, what it guards, and the check. The registry in
// rules/index.ts is the one list; the lint stamps each problem with its rule's id and severity, so a
// check cannot report under another rule's name.
import type { Finding, Severity } from '../kernel/findings.js';
import type { LintContext } from './context.js';

/** What a check reports: a finding without the rule id and severity, which its rule supplies. */
export type Problem = Omit<Finding, 'rule' | 'severity'>;

export interface LintRule {
  /** Kebab-case id printed with every finding: `[metric-exists]`. */
  readonly id: string;
  /** `error` fails verify; `warning` is shown and fails nothing. */
  readonly severity: Severity;
  /** One line: the mistake the rule exists to catch. */
  readonly summary: string;
  readonly check: (ctx: LintContext) => readonly Problem[];
}

export const rule = (r: LintRule): LintRule => r;
