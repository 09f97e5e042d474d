// The stability judgement as Markdown: verdict.md's section and the report's (src/report/). The
// judgement per metric, with its slope, significance, extrapolated rise and bound, not raw numbers.
import { formatStability } from './stability-judge.js';
import type { StabilityJudgement } from './stability-schema.js';

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function stabilityMarkdownLines(s: StabilityJudgement): string[] {
  const lines = [
    `Judged over ${s.span.start} – ${s.span.end} (${Math.round(s.span.seconds)} s: the steady phase after ${Math.round(s.warmupSeconds)} s of warm-up; ${s.reason}), in ${s.windowSeconds} s windows; each trend extrapolated over the profile's ${Number((s.durationSeconds / 60).toPrecision(3))} min. A metric fails on a significant rise (Mann–Kendall p < ${s.alpha}) that breaks its bound.`,
    '',
    '| metric | windows | starts at | Theil–Sen slope | p | rise over the profile | bound | result |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const m of s.metrics) {
    const f = (v: number | null) => (v === null ? '—' : formatStability(m.unit, v));
    lines.push(
      `| ${m.title} | ${m.windows} | ${f(m.start)} | ${m.slopePerHour === null ? '—' : `${f(m.slopePerHour)}/h`} | ${m.p === null ? '—' : Number(m.p.toPrecision(2))}${m.significant ? ' (significant)' : ''} | ${f(m.rise)} | ${cell(boundCell(m))} | ${m.outcome} |`,
    );
  }
  const told = s.metrics.filter((m) => m.outcome !== 'PASS' || m.excused);
  if (told.length) lines.push('', ...told.map((m) => `- **${m.title}**: ${m.reason}`));
  return lines;
}

function boundCell(m: StabilityJudgement['metrics'][number]): string {
  const parts: string[] = [];
  if (m.limit !== null) parts.push(`rise ≤ ${formatStability(m.unit, m.limit)}`);
  if (m.bound.maxLevel !== undefined) parts.push(`level ≤ ${formatStability(m.unit, m.bound.maxLevel)}`);
  if (m.bound.maxWindow !== undefined) parts.push(`window ≤ ${formatStability(m.unit, m.bound.maxWindow)}`);
  return parts.join(', ') || '—';
}
