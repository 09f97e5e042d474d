// The stress report: the template filled from artifacts, and the HTML page rendered in a real
// headless Chromium with its charts drawn (a screenshot is kept in artifacts/).
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { chromium } from 'playwright-core';
import { loadProfile } from '../src/gate/profile.js';
import { writeVerdict } from '../src/gate/verdict.js';
import { verdictOf } from './fixtures/verdicts.js';
import { lineChartSvg } from '../src/report/chart.js';
import { CHARTS, fillTemplate, readArtifacts, reportHtml } from '../src/report/index.js';
import { ROOT } from './helpers.js';

async function artifactsFixture(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'stressgate-report-'));
  const profile = await loadProfile(join(ROOT, 'load/profiles/moderate.json'));
  await writeVerdict(dir, verdictOf(profile));
  await mkdir(join(dir, 'drills'));
  await writeFile(join(dir, 'drills/redis.json'), JSON.stringify({ readinessFlipSeconds: 1.2, recoverySeconds: 4.8, messagesLost: 0 }));
  return dir;
}

describe('stress report', () => {
  it('fills every placeholder of the template from the artifacts', async () => {
    const dir = await artifactsFixture();
    try {
      const template = await readFile(join(ROOT, 'docs/final-testing/stress-test-report-template.md'), 'utf8');
      const md = fillTemplate(template, await readArtifacts(dir, 'v1.4.0', 'staging'));
      assert.doesNotMatch(md, /\{\{\w+\}\}/, 'no placeholder left');
      assert.match(md, /\| \*\*Verdict\*\* \| \*\*PASS\*\* \|/);
      assert.match(md, /\| api-latency-p95 \| ≤ 300ms \| 182 ms \| 3710 \| 170 ms \| 900 \| PASS \|/);
      assert.match(md, /### redis\n\n\| measure \| value \|\n\|---\|---\|\n\| readinessFlipSeconds \| 1\.2 \|/);
      assert.match(md, /No coverage in artifacts\/signal-coverage\.md/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('renders its charts in headless Chromium', async () => {
    const now = 1_790_000_000;
    const series = (f: (i: number) => number) => [{ name: 'api', points: Array.from({ length: 60 }, (_, i) => [now + i * 10, f(i)] as const) }];
    const charts = CHARTS.map((c, k) => lineChartSvg({ title: c.title, threshold: c.threshold, format: c.format, series: k === 3 ? [] : series((i) => c.threshold * (0.5 + 0.4 * Math.sin(i / 6))) }));
    const html = reportHtml('# report', charts, 'PASS');
    const dir = join(ROOT, 'artifacts');
    await mkdir(dir, { recursive: true });
    const file = join(dir, 'stress-report.test.html');
    await writeFile(file, html);
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1000, height: 1400 } });
      await page.goto(`file://${file}`);
      assert.equal(await page.locator('svg.chart').count(), 4);
      assert.equal(await page.locator('#verdict').textContent(), 'PASS');
      // Three charts with data draw a line with real extent; the one without says so.
      const boxes = await page.locator('svg.chart path.series').evaluateAll((paths) => paths.map((p) => (p as SVGPathElement).getBBox().width));
      assert.equal(boxes.length, 3);
      assert.ok(boxes.every((w) => w > 500), `line widths ${boxes}`);
      assert.equal(await page.locator('svg.chart .threshold').count(), 3);
      assert.equal(await page.locator('svg.chart text.no-data').count(), 1);
      await page.screenshot({ path: join(dir, 'stress-report.png'), fullPage: true });
    } finally {
      await browser.close();
    }
  });
});

describe('stress report charts from a real Prometheus', () => {
  it('range-queries each SLO indicator over a run window', async () => {
    const { startDeps, startApp } = await import('./reference-app/harness.js');
    const { liveConfig, startPrometheus } = await import('../src/live/prometheus.js');
    const { rangeSeries } = await import('../src/report/index.js');
    const deps = await startDeps();
    const app = await startApp(deps);
    const committed = await readFile(join(ROOT, 'infra/prometheus/prometheus.yml'), 'utf8');
    const prom = await startPrometheus({
      config: (port) => liveConfig(committed, join(ROOT, 'infra/prometheus'), { target: `127.0.0.1:${app.port}`, self: `127.0.0.1:${port}`, interval: '1s' }),
    });
    try {
      // Scraping starts after target discovery: wait (bounded) for the app's first sample.
      for (let i = 0; i < 50 && !(await prom.client.query('up{job="api"} == 1')).length; i++) await new Promise((r) => setTimeout(r, 200));
      const start = new Date();
      // A few seconds of real traffic, bounded: 40 signups spread over ~6 s.
      for (let i = 0; i < 40; i++) {
        await app.api.signup();
        await new Promise((r) => setTimeout(r, 150));
      }
      await new Promise((r) => setTimeout(r, 3000));
      const series = await rangeSeries(prom.url, CHARTS[0]!.expr.text, start, new Date());
      assert.ok(series.length === 1 && series[0]!.points.length >= 3, JSON.stringify(series));
      assert.ok(series[0]!.points.every(([, v]) => v > 0 && v < 10), 'p95 latency in seconds');
      // The verdict's Prometheus side reads the same server: no gate alert fired, memory measured.
      const { gateAlertsDuring } = await import('../src/gate/verdict/gate-alerts.js');
      const { stabilityOf } = await import('../src/gate/verdict/stability.js');
      assert.deepEqual((await gateAlertsDuring(prom.client, start, new Date())).alerts, []);
      const stability = await stabilityOf(prom.url, start, new Date());
      assert.ok(stability.memoryBytes && stability.memoryBytes.first > 10e6, JSON.stringify(stability));
      assert.ok(stability.errorRatio && stability.errorRatio.secondHalf === 0, JSON.stringify(stability));
    } finally {
      await prom.stop();
      await app.stop();
      await deps.dispose();
    }
  });
});
