// A recording rule costs an evaluation every interval: one that nothing reads is waste, and often
// the sign of a dashboard or alert that still repeats the raw expression.
import type { LintContext } from '../context.js';
import { rule, type Problem } from '../rule.js';

function unusedRecordingRules(ctx: LintContext): Problem[] {
  if (ctx.unreadable.rules || ctx.unreadable.dashboards) return [];
  const used = new Set<string>();
  for (const site of ctx.exprs) {
    // A rule reading its own name does not count as a use.
    for (const sel of site.parsed.selectors) if (sel.metric !== site.record) used.add(sel.metric);
  }
  return [...ctx.records]
    .filter(([record]) => !used.has(record))
    .map(([record, info]) => ({
      file: info.file,
      object: `recording rule ${record}`,
      message: 'is read by no alert, recording rule or dashboard panel.',
      fix: `delete ${record} from src/recording-rules/, or select it in the alert or panel that repeats its expression; then run \`make synth\``,
    }));
}

export const unusedRecordingRule = rule({
  id: 'unused-recording-rule',
  severity: 'error',
  summary: 'a recording rule that no alert, recording rule or panel reads',
  check: unusedRecordingRules,
});
