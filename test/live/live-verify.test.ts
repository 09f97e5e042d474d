// Live verification on real data: PostgreSQL, Redis, the reference app and a real Prometheus (1 s
// scrapes, the committed rules) started by the test; the smoke load; every panel, rule and alert
// checked through Prometheus's HTTP API. And a dashboard broken on purpose is caught by name.
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Alert } from '../../src/constructs/rules.js';
import { app } from '../../src/definitions.js';
import { findK6 } from '../../src/gate/k6-driver/binary.js';
import { liveVerify, runLiveVerify } from '../../src/live/index.js';
import { startLocalStack, type LocalStack } from '../../src/live/stack.js';
import { ROOT } from '../helpers.js';

describe('live-verify: the committed dashboards and rules on real data', () => {
  let out: string;
  before(async () => {
    out = await mkdtemp(join(tmpdir(), 'stressgate-live-'));
  });
  after(async () => {
    await rm(out, { recursive: true, force: true });
  });

  it('passes on the real project (own stack, smoke load) and writes the coverage table', async () => {
    let printed = '';
    const code = await runLiveVerify(['--root', ROOT, '--out', out, '--hold', '12s'], {
      out: (t) => void (printed += t),
      err: (t) => void (printed += t),
    });
    assert.equal(code, 0, printed);
    const md = await readFile(join(out, 'signal-coverage.md'), 'utf8');
    const json = JSON.parse(await readFile(join(out, 'signal-coverage.json'), 'utf8'));
    assert.match(md, /\| http-traffic \| `http_requests_total` \|/);
    assert.equal(json.pass, true);
    assert.deepEqual(json.findings, []);
    // every Prometheus target returned series, except the ones that only exist while something fails
    const prom = json.panels.filter((p: { datasource: string }) => p.datasource === 'prometheus');
    assert.ok(prom.length >= 40, `panel targets: ${prom.length}`);
    for (const p of prom)
      assert.ok(
        p.status === 'ok' || p.status === 'idle' || (p.status === 'skipped' && p.panel.startsWith('k6 ')),
        `${p.dashboard} / ${p.panel}: ${p.status}`,
      );
    // Of the targets this run can feed (the k6 panels are skipped without k6), all but a few return
    // series: the slack is the targets that only have series while something fails (idle).
    const fed = prom.filter((p: { status: string }) => p.status !== 'skipped');
    assert.ok(
      fed.filter((p: { status: string }) => p.status === 'ok').length >= fed.length - 5,
      `ok ${fed.filter((p: { status: string }) => p.status === 'ok').length} of ${fed.length}`,
    );
    for (const r of json.rules) assert.notEqual(r.status, 'error', `${r.name}: ${r.error}`);
    assert.equal(
      json.rules.filter((r: { kind: string }) => r.kind === 'alert').length,
      app.findAll(Alert).length,
      'every defined alert evaluated',
    );
    assert.ok(json.load.checksRate > 0.99);
    // With k6 the load runs on it and writes into Prometheus: the release-gate dashboard's k6 panels are proven.
    const k6Panels = prom.filter((p: { panel: string }) => p.panel.startsWith('k6 '));
    assert.ok(k6Panels.length >= 6, `k6 panels: ${k6Panels.length}`);
    if (await findK6(ROOT)) {
      assert.match(json.load.runner, /^k6 v/);
      for (const p of k6Panels) assert.equal(p.status, 'ok', `${p.panel}: ${p.status}`);
    } else for (const p of k6Panels) assert.equal(p.status, 'skipped', `${p.panel}: without k6`);
    assert.match(printed, /live-verify: PASS/);
    assert.deepEqual(json.gateAlertsDuringRun, [], 'no false alarm on a clean run');
    assert.ok(json.loki.targets.length >= 1, 'the log panels were checked');
    assert.match(md, /## Loki readiness/);
  });

  describe('with a dashboard query broken on purpose (a label value that never occurs)', () => {
    let stack: LocalStack;
    let broken: string;
    before(async () => {
      stack = await startLocalStack({ root: ROOT });
      broken = join(out, 'dashboards');
      await cp(join(ROOT, 'infra/grafana/provisioning/dashboards'), broken, { recursive: true });
      const file = join(broken, 'api-overview.json');
      const text = await readFile(file, 'utf8');
      const needle =
        'sum by (route) (rate(http_requests_total{job=~\\"$job\\", route=~\\"/api/.*\\"}[$__rate_interval]))';
      assert.ok(text.includes(needle), 'the panel to break is in api-overview.json');
      await writeFile(
        file,
        text.replace(
          needle,
          'sum by (route) (rate(http_requests_total{job=~\\"$job\\", route=\\"/api/never-served\\"}[$__rate_interval]))',
        ),
      );
    });
    after(async () => {
      await stack?.stop();
    });

    it('fails naming the dashboard, the panel and the target (given PROMETHEUS_URL and TARGET_URL)', async () => {
      const result = await liveVerify({
        root: ROOT,
        prometheusUrl: stack.prometheus.url,
        targetUrl: stack.app.base,
        dashboardsDir: broken,
        hold: '8s',
      });
      const { report } = result;
      assert.equal(report.pass, false);
      assert.deepEqual(
        report.findings.map((f) => `${f.rule}: ${f.object}`),
        ['live-panel-empty: dashboard api-overview / panel 2 "Request rate by route" / target A'],
      );
      assert.match(report.findings[0]!.message, /route="\/api\/never-served"/);
      assert.match(report.findings[0]!.file, /dashboards\/api-overview\.json$/);
    });
  });
});
