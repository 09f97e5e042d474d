// The baseline comparison as Markdown (verdict.md, the job summary): one row per SLO with both values,
// the change, the test's confidence and effect, and the outcome; or, without a baseline, that the
// relative criteria were not judged (never a silent pass of them).
import { NO_BASELINE, type BaselineSection, type SloComparison } from './schema.js';

const value = (unit: SloComparison['unit'], v: number | null) =>
  v === null
    ? '—'
    : unit === 'ratio'
      ? `${Number((v * 100).toPrecision(4))}%`
      : unit === 'seconds'
        ? `${Number((v * 1000).toPrecision(4))} ms`
        : `${Number(v.toPrecision(4))}`;

/** `+190 ms (+211%)`, `+0.12pp`. */
export function changeText(s: SloComparison): string {
  if (!s.change) return '—';
  const a = s.change.absolute;
  const sign = a >= 0 ? '+' : '−';
  const abs = value(s.unit, Math.abs(a)).replace('%', 'pp');
  const rel =
    s.unit !== 'ratio' && s.change.relative !== null
      ? ` (${sign}${Math.abs(s.change.relative * 100).toFixed(1)}%)`
      : '';
  return `${sign}${abs}${rel}`;
}

export const confidenceText = (s: SloComparison) =>
  s.test
    ? `${(s.test.confidence * 100).toFixed(s.test.confidence > 0.999 ? 2 : 1)}% (p=${s.test.pValue.toPrecision(2)})`
    : '—';

export const baselineValue = value;

export function baselineMarkdown(b: BaselineSection | undefined): string[] {
  if (!b || b.status === 'none') return ['## Baseline', '', `**${b?.note ?? NO_BASELINE}.**`];
  const lines = [
    '## Baseline',
    '',
    `${b.note}. REGRESSED needs the change past the SLO's tolerance with 97.5% confidence and a one-sided test below alpha ${b.alpha}; the profile ${b.policy === 'fail' ? 'fails' : 'only warns'} on it.`,
    '',
    '| SLO | baseline | current | change | tolerance | confidence worse | effect | outcome |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const s of b.slos)
    lines.push(
      `| ${s.slo} | ${value(s.unit, s.baseline)} | ${value(s.unit, s.current)} | ${changeText(s)} | ${s.tolerance.text} | ${confidenceText(s)} | ${s.test ? `${s.test.effect.name.replace(/ \(.*\)$/, '')} ${s.test.effect.value.toFixed(2)}` : '—'} | ${s.outcome} |`,
    );
  const notable = b.slos.filter((s) => s.outcome !== 'SAME');
  if (notable.length) lines.push('', ...notable.map((s) => `- ${s.slo} ${s.outcome}: ${s.reason.replace(/\n/g, ' ')}`));
  return lines;
}
