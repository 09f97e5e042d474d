// `stressgate report` (`make stress-report`): the report a release manager signs, from artifacts/.
// Reads the gate verdicts, drills, live coverage, journeys and alerts diff (inputs.ts), charts each
// SLO from Prometheus over the run (slo-charts.ts), evaluates the go/no-go list (checklist.ts), fills
// the template (markdown.ts) and writes stress-report.md, .html (html.ts) and .pdf (pdf.ts) together:
// all three are built in memory first, so a failure leaves none half-written.
import { readFile, rename, writeFile, mkdir } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { parseCommand, stdio, type Io } from '../command.js';
import { baselineChartsSvg, baselineOf, baselineReportMarkdown } from './baseline.js';
import { REPORT_COMMAND } from './command.js';
import { badgeOf, chartedVerdict, evaluateChecklist, type ChecklistContext } from './checklist.js';
import { reportHtml } from './html.js';
import { readInputs, ReportInputError, verdictOf, type ReportInputs } from './inputs.js';
import type { BaselineSection } from '../gate/verdict/baseline/schema.js';
import * as md from './markdown.js';
import { ChromiumError, htmlToPdf } from './pdf.js';
import { planRange, type RangePlan } from './range.js';
import { scrapeSettings } from './scrape.js';
import { measureSlo, REPORT_SLOS, sloChartSvg, type MeasuredSlo } from './slo-charts.js';

export { ReportInputError } from './inputs.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function parseDate(name: string, text: string): Date {
  const d = new Date(text);
  if (Number.isNaN(d.getTime()))
    throw new ReportInputError(`--${name}: "${text}" is not an ISO date such as 2026-11-24T10:00:00Z`);
  return d;
}

interface ChartInputs {
  readonly prometheus: string;
  readonly window: { start: string; end: string } | null;
  readonly job: string;
  readonly scrape?: string;
  readonly evaluation?: string;
  readonly log: (line: string) => void;
}

/** Every SLO measured over the run, or why nothing could be. */
async function measureCharts(c: ChartInputs): Promise<{ context: ChecklistContext['charts']; plan: RangePlan | null }> {
  if (!c.prometheus) return { context: { unavailable: 'no PROMETHEUS_URL given' }, plan: null };
  if (!c.window)
    return {
      context: {
        unavailable: 'no run window: the verdict has none (run the load with PROMETHEUS_URL) and no --start/--end',
      },
      plan: null,
    };
  const run = { start: parseDate('start', c.window.start), end: parseDate('end', c.window.end) };
  if (run.end <= run.start)
    throw new ReportInputError(`run window ends (${c.window.end}) before it starts (${c.window.start})`);
  const plan = planRange(
    run,
    await scrapeSettings(c.prometheus, c.job, {
      ...(c.scrape ? { scrape: c.scrape } : {}),
      ...(c.evaluation ? { evaluation: c.evaluation } : {}),
    }),
  );
  // Right after a run its last samples are not scraped yet: wait for them, at most the lag itself.
  const wait = Math.min(plan.end.getTime() - Date.now(), plan.lagSeconds * 1000);
  if (wait > 0) {
    c.log(`report: waiting ${Math.ceil(wait / 1000)} s for the run's last scrape and rule evaluation`);
    await sleep(wait);
  }
  const measured: MeasuredSlo[] = [];
  for (const slo of REPORT_SLOS) measured.push(await measureSlo(c.prometheus, slo, plan));
  return { context: { measured }, plan };
}

async function writeAtomically(files: readonly [string, string | Buffer][]): Promise<void> {
  for (const [file, body] of files) await writeFile(`${file}.tmp-${process.pid}`, body);
  for (const [file] of files) await rename(`${file}.tmp-${process.pid}`, file);
}

export interface ReportBuild {
  readonly inputs: ReportInputs;
  readonly charts: ChecklistContext['charts'];
  readonly plan: RangePlan | null;
  readonly baseline: BaselineSection | null;
  readonly window: { start: string; end: string } | null;
  readonly template: string;
  /** The template's path, for errors. */
  readonly source: string;
  readonly release: string;
  readonly environment: string;
  /** The Prometheus the report was asked to chart from (`--prometheus`), '' when none. */
  readonly prometheus: string;
}

/** The Prometheus the runs used, as their verdicts record it: the charted run's first. */
const runPrometheus = (inputs: ReportInputs, charted: ReturnType<typeof chartedVerdict>): string | null =>
  [charted, ...inputs.verdicts].find((v) => v?.data.prometheus?.url)?.data.prometheus?.url ?? null;

/** The three documents, in memory: Markdown, the HTML page, and the PDF printed from it. */
export async function buildReport(b: ReportBuild) {
  const { inputs, charts, plan, baseline, window } = b;
  const charted = chartedVerdict(inputs);
  const lines = evaluateChecklist({ inputs, charts });
  const badge = badgeOf(lines);
  const verdictWord = charted?.data.verdict ?? 'NO VERDICT';
  const soak = [verdictOf(inputs, 'soak'), verdictOf(inputs, 'stress'), charted].find((x) => x?.data.stability) ?? null;
  const values: Record<string, string> = {
    release: b.release,
    environment: b.environment,
    date: new Date().toISOString().slice(0, 10),
    status: md.statusMarkdown(badge, lines),
    badge,
    missing: md.missingMarkdown(lines, runPrometheus(inputs, charted) ?? (b.prometheus || null)),
    window: window ? `${window.start} – ${window.end}` : 'unknown (no verdict with a run window)',
    profile: charted?.data.profile ?? 'n/a',
    verdict: verdictWord,
    thresholds: `${md.thresholdsMarkdown(charted)}\n\n**Against the baseline**\n\n${baselineReportMarkdown(baseline)}`,
    alerts: md.alertsMarkdown(charted),
    stability: md.stabilityMarkdown(soak, { charted, soak: verdictOf(inputs, 'soak') }),
    drills: md.drillsMarkdown(inputs.drills),
    journeys: md.journeysMarkdown(inputs.journeys),
    coverage: md.coverageMarkdown(inputs.coverage),
    weaker: md.weakerMarkdown(inputs.alertsDiff),
    checklist: md.checklistMarkdown(lines),
  };
  const chartTable = md.chartsMarkdown('measured' in charts ? charts.measured : charts);
  const svgs =
    'measured' in charts
      ? charts.measured.map((m) => sloChartSvg(m, plan))
      : REPORT_SLOS.map((slo) => sloChartSvg({ slo, series: [], points: 0, reason: charts.unavailable }, null));
  const markdown = md.fillTemplate(
    b.template,
    { ...values, charts: `${chartTable}\n\nThe charts themselves are in stress-report.html and stress-report.pdf.` },
    b.source,
  );
  const pageMarkdown = md.fillTemplate(
    b.template,
    {
      ...values,
      charts: `<div class="charts">${[...svgs, ...baselineChartsSvg(baseline, charted)].join('')}</div>\n\n${chartTable}`,
    },
    b.source,
  );
  const title = `Stress-test report: release ${b.release}`;
  const html = reportHtml(pageMarkdown, {
    title,
    badge,
    verdict: verdictWord,
    profile: charted?.data.profile ?? null,
  });
  const pdf = await htmlToPdf(html, `${title} · ${badge}`);
  return { badge, lines, markdown, html, pdf };
}

export async function runReport(argv: string[], root = process.cwd(), io: Io = stdio): Promise<number> {
  const parsed = parseCommand(REPORT_COMMAND, argv, io);
  if (!parsed.ok) return parsed.exit;
  const o = parsed.values;
  try {
    const dir = resolve(root, o.artifacts!);
    const templateFile = resolve(root, o.template!);
    const template = await readFile(templateFile, 'utf8').catch((err: Error) => {
      throw new ReportInputError(`${templateFile}: cannot read the template (${err.message})`);
    });
    const inputs = await readInputs(dir);
    const charted = chartedVerdict(inputs);
    const window = o.start && o.end ? { start: o.start, end: o.end } : (charted?.window ?? null);
    const { context: charts, plan } = await measureCharts({
      prometheus: o.prometheus!,
      window,
      job: o.job!,
      ...(o['scrape-interval'] ? { scrape: o['scrape-interval'] } : {}),
      ...(o['evaluation-interval'] ? { evaluation: o['evaluation-interval'] } : {}),
      log: (l) => io.err(`${l}\n`),
    });
    const baseline = await baselineOf(charted, o.baseline ? resolve(root, o.baseline) : undefined);
    const report = await buildReport({
      inputs,
      charts,
      plan,
      baseline,
      window,
      template,
      source: relative(root, templateFile),
      release: o.release!,
      environment: o.environment!,
      prometheus: o.prometheus!,
    });
    const { badge, lines, markdown, html, pdf } = report;
    const verdictWord = charted?.data.verdict ?? 'NO VERDICT';
    await mkdir(dir, { recursive: true });
    const out = (ext: string) => join(dir, `stress-report.${ext}`);
    await writeAtomically([
      [out('md'), markdown],
      [out('html'), html],
      [out('pdf'), pdf],
    ]);
    const gaps = lines.flatMap((l) => l.gaps);
    io.out(
      `report: ${badge} (gate verdict ${verdictWord}${charted ? `, profile ${charted.data.profile}` : ''}); ${relative(root, dir) || '.'}/stress-report.{md,html,pdf}\n`,
    );
    for (const g of gaps) io.out(`  missing: ${g.input}\n    ${g.command}\n`);
    return 0;
  } catch (err) {
    if (err instanceof ReportInputError || err instanceof md.TemplateError || err instanceof ChromiumError) {
      io.err(`report: ${err.message}; nothing was written\n`);
      return 2;
    }
    throw err;
  }
}
