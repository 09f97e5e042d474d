// The report's view of the baseline: each SLO against the baseline run side by side (both values, the
// change, the confidence, the outcome) and the overlay of both runs' SLI series. The comparison is the
// verdict's own baseline section, or, given `--baseline FILE`, the gate's comparison made afresh
// against that file (the same code, src/gate/verdict/baseline/).
import { readFile } from 'node:fs/promises';
import { UNIT_FORMAT } from '../constructs/value-unit.js';
import { compareToBaseline } from '../gate/verdict/baseline/compare.js';
import { baselineValue, changeText, confidenceText } from '../gate/verdict/baseline/markdown.js';
import type { BaselineSection } from '../gate/verdict/baseline/schema.js';
import { verdictSchema } from '../gate/verdict/schema.js';
import { sloById } from '../slos/load-thresholds.js';
import { overlayChartSvg } from './baseline-chart.js';
import { ReportInputError, type Doc, type VerdictData } from './inputs.js';

const cell = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\|/g, '\\|');

/** The comparison to show: against `file` when given, else the verdict's own section (null: none in it). */
export async function baselineOf(current: Doc<VerdictData> | null, file?: string): Promise<BaselineSection | null> {
  if (!file) return current?.data.baseline ?? null;
  if (!current)
    throw new ReportInputError(`--baseline ${file}: there is no current verdict in artifacts/ to compare it with`);
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new ReportInputError(`--baseline ${file}: cannot read it as JSON (${(err as Error).message})`);
  }
  const parsed = verdictSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ReportInputError(`--baseline ${file}: field "${issue.path.join('.') || '(root)'}": ${issue.message}`);
  }
  if (parsed.data.profile !== current.data.profile)
    throw new ReportInputError(
      `--baseline ${file}: field "profile": the baseline ran profile "${parsed.data.profile}", ${current.file} "${current.data.profile}": not comparable`,
    );
  return compareToBaseline(current.data, { verdict: parsed.data, file }, current.data.baseline?.policy ?? 'fail');
}

export function baselineReportMarkdown(b: BaselineSection | null): string {
  if (!b || b.status === 'none')
    return `**No baseline: relative criteria not judged** (${cell(b?.note ?? 'the verdict has no baseline section')}). Run the gate with \`--baseline FILE|latest-pass\`, or give the report \`--baseline FILE\`.`;
  const rows = b.slos.map(
    (s) =>
      `| ${cell(s.slo)} | ${baselineValue(s.unit, s.baseline)} | ${baselineValue(s.unit, s.current)} | ${changeText(s)} | ${cell(s.tolerance.text)} | ${confidenceText(s)} | ${s.outcome === 'REGRESSED' ? '**REGRESSED**' : s.outcome} |`,
  );
  const why = b.slos.filter((s) => s.outcome !== 'SAME').map((s) => `- ${cell(s.slo)} ${s.outcome}: ${cell(s.reason)}`);
  return [
    `Against ${cell(b.note.replace(/^compared with /, ''))}.${b.regressed.length ? ` **REGRESSED: ${b.regressed.map(cell).join(', ')}** (the profile ${b.policy === 'fail' ? 'fails' : 'warns'} on it).` : ''}`,
    '',
    '| SLO | baseline | this run | change | tolerance | confidence worse | outcome |',
    '|---|---|---|---|---|---|---|',
    ...rows,
    ...(why.length ? ['', ...why] : []),
  ].join('\n');
}

/** One overlay per compared SLO: this run's SLI series solid, the baseline's dashed. */
export function baselineChartsSvg(b: BaselineSection | null, current: Doc<VerdictData> | null): string[] {
  if (!b || b.status === 'none' || !current) return [];
  return b.slos.map((s) => {
    const slo = sloById.get(s.slo);
    return overlayChartSvg({
      id: `${s.slo}-baseline`,
      title: `${s.title} against the baseline`,
      format: UNIT_FORMAT[s.unit].format,
      threshold: slo?.threshold ?? 0,
      current: current.data.distributions?.[s.slo]?.series?.points ?? [],
      baseline: s.baselineSeries?.points ?? [],
      note: `${s.outcome}: ${baselineValue(s.unit, s.baseline)} → ${baselineValue(s.unit, s.current)} (${changeText(s)}), confidence worse ${confidenceText(s)}`,
    });
  });
}
