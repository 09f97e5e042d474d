// What a finished diff means for the caller's exit status. `--fail-on` picks the policy: a PR
// comment wants "never" (changes are the point, only errors fail), a strict CI job "weaker".
import { countFindings, findingName } from './finding-count.js';
import type { DiffReport } from './types.js';
import { plural } from '../kernel/words.js';

export const FAIL_ON = ['changes', 'weaker', 'never'] as const;
export type FailOn = (typeof FAIL_ON)[number];

export interface Outcome {
  /** 0 the diff ran and nothing it was told to fail on was found; 1 it was found. */
  readonly code: 0 | 1;
  /** One line for stderr saying what was found and what the exit status means. */
  readonly line: string;
}

export function outcome(report: DiffReport, failOn: FailOn): Outcome {
  if (!report.changed) return { code: 0, line: 'diff: no changes' };
  const gate = report.judged ? '' : 'gate ';
  const isRule = (f: DiffReport['weaker'][number]) => f.kind === 'alert' || f.kind === 'record';
  const weaker = [
    plural(report.weaker.filter(isRule).length, `weaker ${gate}alert`),
    ...countFindings(
      report.weaker.filter((f) => !isRule(f)),
      'weaker ',
      gate,
    ),
  ];
  const found = `changes found (${weaker.join(', ')}, ${plural(report.review.length, `${gate}change`)} to review)`;
  if (failOn === 'weaker' && report.weaker.length) {
    const onlyAlerts = report.weaker.every(isRule);
    const what = onlyAlerts
      ? plural(report.weaker.length, `${gate}alert`)
      : countFindings(report.weaker, '', gate).join(', ');
    return {
      code: 1,
      line: `diff: FAILED: ${what} got weaker: ${report.weaker.map(findingName).join(', ')} (--fail-on weaker)`,
    };
  }
  if (failOn === 'changes') return { code: 1, line: `diff: ${found}; exit 1 (--fail-on changes)` };
  return { code: 0, line: `diff: ${found}; not a failure (--fail-on ${failOn})` };
}
