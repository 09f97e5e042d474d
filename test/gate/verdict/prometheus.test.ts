// The verdict's Prometheus side on a real Prometheus (1 s scrapes): a target whose 5xx ratio breaches
// the SLO over the window, no histogram at all (NOT MEASURED), the gate's recording rules not loaded
// (blind SLIs), a gate alert that stays pending, and Prometheus scraping itself for rule failures.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ruleEvaluationFailures } from '../../../src/gate/verdict/evidence.js';
import { gateAlertFailures } from '../../../src/gate/verdict/gate-alerts.js';
import { judgeSlis } from '../../../src/gate/verdict/prometheus-slis.js';
import { settledWindow } from '../../../src/gate/verdict/window.js';
import { startPrometheus, waitFor, type RunningPrometheus } from '../../../src/live/prometheus.js';
import { slos } from '../../slo-values.js';

const RULES = `groups:
  - name: test-gate
    rules:
      - alert: TestGateStaysPending
        expr: vector(1)
        for: 1h
        labels: { gate: release, severity: critical }
      - alert: TestGateNeverTrue
        expr: vector(0) > 1
        labels: { gate: release, severity: critical }
`;

describe('verdict on a real Prometheus', () => {
  let exporter: Server;
  let prom: RunningPrometheus;
  let dir: string;
  const t0 = Date.now();
  before(async () => {
    // 10 requests/s, one in eleven a 503: a 9% 5xx ratio, far above the 5xx SLO.
    exporter = createServer((_req, res) => {
      const s = (Date.now() - t0) / 1000;
      res.end(
        `http_requests_total{method="GET",route="/api/posts",status="200"} ${Math.floor(10 * s)}\nhttp_requests_total{method="GET",route="/api/posts",status="503"} ${Math.floor(s)}\n`,
      );
    });
    await new Promise<void>((r) => exporter.listen(0, '127.0.0.1', r));
    const port = (exporter.address() as { port: number }).port;
    dir = await mkdtemp(join(tmpdir(), 'stressgate-verdict-prom-'));
    await writeFile(join(dir, 'rules.yml'), RULES);
    prom = await startPrometheus({
      config: (self) => `global: { scrape_interval: 1s, evaluation_interval: 1s }
rule_files: [${join(dir, 'rules.yml')}]
scrape_configs:
  - { job_name: api, static_configs: [{ targets: ['127.0.0.1:${port}'] }] }
  - { job_name: prometheus, static_configs: [{ targets: ['127.0.0.1:${self}'] }] }
`,
    });
  });
  after(async () => {
    await prom?.stop();
    exporter?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it(
    'judges the SLIs over the whole window, finds blind SLIs, pending gate alerts and rule failures',
    { timeout: 90_000 },
    async () => {
      await waitFor(
        async () => (await prom.client.query('up{job="api"} == 1')).length > 0,
        30_000,
        'the first scrape of the target',
      );
      const start = new Date();
      await new Promise((r) => setTimeout(r, 5_000));
      const end = new Date();
      const w = await settledWindow(prom.client, start, end);
      assert.deepEqual(w.failures, []);
      assert.ok(w.end.getTime() > end.getTime() && w.start.getTime() < start.getTime(), 'padded around the run');

      const { slis, recordingRules, failures } = await judgeSlis(
        prom.client,
        [
          { slo: slos.http5xxRatio.id, bound: slos.http5xxRatio.threshold },
          { slo: slos.apiLatencyP95.id, bound: slos.apiLatencyP95.threshold },
        ],
        w,
      );
      const ratio = slis.find((s) => s.slo === 'http-5xx-ratio')!;
      assert.equal(ratio.outcome, 'FAIL');
      assert.ok(ratio.value! > 0.07 && ratio.value! < 0.11, `ratio ${ratio.value}`);
      assert.ok(ratio.samples > 40, `events ${ratio.samples}`);
      assert.deepEqual(slis.find((s) => s.slo === 'api-latency-p95')!.outcome, 'NOT MEASURED');
      assert.deepEqual(
        recordingRules.map((r) => r.samples),
        [0, 0],
        'no recording rules loaded: the gate SLIs are blind',
      );
      assert.deepEqual(failures.map((f) => `${f.source} ${f.subject}`).sort(), [
        'evidence job:http_request_duration_seconds:p95_rate10m',
        'evidence job:http_requests_5xx:ratio_rate5m',
        'prometheus-sli api-latency-p95',
        'prometheus-sli http-5xx-ratio',
      ]);

      const alerts = await gateAlertFailures(prom.client, w.start, w.end);
      assert.deepEqual(
        alerts.alerts.map((a) => [a.alertname, a.states]),
        [['TestGateStaysPending', ['pending']]],
      );
      assert.match(alerts.failures[0]!.reason, /^pending during the run/);

      const rules = await ruleEvaluationFailures(prom.client, w.end, w.seconds);
      assert.deepEqual([rules.count, rules.failures], [0, []]);
    },
  );
});
