// The report a new user read after a smoke run (issue 26): values in their SLO's unit, a PDF whose
// headers and tables hold together on few pages, charts scaled to their data with enough time ticks,
// the scrape after the run marked as not judged, no stability section for a profile it is not
// judged on, sample counts that agree, and the Prometheus the run used. Built with buildReport from
// a verdict through the real judging code and charts measured as a 15 s-scraped smoke run draws them.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { loadProfile } from '../../src/gate/profile-file.js';
import type { Verdict } from '../../src/gate/verdict/index.js';
import { lineChartSvg } from '../../src/report/chart.js';
import { buildReport } from '../../src/report/index.js';
import { readInputs } from '../../src/report/inputs.js';
import { planRange, type RangePlan } from '../../src/report/range.js';
import { REPORT_SLOS, type MeasuredSlo } from '../../src/report/slo-charts.js';
import { slos } from '../../src/slos/index.js';
import { verdictOf, WINDOW } from '../fixtures/verdicts.js';
import { ROOT } from '../helpers.js';
import { readFile } from 'node:fs/promises';

const run = promisify(execFile);
const smoke = await loadProfile(join(ROOT, 'load/profiles/smoke.json'));
/** Not the local stack's 19090: the report must name the Prometheus the run used. */
const RUN_PROMETHEUS = 'http://127.0.0.1:29123';

/** A smoke PASS as the gate writes it, its Prometheus evidence from RUN_PROMETHEUS. */
function smokeVerdict(): Verdict {
  const v = verdictOf(smoke);
  assert.equal(v.verdict, 'PASS');
  return { ...v, prometheus: { ...v.prometheus!, url: RUN_PROMETHEUS } };
}

const PLAN: RangePlan = planRange(WINDOW, { scrapeSeconds: 15, evaluationSeconds: 15, source: 'test' });
const secs = (d: Date) => d.getTime() / 1000;

/** Each SLI as a smoke run draws it: ~20 ms latencies, a low auth ratio that rises in the scrape after the run. */
function measuredCharts(): MeasuredSlo[] {
  const t0 = secs(PLAN.start);
  const end = secs(PLAN.run.end);
  const value = (id: string, t: number): number => {
    if (id === 'http-5xx-ratio') return 0;
    if (id === 'auth-failure-ratio') return t > end ? 0.03 : 0.004;
    return 0.018 + 0.004 * Math.sin(t / 3);
  };
  return REPORT_SLOS.map((slo) => {
    const points = Array.from({ length: secs(PLAN.end) - t0 + 1 }, (_, i) => [t0 + i, value(slo.id, t0 + i)] as const);
    return {
      slo,
      series: [{ name: `${slo.id} (all)`, points }],
      points: points.length,
      max: Math.max(...points.map(([, v]) => v)),
    };
  });
}

async function smokeReport(files: Record<string, unknown> = { 'verdict.json': smokeVerdict() }) {
  const dir = await mkdtemp(join(tmpdir(), 'stressgate-report-walkthrough-'));
  try {
    for (const [f, body] of Object.entries(files)) {
      await mkdir(dirname(join(dir, f)), { recursive: true });
      await writeFile(join(dir, f), JSON.stringify(body));
    }
    const inputs = await readInputs(dir);
    return await buildReport({
      inputs,
      charts: { measured: measuredCharts() },
      plan: PLAN,
      baseline: null,
      window: { start: WINDOW.start.toISOString(), end: WINDOW.end.toISOString() },
      template: await readFile(join(ROOT, 'docs/final-testing/stress-test-report-template.md'), 'utf8'),
      source: 'docs/final-testing/stress-test-report-template.md',
      release: 'walkthrough',
      environment: 'local reference stack',
      prometheus: '',
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The Markdown section under `## heading`, up to the next one. */
const section = (markdown: string, heading: string) =>
  markdown.split(`\n## ${heading}\n`)[1]?.split('\n## ')[0] ?? assert.fail(`no section ${heading}`);

/** Cells of the thresholds table's row for `slo`. */
const row = (markdown: string, slo: string) =>
  section(markdown, 'SLO thresholds')
    .split('\n')
    .find((l) => l.startsWith(`| ${slo} |`))
    ?.split('|')
    .slice(1, -1)
    .map((c) => c.trim()) ?? assert.fail(`no row ${slo}`);

describe('the report a new user reads after a smoke run', () => {
  let report: Awaited<ReturnType<typeof smokeReport>>;
  before(async () => void (report = await smokeReport()));

  it('shows every threshold value in its SLO unit, load generator and Prometheus alike', () => {
    // healthySummary: p95 182 ms from k6, 0.17 s from Prometheus; auth failures 0.2% and 0.22%.
    assert.deepEqual(row(report.markdown, 'api-latency-p95').slice(1, 5), ['300ms', '182ms', '3710', '170ms']);
    assert.deepEqual(row(report.markdown, 'auth-failure-ratio').slice(1, 5), ['1%', '0.2%', '999', '0.22%']);
    assert.deepEqual(row(report.markdown, 'checks').slice(2, 3), ['99.93%']);
  });

  it('names the Prometheus the run used, not the local stack', () => {
    const missing = section(report.markdown, 'What is missing');
    assert.match(missing, new RegExp(`\`${RUN_PROMETHEUS.replace(/\./g, '\\.')}\``));
    assert.doesNotMatch(report.markdown, /19090/);
  });

  it('says the stability is not judged for a smoke profile, with no numbers', () => {
    const s = section(report.markdown, 'Stability (soak)');
    assert.match(s, /Not judged for profile `smoke`/);
    assert.match(s, /soak and stress profiles, or a steady phase of 30 min or more/);
    assert.doesNotMatch(s, /\d%|MiB/);
  });

  /** A chart of the page, by SLO id. */
  const chart = (id: string) =>
    [...report.html.matchAll(/<svg class="chart[^"]*" data-slo="([^"]+)"[\s\S]*?<\/svg>/g)].find(
      (m) => m[1] === id,
    )?.[0] ?? assert.fail(`no chart ${id}`);
  const texts = (svg: string, cls: string) =>
    [...svg.matchAll(new RegExp(`<text class="${cls}"[^>]*>([^<]*)<`, 'g'))].map((m) => m[1]!);

  it('scales a delivery chart to its ~20 ms data, the 500 ms SLO noted above the axis, with HH:MM:SS ticks', () => {
    const svg = chart(slos.chatDeliveryP95.id);
    // The SLI's path (plot y from 48 at the top to 234 at zero): its peak near the top, not flat on zero.
    const ys = [...(/class="series"[^>]* d="([^"]+)"/.exec(svg)?.[1] ?? '').matchAll(/[ML][\d.]+,([\d.]+)/g)].map(
      (m) => +m[1]!,
    );
    assert.ok(ys.length > 10 && Math.min(...ys) < 100, `the peak drawn at y=${Math.min(...ys)}`);
    assert.deepEqual(texts(svg, 'y-tick'), ['0s', '5ms', '10ms', '15ms', '20ms', '25ms']);
    assert.match(texts(svg, 'threshold off-axis')[0] ?? '', /^SLO 500ms: above this axis/);
    const ticks = texts(svg, 'x-tick');
    assert.ok(ticks.length >= 4 && ticks.length <= 8, ticks.join(' '));
    for (const t of ticks) assert.match(t, /^\d\d:\d\d:\d\d$/);
  });

  it('keeps an SLO line near the data on the axis', () => {
    const svg = chart(slos.authFailureRatio.id);
    assert.match(svg, /<line class="threshold"/);
    assert.ok(texts(svg, 'y-tick').includes('1%'), texts(svg, 'y-tick').join(' '));
  });

  it('shades the scrape after the run apart: after the run, not judged', () => {
    const svg = chart(slos.authFailureRatio.id);
    const rect = (cls: string) => {
      const m = new RegExp(`<rect class="${cls}" x="([\\d.]+)" y="[\\d.]+" width="([\\d.]+)"`).exec(svg);
      return m ? [+m[1]!, +m[1]! + +m[2]!] : assert.fail(`no ${cls} in ${svg}`);
    };
    const [, runEnd] = rect('run-window');
    const [from, to] = rect('not-judged');
    assert.equal(from, runEnd);
    assert.equal(to, 700, 'to the right end of the plot');
    assert.deepEqual(texts(svg, 'not-judged-label'), ['after the run: not judged']);
  });

  describe('its PDF', () => {
    let dir: string;
    let text: string;
    let pages: number;
    before(async () => {
      dir = await mkdtemp(join(tmpdir(), 'stressgate-report-pdf-'));
      const pdf = join(dir, 'stress-report.pdf');
      await writeFile(pdf, report.pdf);
      pages = Number(/Pages:\s+(\d+)/.exec((await run('pdfinfo', [pdf])).stdout)?.[1]);
      text = (await run('pdftotext', ['-layout', pdf, '-'])).stdout;
    });
    after(() => rm(dir, { recursive: true, force: true }));

    it('prints each table header word whole', async () => {
      // A partial run too: its long NOT MEASURED cells squeezed the header columns hardest.
      const partial = await smokeReport({
        'verdict.json': { ...smokeVerdict(), ...verdictOf(smoke, { only: ['auth'] }) },
      });
      const pdf = join(dir, 'partial.pdf');
      await writeFile(pdf, partial.pdf);
      const partialText = (await run('pdftotext', ['-layout', pdf, '-'])).stdout;
      for (const t of [text, partialText]) {
        // The header row, and its second line where a header wraps between words.
        const lines = t.split('\n');
        const at = lines.findIndex((l) => /\bSLO\s+bound\b/.test(l));
        assert.ok(at >= 0, `no header in\n${t}`);
        const header = lines.slice(at, at + 2).join('\n');
        for (const word of ['load', 'generator', 'samples', 'Prometheus', 'result'])
          assert.match(header, new RegExp(`(^|\\s)${word}(\\s|$)`, 'm'), `"${word}" whole in:\n${header}`);
      }
    });

    it('fits the smoke report on a few full pages', () => {
      assert.ok(pages <= 5, `${pages} pages`);
    });
  });
});
