// SLO numbers in a runbook come from the facts block synth writes (src/synth/runbook-facts.ts). A
// threshold or share typed by hand beside it ("above 300 ms") goes stale when the SLO moves to ms(200):
// the block follows, the prose does not. In a section with a facts block, every percentage and
// millisecond figure outside it must be one the block states.
import { headings } from '../../kernel/markdown.js';
import { BLOCK_END, BLOCK_START } from '../../synth/runbook-blocks.js';
import type { LintContext } from '../context.js';
import { rule, type Problem } from '../rule.js';
import { alertObject, runbookTarget } from './runbooks.js';

/** `0.5%`, `300 ms`, `300ms`: the units SLO thresholds and budgets are written in. */
const FIGURE = /(?<![\w.])(\d+(?:\.\d+)?)\s?(%|ms\b)/g;
const figures = (text: string): string[] =>
  [...text.matchAll(FIGURE)].map((m) => `${Number(m[1])}${m[2] === '%' ? '%' : ' ms'}`);

/** A section's facts block and the text around it, when it has one. */
function split(section: string): { facts: string; prose: string } | undefined {
  const start = section.indexOf(BLOCK_START);
  const end = section.indexOf(BLOCK_END, start);
  if (start < 0 || end < 0) return undefined;
  return { facts: section.slice(start, end), prose: section.slice(0, start) + section.slice(end + BLOCK_END.length) };
}

function unstatedFigures(ctx: LintContext): Problem[] {
  const alertAt = new Map<string, string>();
  for (const r of ctx.project.ruleFiles.flatMap((f) => f.groups.flatMap((g) => g.rules))) {
    const target = r.alert && r.annotations?.runbook_url ? runbookTarget(r.annotations.runbook_url) : undefined;
    const key = target && `${target.path}#${target.anchor}`;
    if (key && !alertAt.has(key)) alertAt.set(key, r.alert!);
  }
  const findings: Problem[] = [];
  for (const [path, markdown] of ctx.project.runbooks) {
    const lines = markdown.split(/\r?\n/);
    const all = headings(lines);
    all.forEach((h, i) => {
      const parts = split(lines.slice(h.bodyLine, all[i + 1]?.line ?? lines.length).join('\n'));
      if (!parts) return;
      const stated = new Set(figures(parts.facts));
      const alert = alertAt.get(`${path}#${h.anchor}`);
      for (const figure of new Set(figures(parts.prose).filter((f) => !stated.has(f))))
        findings.push({
          file: path,
          object: `section #${h.anchor}${alert ? ` (${alertObject(ctx, alert)})` : ''}`,
          message: `states "${figure}" by hand, which its facts block does not (it says ${[...stated].join(', ') || 'no figure'}): a stale or hand-typed SLO number.`,
          fix: `drop "${figure}" and refer to the facts block, or write a number the block states; SLO numbers change in src/slos/ and reach the block with \`make synth\``,
        });
    });
  }
  return findings;
}

export const runbookNumbers = rule({
  id: 'runbook-slo-numbers',
  severity: 'error',
  summary: 'a percentage or millisecond figure in a runbook section that its generated SLO facts block does not state',
  check: unstatedFigures,
});
