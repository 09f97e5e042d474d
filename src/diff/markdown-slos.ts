// The report's SLO and k6-threshold sections in Markdown: each SLO change with the rule changes
// that follow from it listed under it, and every changed k6 threshold with its verdict.
import { findingName } from './finding-count.js';
import { code, plural, text } from './markdown-text.js';
import type { DiffReport, GateFinding, K6ThresholdChange, SloChange } from './types.js';

const TAG = { weaker: '**⚠ weaker**', review: '**review**', stricter: 'stricter' } as const;
const strongest = (verdicts: readonly K6ThresholdChange['verdict'][]) =>
  (['weaker', 'review', 'stricter'] as const).find((v) => verdicts.includes(v));

/** One finding of the weaker / review lists. */
export function findingLine(f: GateFinding, ruleName: (f: GateFinding) => string): string {
  const what =
    f.kind === 'slo'
      ? `SLO **${text(f.name)}**`
      : f.kind === 'k6-threshold'
        ? `k6 threshold ${code(f.name)}`
        : ruleName(f);
  return `- ${what}${f.source ? ` (${code(f.source)})` : ''}: ${f.reasons.map(text).join('; ')}`;
}

export function k6Line(c: K6ThresholdChange, indent = ''): string {
  const what =
    c.old === undefined
      ? `${code(c.new!)} added`
      : c.new === undefined
        ? `${code(c.old)} removed`
        : `${code(c.old)} → ${code(c.new)}`;
  return `${indent}- k6 threshold ${code(c.metric)}: ${what} ${TAG[c.verdict]} (profiles: ${c.profiles.map(text).join(', ')})`;
}

const names = (keys: readonly string[]) => keys.map(code).join(', ');
const ratio = (n: number) => code(String(Number(n.toPrecision(10))));

function sloLines(s: SloChange, report: DiffReport): string[] {
  const title = s.title && s.title !== s.name ? ` (${text(s.title)})` : '';
  const verdict = strongest(s.flags.map((f) => f.verdict));
  if (s.change !== 'changed')
    return [
      `- ${s.change === 'added' ? '➕ added' : '➖ removed'}: SLO **${text(s.name)}**${title}${verdict ? ` · ${TAG[verdict]}` : ''}`,
    ];
  const out = [`- SLO **${text(s.name)}**${title}${verdict ? ` · ${TAG[verdict]}` : ''}`];
  for (const f of s.flags) out.push(`  - ${text(f.reason)}`);
  const derived = report.rules.changed.filter((c) => s.derived.includes(c.key));
  const records = derived.filter((c) => c.kind === 'record').map((c) => c.key);
  const alerts = derived.filter((c) => c.kind === 'alert').map((c) => c.key);
  const [o] = s.objectives;
  if (records.length && o?.old !== undefined && o.new !== undefined)
    out.push(
      `  - follows from it: ${plural(records.length, 'recording rule')} now divide by the new error budget (${ratio(1 - o.old)} → ${ratio(1 - o.new)}): ${names(records)}`,
    );
  if (alerts.length)
    out.push(
      `  - follows from it: ${plural(alerts.length, 'alert')} whose annotations restate the objective: ${names(alerts)}`,
    );
  for (const c of report.k6Thresholds.filter((k) => k.slo === s.name)) out.push(k6Line(c, '  '));
  return out;
}

export function sloSection(report: DiffReport): string[] {
  if (!report.slos.length) return [];
  const out = [`### SLOs (${plural(report.slos.length, 'changed', 'changed')})`, ''];
  for (const s of report.slos) out.push(...sloLines(s, report));
  out.push('');
  return out;
}

/** The k6 thresholds that change on their own (those following an SLO are under it). */
export function k6Section(report: DiffReport): string[] {
  const own = report.k6Thresholds.filter((c) => c.slo === undefined);
  if (!own.length) return [];
  return [`### k6 thresholds (${own.length} changed)`, '', ...own.map((c) => k6Line(c)), ''];
}

/** Rule keys listed under an SLO instead of in the rule sections. */
export const derivedKeys = (report: DiffReport) => new Set(report.slos.flatMap((s) => s.derived));

export { findingName };
