// The report's sections as Markdown, and the template filled with them. Text that comes from
// artifacts is escaped, so a stray `<` or `|` cannot turn into markup on the rendered page.
import { stabilityMarkdownLines } from '../gate/verdict/stability-markdown.js';
import { UNIT_FORMAT } from '../constructs/value-unit.js';
import { sloById } from '../slos/load-thresholds.js';
import { STABILITY } from '../slos/stability.js';
import { journeysMarkdown as sectionJourneys } from '../e2e/journeys.js';
import type { Badge, LineResult } from './checklist.js';
import type { Doc, ReportInputs, VerdictData } from './inputs.js';
import type { MeasuredSlo } from './slo-charts.js';

export class TemplateError extends Error {}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const cell = (s: string) => esc(s).replace(/\|/g, '\\|').replace(/\n/g, ' ');
const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;
const num = (v: number | null | undefined) =>
  v === null || v === undefined ? '—' : Number(v.toPrecision(4)).toString();
const table = (head: readonly string[], rows: readonly (readonly string[])[]) =>
  [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join(
    '\n',
  );

export function statusMarkdown(badge: Badge, lines: readonly LineResult[]): string {
  const gaps = lines.flatMap((l) => l.gaps).length;
  const failed = lines.filter((l) => l.state === 'failed').map((l) => esc(l.evidence));
  const missing = gaps ? ` ${gaps} input(s) missing, listed below: do not sign GO on an incomplete report.` : '';
  if (badge === 'FAIL') return `**Report: FAIL**. ${failed.join(' ')}${missing}`;
  if (badge === 'INCOMPLETE') return `**Report: INCOMPLETE**.${missing}`;
  return '**Report: PASS**. Every go/no-go line has its evidence, and every one holds.';
}

/** What is missing; `prometheus` is the Prometheus the run used (from its verdict, else --prometheus), null when unknown. */
export function missingMarkdown(lines: readonly LineResult[], prometheus: string | null): string {
  const rows = lines.flatMap((l) => l.gaps.map((g) => [cell(l.text), cell(g.input), code(g.command)]));
  if (!rows.length) return 'Nothing: every go/no-go line has its evidence.';
  const where = prometheus
    ? `: this run's was ${code(prometheus)}`
    : ' (no verdict or --prometheus names it: give the URL of yours)';
  return `${table(['go/no-go line', 'missing', 'command that produces it'], rows)}\n\n\`<prometheus>\` is the Prometheus that scraped the run${where}.`;
}

/** A value in `slo`'s unit, read the one way the page reads that unit (82.65ms, 0.22%). */
function inUnit(sloId: string, v: number | null | undefined, scale = 1): string {
  if (v === null || v === undefined) return '—';
  const slo = sloById.get(sloId);
  return slo ? UNIT_FORMAT[slo.sli.unit].format(v / scale) : num(v);
}

/** One row per SLO: the bound, what the load generator and Prometheus each measured, on how many samples. */
export function thresholdsMarkdown(v: Doc<VerdictData> | null): string {
  if (!v) return 'No gate verdict in artifacts/: no threshold was judged.';
  const d = v.data;
  // k6 measures latency in ms, Prometheus in seconds: both are shown in the SLO's unit.
  const loadScale = (id: string) => sloById.get(id)?.props.load.scale ?? 1;
  const rows = d.slos.map((s) => [
    cell(s.slo),
    cell(s.bound.text),
    inUnit(s.slo, s.load.value, loadScale(s.slo)),
    String(s.load.samples),
    s.prometheus ? inUnit(s.slo, s.prometheus.value) : 'not asked',
    s.prometheus ? String(s.prometheus.samples) : '—',
    cell(s.inScope ? s.outcome : 'NOT MEASURED (not in this run)'),
  ]);
  const percent = (x: number | null) => (x === null ? '—' : UNIT_FORMAT.ratio.format(x));
  rows.push([
    'checks',
    `≥ ${percent(d.checks.min)}`,
    percent(d.checks.rate),
    String(d.checks.passes + d.checks.fails),
    '—',
    '—',
    d.checks.pass ? 'PASS' : 'FAIL',
  ]);
  const failures = d.failures.length
    ? `\n\nWhy it failed:\n\n${d.failures.map((f) => `- ${cell(f.source)} · ${cell(f.subject)}: ${cell(f.reason)}`).join('\n')}`
    : '';
  return `Profile ${code(d.profile)}, ${code(v.file)}: **${cell(d.verdict)}** (${cell(d.title)}).\n\n${table(['SLO', 'bound', 'load generator', 'samples', 'Prometheus', 'samples', 'result'], rows)}${failures}`;
}

export function alertsMarkdown(v: Doc<VerdictData> | null): string {
  if (!v) return 'No gate verdict: gate alerts not checked.';
  const p = v.data.prometheus;
  if (!p) return 'Not checked: the run had no PROMETHEUS_URL.';
  if (!p.gateAlerts.length) return `None pending or firing between ${p.window.start} and ${p.window.end}.`;
  return `FAIL: pending or firing between ${p.window.start} and ${p.window.end}:\n\n${p.gateAlerts
    .map(
      (a) =>
        `- ${code(a.alertname)} ${a.states.join(' and ')} from ${a.firstSeen} ${cell(
          Object.entries(a.labels)
            .filter(([k]) => k !== 'alertname')
            .map(([k, x]) => `${k}=${x}`)
            .join(', '),
        )}`,
    )
    .join('\n')}`;
}

/**
 * The stability judgement, from the verdict that carries one (soak and stress runs, or a long steady
 * phase); otherwise why there is none, never a bare number without its judgement.
 */
export function stabilityMarkdown(
  judged: Doc<VerdictData> | null,
  others: { readonly charted: Doc<VerdictData> | null; readonly soak: Doc<VerdictData> | null },
): string {
  const s = judged?.data.stability;
  if (judged && s)
    return [
      `From ${code(judged.file)} (profile ${code(judged.data.profile)}): **${s.pass ? 'PASS' : 'FAIL'}**.`,
      '',
      ...stabilityMarkdownLines(s).map(esc),
    ].join('\n');
  const rule = `stability is judged for ${STABILITY.profiles.join(' and ')} profiles, or a steady phase of ${STABILITY.minSteadySeconds / 60} min or more`;
  const { charted, soak } = others;
  if (soak)
    return `**Not judged**: the soak verdict ${code(soak.file)} has no stability judgement (it needs PROMETHEUS_URL during the run; see *What is missing*).`;
  const profile = charted?.data.profile;
  return `${profile ? `**Not judged for profile ${code(profile)}**` : '**Not judged**'}: ${rule}; artifacts/ holds no soak verdict (see *What is missing*).`;
}

/** A drill result's fields, nested objects flattened one level (`messages.lost`). */
function flatten(obj: Record<string, unknown>, prefix = ''): [string, string][] {
  return Object.entries(obj).flatMap(([k, v]): [string, string][] => {
    const key = prefix + k;
    if (v === null || v === undefined) return [[key, '—']];
    if (typeof v === 'number') return [[key, num(v)]];
    if (typeof v === 'string' || typeof v === 'boolean') return [[key, String(v)]];
    if (Array.isArray(v))
      return [[key, v.length ? v.map((x) => (typeof x === 'object' ? JSON.stringify(x) : String(x))).join('; ') : '—']];
    if (!prefix) return flatten(v as Record<string, unknown>, `${key}.`);
    return [[key, JSON.stringify(v)]];
  });
}

export function drillsMarkdown(drills: ReportInputs['drills']): string {
  if (!drills.length) return 'No drill results in artifacts/drills/ (see *What is missing*).';
  return drills
    .map(
      (d) =>
        `### ${esc(d.name)}: ${d.data.pass ? 'PASS' : 'FAIL'}\n\n${table(
          ['measure', 'value'],
          flatten(d.data).map(([k, v]) => [cell(k), cell(v)]),
        )}`,
    )
    .join('\n\n');
}

export function journeysMarkdown(j: ReportInputs['journeys']): string {
  if (!j) return 'No Playwright journeys in artifacts/playwright/ (see *What is missing*).';
  // The gate's own rendering, its heading replaced by the report's section heading.
  return sectionJourneys(j.data)
    .replace(/^## .*\n\n/, `**${j.data.pass ? 'PASS' : 'FAIL'}**\n\n`)
    .trim();
}

/** The live verification's summary and signal table; the full file stays in artifacts/. */
export function coverageMarkdown(c: ReportInputs['coverage']): string {
  if (!c) return 'No live verification in artifacts/ (see *What is missing*).';
  const head = `Live verification **${c.data.pass ? 'PASS' : 'FAIL'}**, ${c.data.findings.length} finding(s) (${code(c.file)}; panel and rule detail in ${code('signal-coverage.md')}).`;
  if (!c.markdown) return head;
  // The file's first section: its summary sentence and the signal table (its title line dropped).
  const body = c.markdown
    .replace(/^# .*\n/, '')
    .split(/\n## /)[0]!
    .trim();
  const findings = c.markdown.split(/\n## Findings\n/)[1]?.trim();
  return [head, body.replace(/^Checked .*\n/, ''), ...(findings ? ['**Findings**', findings] : [])].join('\n\n');
}

export function weakerMarkdown(d: ReportInputs['alertsDiff']): string {
  if (!d) return 'No alerts diff in artifacts/ (see *What is missing*).';
  const head = `Against ${code(d.data.base.ref)}${d.data.base.commit ? ` (${d.data.base.commit.slice(0, 7)})` : ''}, from ${code(d.file)}.`;
  if (!d.data.weaker.length) return `${head} None.`;
  return `${head} Each needs an approval with its reason:\n\n${table(
    ['gate alert', 'why weaker', 'reason it is acceptable', 'approved by (name, date)'],
    d.data.weaker.map((w) => [code(w.name), cell(w.reasons.join('; ')), '', '']),
  )}`;
}

export function chartsMarkdown(measured: readonly MeasuredSlo[] | { unavailable: string }): string {
  if ('unavailable' in measured) return `**NOT MEASURED**: no chart drawn (${esc(measured.unavailable)}).`;
  return table(
    ['SLO', 'threshold', 'points', 'max over the run', 'chart'],
    measured.map((m) => [
      cell(m.slo.id),
      m.slo.thresholdText,
      String(m.points),
      m.max === undefined ? '—' : UNIT_FORMAT[m.slo.sli.unit].format(m.max),
      m.points ? 'measured' : `NOT MEASURED: ${cell(m.reason ?? 'no samples')}`,
    ]),
  );
}

export function checklistMarkdown(lines: readonly LineResult[]): string {
  const mark = { met: '[x]', failed: '[ ] **FAIL**', missing: '[ ] **MISSING**' } as const;
  return lines.map((l) => `- ${mark[l.state]} ${esc(l.text)}: ${esc(l.evidence)}`).join('\n');
}

/** Placeholders every report template must keep: without them the page could hide what is missing. */
const REQUIRED = ['status', 'missing', 'checklist'] as const;

export function fillTemplate(
  template: string,
  values: Readonly<Record<string, string>>,
  file = 'the report template',
): string {
  for (const key of REQUIRED)
    if (!template.includes(`{{${key}}}`)) throw new TemplateError(`${file}: the {{${key}}} placeholder is required`);
  return template.replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
    const v = values[key];
    if (v === undefined)
      throw new TemplateError(
        `${file}: unknown placeholder {{${key}}} (known: ${Object.keys(values).sort().join(', ')})`,
      );
    return v;
  });
}
