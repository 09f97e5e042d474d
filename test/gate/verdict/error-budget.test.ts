// The error budget a run consumed, computed by a real Prometheus from a target whose counters grow at
// known rates: 10% of API requests fail (20× a 0.5% budget), 2% of requests are slower than the
// latency SLO's bucket (0.4× a 5% budget), a probe route fails all the time (and must not count), and
// nothing else. The bucket, budgets and objectives are read from src/slos/.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { freePort, sleep } from '../../../src/kernel/process.js';
import { startPrometheus, type RunningPrometheus } from '../../../src/live/prometheus.js';
import { productionSlo } from '../../../src/slos/burn-rate.js';
import { errorBudgetConsumed, errorBudgetMarkdown } from '../../../src/gate/verdict/error-budget.js';
import { promNumber, re, slos } from '../../slo-values.js';

const PER_SECOND = 100;
/** The latency SLO's bucket: requests at or under it are good events. */
const LE = promNumber(slos.apiLatencyP95);
const started = Date.now();

/** Counters as a real service would expose them, growing with time. */
function exposition(): string {
  const t = Math.floor((Date.now() - started) / 100) / 10; // tenths of a second
  const n = (perSecond: number) => (perSecond * t).toFixed(1);
  return [
    '# TYPE http_requests_total counter',
    `http_requests_total{method="GET",route="/api/posts",status="200"} ${n(PER_SECOND * 0.9)}`,
    `http_requests_total{method="GET",route="/api/posts",status="503"} ${n(PER_SECOND * 0.1)}`,
    `http_requests_total{method="GET",route="/readyz",status="503"} ${n(PER_SECOND)}`,
    '# TYPE http_request_duration_seconds histogram',
    `http_request_duration_seconds_bucket{method="GET",route="/api/posts",le="${LE}"} ${n(PER_SECOND * 0.98)}`,
    `http_request_duration_seconds_bucket{method="GET",route="/api/posts",le="+Inf"} ${n(PER_SECOND)}`,
    `http_request_duration_seconds_count{method="GET",route="/api/posts"} ${n(PER_SECOND)}`,
    `http_request_duration_seconds_bucket{method="GET",route="/healthz",le="${LE}"} 0`,
    `http_request_duration_seconds_bucket{method="GET",route="/healthz",le="+Inf"} ${n(PER_SECOND)}`,
    `http_request_duration_seconds_count{method="GET",route="/healthz"} ${n(PER_SECOND)}`,
    '',
  ].join('\n');
}

describe('error budget consumed by a run (real Prometheus)', () => {
  let server: Server;
  let prom: RunningPrometheus;
  before(async () => {
    const port = await freePort();
    server = createServer((_req, res) => res.end(exposition()));
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
    prom = await startPrometheus({
      config: `global: { scrape_interval: 1s, evaluation_interval: 1s }\nscrape_configs:\n  - job_name: api\n    static_configs: [{ targets: ['127.0.0.1:${port}'] }]\n`,
    });
  });
  after(async () => {
    await prom?.stop();
    server?.close();
  });

  it('reports error ratio, burn rate and the share of the 30-day budget per SLO; no events is not zero', async () => {
    const start = new Date();
    await sleep(8_000);
    const end = new Date();
    const report = await errorBudgetConsumed(prom.client, start, end);
    const row = (id: string) => report.slos.find((s) => s.slo === id)!;
    const seconds = report.window.seconds;
    assert.ok(seconds >= 8 && seconds <= 9, `${seconds}`);

    const http = row('http-5xx-ratio');
    assert.ok(
      Math.abs(http.errorRatio! - 0.1) < 0.01,
      `5xx ratio ${http.errorRatio} (the /readyz probe must not count)`,
    );
    const httpBurn = 0.1 / productionSlo(slos.http5xxRatio)!.budget;
    assert.ok(Math.abs(http.burnRate! - httpBurn) < httpBurn / 10, `burn ${http.burnRate}`);
    assert.ok(Math.abs(http.budgetConsumed! - (http.burnRate! * seconds) / 2_592_000) < 1e-12);

    const latency = row('api-latency-p95');
    assert.ok(
      Math.abs(latency.errorRatio! - 0.02) < 0.005,
      `slow share ${latency.errorRatio} (the /healthz probe must not count)`,
    );
    const latencyBurn = 0.02 / productionSlo(slos.apiLatencyP95)!.budget;
    assert.ok(Math.abs(latency.burnRate! - latencyBurn) < latencyBurn / 4, `burn ${latency.burnRate}`);

    for (const id of ['auth-failure-ratio', 'chat-delivery-p95', 'notification-delivery-p95']) {
      assert.equal(row(id).errorRatio, null, `${id}: no events means not measured, never 0`);
      assert.equal(row(id).budgetConsumed, null);
    }

    const md = errorBudgetMarkdown(report).join('\n');
    const objective = (slo: (typeof slos)[keyof typeof slos]) =>
      re(`| ${slo.id} | ${slo.production!.objective} over ${slo.production!.period} | `);
    assert.match(
      md,
      new RegExp(
        objective(slos.http5xxRatio) +
          /\d+ \| (9\.\d+|10(\.\d+)?|11(\.\d+)?)% \| \d+(\.\d+)?× \| [\d.e-]+% of 30d \|/.source,
      ),
    );
    assert.match(md, new RegExp(objective(slos.authFailureRatio) + re('0 | no events measured | – | – |')));
  });
});
