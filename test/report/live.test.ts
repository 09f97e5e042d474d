// The stress report of a real run: the smoke profile (Node runner, through the CLI as `make
// load-smoke` runs it) against the reference app on real PostgreSQL and Redis, scraped by a real
// Prometheus every 15 s (the setting that blanked every chart of a 20 s run before), then
// `stressgate report`, the page read in headless Chromium and the PDF read with poppler's pdftotext.
// The screenshot, page and PDF are kept in artifacts/report-test/.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { liveConfig, startPrometheus, type RunningPrometheus } from '../../src/live/prometheus.js';
import { verdictState } from '../../src/report/checklist.js';
import { runReport } from '../../src/report/index.js';
import { launchChromium } from '../../src/report/pdf.js';
import { REPORT_SLOS } from '../../src/report/slo-charts.js';
import { startApp, startDeps, type Deps, type TestApp } from '../reference-app/harness.js';
import { ROOT } from '../helpers.js';
import { humanText, re, slos } from '../slo-values.js';

const run = promisify(execFile);
const KEEP = join(ROOT, 'artifacts/report-test');

function capture() {
  const text = { out: '', err: '' };
  return { text, io: { out: (t: string) => void (text.out += t), err: (t: string) => void (text.err += t) } };
}

describe('stress report of a real smoke run', { timeout: 420_000 }, () => {
  let deps: Deps;
  let app: TestApp;
  let prom: RunningPrometheus;
  let dir: string;
  let verdictWord: string;
  let runWindow: { start: string; end: string };

  before(async () => {
    deps = await startDeps();
    app = await startApp(deps);
    const committed = await readFile(join(ROOT, 'infra/prometheus/prometheus.yml'), 'utf8');
    prom = await startPrometheus({
      config: (port) =>
        liveConfig(committed, join(ROOT, 'infra/prometheus'), {
          target: `127.0.0.1:${app.port}`,
          self: `127.0.0.1:${port}`,
          interval: '15s',
        }),
    });
    // The first scrape comes within one interval of start: wait for it (bounded).
    for (let i = 0; i < 90 && !(await prom.client.query('up{job="api"} == 1')).length; i++)
      await new Promise((r) => setTimeout(r, 500));
    dir = await mkdtemp(join(tmpdir(), 'stressgate-report-live-'));
    const load = await run(
      join(ROOT, 'node_modules/.bin/tsx'),
      [
        'src/cli.ts',
        'load',
        '--runner',
        'node',
        '--profile',
        'smoke',
        '--target',
        app.base,
        '--prometheus',
        prom.url,
        '--out',
        dir,
      ],
      {
        cwd: ROOT,
        timeout: 180_000,
        env: { ...process.env, PROFILE: '', RUNNER: '', TARGET_URL: '', SCENARIOS: '', DURATION: '' },
      },
    ).catch((err: { code?: number; stdout?: string; stderr?: string }) => {
      // Exit 1 is a FAIL verdict (possible on a contended machine): the report must then say FAIL.
      if (err.code !== 1) throw new Error(`load run failed (${err.code}): ${err.stderr}`);
      return err;
    });
    const verdict = JSON.parse(await readFile(join(dir, 'verdict.json'), 'utf8'));
    verdictWord = verdict.verdict;
    runWindow = verdict.alerts?.window ?? verdict.window;
    assert.ok(runWindow, `the verdict has a run window: ${load.stdout}`);
  });
  after(async () => {
    await prom?.stop();
    await app?.stop();
    await deps?.dispose();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('draws data in every SLO chart, renders the Markdown, and prints a PDF with the verdict', async () => {
    const c = capture();
    assert.equal(await runReport(['--artifacts', dir, '--prometheus', prom.url], ROOT, c.io), 0, c.text.err);
    const expectedBadge = verdictState(verdictWord) === 'failed' ? 'FAIL' : 'INCOMPLETE';
    assert.match(c.text.out, new RegExp(`^report: ${expectedBadge} \\(gate verdict ${verdictWord}`));
    await mkdir(KEEP, { recursive: true });
    for (const ext of ['md', 'html', 'pdf'])
      await copyFile(join(dir, `stress-report.${ext}`), join(KEEP, `stress-report.${ext}`));

    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1100, height: 1400 } });
      await page.goto(`file://${join(KEEP, 'stress-report.html')}`);
      // Each SLO chart, read from the SVG: the SLI's path has coordinates inside the plot.
      const charts = await page.$$eval('svg.chart', (svgs) =>
        svgs.map((s) => {
          const d = s.querySelector('path.series')?.getAttribute('d') ?? '';
          const vb = (s as SVGSVGElement).viewBox.baseVal;
          const inside = [...d.matchAll(/[ML]([\d.]+),([\d.]+)/g)].filter(
            (m) => +m[1]! >= 0 && +m[1]! <= vb.width && +m[2]! >= 0 && +m[2]! <= vb.height,
          );
          return {
            slo: s.getAttribute('data-slo'),
            measured: s.classList.contains('measured'),
            points: inside.length,
            threshold: !!s.querySelector('.threshold'),
            run: !!s.querySelector('.run-window'),
          };
        }),
      );
      assert.deepEqual(charts.map((x) => x.slo).sort(), REPORT_SLOS.map((s) => s.id).sort());
      for (const ch of charts)
        assert.ok(
          ch.measured && ch.points >= 1 && ch.threshold && ch.run,
          `chart ${ch.slo}: ${JSON.stringify(ch)}\n${c.text.err}`,
        );
      // No raw Markdown on the page.
      const text = await page.evaluate(() => document.body.innerText);
      assert.ok(!text.includes('#'), 'no # on the page');
      assert.ok(!text.includes('|---|'), 'no table rule on the page');
      assert.ok(!text.includes('**'), 'no bold markers on the page');
      assert.ok((await page.locator('main table').count()) >= 5, 'tables rendered');
      assert.equal(await page.locator('#badge').textContent(), expectedBadge);
      assert.equal(await page.locator('#verdict').textContent(), verdictWord);
      // What is missing comes first, with the commands that fill it.
      const headings = await page.locator('main h2').allTextContents();
      assert.equal(headings[0], 'What is missing');
      for (const cmd of [
        'make observability-verify LIVE=1',
        'make drill-redis',
        'make drill-alerts',
        'make test-e2e-under-load',
        'make report-alerts-diff',
      ])
        assert.ok(text.includes(cmd), `missing list names ${cmd}`);
      await page.screenshot({ path: join(KEEP, 'stress-report.png'), fullPage: true });
    } finally {
      await browser.close();
    }

    const pdf = join(KEEP, 'stress-report.pdf');
    const pages = Number(/Pages:\s+(\d+)/.exec((await run('pdfinfo', [pdf])).stdout)?.[1]);
    assert.ok(pages >= 1, `${pages} pages`);
    const pdfText = (await run('pdftotext', ['-layout', pdf, '-'])).stdout;
    assert.match(pdfText, new RegExp(`Gate verdict\\s+${verdictWord}`));
    assert.match(pdfText, new RegExp(`Report\\s+${expectedBadge}`));
    // The charts' own labels are text in the PDF: they were printed as vectors, not pixels.
    assert.match(pdfText, new RegExp(re(`SLO ${humanText(slos.apiLatencyP95)}`)));
    assert.match(pdfText, /NOT MEASURED|measured/);
  });

  it('draws red NOT MEASURED panels for a window with no data, and the report cannot read PASS', async () => {
    const hourBefore = (iso: string) => new Date(new Date(iso).getTime() - 3_600_000).toISOString();
    const c = capture();
    assert.equal(
      await runReport(
        [
          '--artifacts',
          dir,
          '--prometheus',
          prom.url,
          '--start',
          hourBefore(runWindow.start),
          '--end',
          hourBefore(runWindow.end),
        ],
        ROOT,
        c.io,
      ),
      0,
      c.text.err,
    );
    const html = await readFile(join(dir, 'stress-report.html'), 'utf8');
    assert.match(html, /scrape 15s \+ evaluation 15s/, 'intervals read from Prometheus');
    assert.equal(html.match(/class="chart not-measured"/g)?.length, REPORT_SLOS.length);
    assert.match(html, /id="badge">(INCOMPLETE|FAIL)</);
    assert.match(c.text.out, /missing: data for the API p95 latency chart/);
  });
});
