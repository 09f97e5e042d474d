// The report's sections as Markdown, and the template filled with them. Text that comes from
// artifacts is escaped, so a stray `<` or `|` cannot turn into markup on the rendered page.
import { stabilityMarkdownLines } from '../gate/verdict/stability-markdown.js';
import { UNIT_FORMAT } from '../constructs/value-unit.js';
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

export function missingMarkdown(lines: readonly LineResult[]): string {
  const rows = lines.flatMap((l) => l.gaps.map((g) => [cell(l.text), cell(g.input), code(g.command)]));
  if (!rows.length) return 'Nothing: every go/no-go line has its evidence.';
  return `${table(['go/no-go line', 'missing', 'command that produces it'], rows)}\n\n\`<prometheus>\` is the Prometheus that scraped the run (the local stack's: \`http://127.0.0.1:19090\`).`;
}

/** One row per SLO: the bound, what the load generator and Prometheus each measured, on how many samples. */
export function thresholdsMarkdown(v: Doc<VerdictData> | null): string {
  if (!v) return 'No gate verdict in artifacts/: no threshold was judged.';
  const d = v.data;
  const rows = d.slos.map((s) => [
    cell(s.slo),
    cell(s.bound.text),
    s.load.value === null ? '—' : num(s.load.value),
    String(s.load.samples),
    s.prometheus ? (s.prometheus.value === null ? '—' : num(s.prometheus.value)) : 'not asked',
    s.prometheus ? String(s.prometheus.samples) : '—',
    cell(s.inScope ? s.outcome : 'NOT MEASURED (not in this run)'),
  ]);
  rows.push([
    'checks',
    code(`rate>=${num(d.checks.min)}`),
    num(d.checks.rate),
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

/** The soak's stability judgement (only a verdict that carries one: soak and stress runs, never a smoke run's numbers). */
export function stabilityMarkdown(v: Doc<VerdictData> | null): string {
  const s = v?.data.stability;
  if (!v || !s)
    return 'No stability judgement: it comes from a soak (or stress) verdict run with PROMETHEUS_URL (see *What is missing*).';
  return [
    `From ${code(v.file)} (profile ${code(v.data.profile)}): **${s.pass ? 'PASS' : 'FAIL'}**.`,
    '',
    ...stabilityMarkdownLines(s).map(esc),
  ].join('\n');
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
