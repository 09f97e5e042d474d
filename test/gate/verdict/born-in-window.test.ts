// A counter series born inside the run window, on a real Prometheus (1 s scrapes): a burst of 503s
// that creates its series and then stops. increase() reads that series from its first sample on, so
// the burst counts as nothing and a breaching run would read clean; the verdict counts it from 0.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { errorRatio } from '../../../src/promql/functions.js';
import { judgeSlis } from '../../../src/gate/verdict/prometheus-slis.js';
import { settledWindow } from '../../../src/gate/verdict/window.js';
import { startPrometheus, waitFor, type RunningPrometheus } from '../../../src/live/prometheus.js';
import { metrics } from '../../../src/catalog/index.js';
import { slos } from '../../slo-values.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const BURST = 40;

describe('a 5xx series born inside the run window', () => {
  let exporter: Server;
  let prom: RunningPrometheus;
  let born = false;
  const t0 = Date.now();
  before(async () => {
    // 10 successful requests/s throughout; once `born`, a 503 series that already counts BURST and never moves.
    exporter = createServer((_req, res) => {
      const ok = Math.floor((10 * (Date.now() - t0)) / 1000);
      const lines = [`http_requests_total{method="GET",route="/api/posts",status="200"} ${ok}`];
      if (born) lines.push(`http_requests_total{method="GET",route="/api/posts",status="503"} ${BURST}`);
      res.end(`${lines.join('\n')}\n`);
    });
    await new Promise<void>((r) => exporter.listen(0, '127.0.0.1', r));
    const port = (exporter.address() as { port: number }).port;
    prom = await startPrometheus({
      config: () => `global: { scrape_interval: 1s, evaluation_interval: 1s }
scrape_configs:
  - { job_name: api, static_configs: [{ targets: ['127.0.0.1:${port}'] }] }
`,
    });
  });
  after(async () => {
    await prom?.stop();
    exporter?.close();
  });

  it(
    'counts the burst from 0: the run FAILs the 5xx SLO, where increase() reads 0 errors',
    { timeout: 90_000 },
    async () => {
      await waitFor(async () => (await prom.client.query('up{job="api"} == 1')).length > 0, 30_000, 'the first scrape');
      await sleep(4_000); // the 200s series exists before the window: it must count as it grows, not as born
      const start = new Date();
      await sleep(3_000);
      born = true;
      await sleep(4_000);
      const end = new Date();
      const w = await settledWindow(prom.client, start, end);
      assert.deepEqual(w.failures, []);

      // The input is the one this check exists for: extrapolated increase() sees no errors at all.
      const range = `${w.seconds}s`;
      const errors = metrics.httpRequests.select({ job: 'api', status: { op: '=~', value: '5..' } });
      const total = metrics.httpRequests.select({ job: 'api' });
      const byIncrease = await prom.client.query(errorRatio(errors, total, range, ['job'], 'increase').text, w.end);
      assert.equal(Number(byIncrease[0]?.value[1]), 0, 'increase() misses a series born in the window');

      const { slis } = await judgeSlis(
        prom.client,
        [{ slo: slos.http5xxRatio.id, bound: slos.http5xxRatio.threshold }],
        w,
      );
      const ratio = slis[0]!;
      assert.equal(ratio.outcome, 'FAIL', JSON.stringify(ratio));
      assert.ok(ratio.samples >= BURST + 50 && ratio.samples <= BURST + 200, `events ${ratio.samples}`);
      assert.ok(ratio.value! > 0.15 && ratio.value! < 0.5, `ratio ${ratio.value}`);
    },
  );
});
