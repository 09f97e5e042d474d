// The one Prometheus client's shared answers: the gate alerts during a window (a range over it, so an
// alert pending only mid-window counts), and the server's intervals with one fallback, which the
// verdict and the report both use.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PromClient } from '../../src/kernel/prometheus-client.js';
import { freePort } from '../../src/kernel/process.js';
import { startPrometheus, waitFor, type RunningPrometheus } from '../../src/live/prometheus.js';
import { scrapeSettings } from '../../src/report/scrape.js';

const RULES = `groups:
  - name: test-gate
    rules:
      - alert: TestMidWindow
        expr: test_flag > 0
        for: 1h
        labels: { gate: release, severity: warning }
      - alert: TestGateNeverTrue
        expr: vector(0) > 1
        labels: { gate: release, severity: critical }
`;

const listen = async (handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; url: string }> => {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}` };
};

describe('the Prometheus client on a real Prometheus', () => {
  let exporter: Server;
  let prom: RunningPrometheus;
  let dir: string;
  let flag = 0;
  before(async () => {
    const e = await listen((_req, res) => res.end(`test_flag ${flag}\n`));
    exporter = e.server;
    dir = await mkdtemp(join(tmpdir(), 'stressgate-client-'));
    await writeFile(join(dir, 'rules.yml'), RULES);
    prom = await startPrometheus({
      config: `global: { scrape_interval: 1s, evaluation_interval: 1s }
rule_files: [${join(dir, 'rules.yml')}]
scrape_configs:
  - { job_name: api, scrape_interval: 2s, static_configs: [{ targets: ['${e.url.slice('http://'.length)}'] }] }
`,
    });
  });
  after(async () => {
    await prom?.stop();
    exporter?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it(
    'gateAlertsDuring sees an alert that was pending only mid-window (an instant query at the end does not)',
    { timeout: 90_000 },
    async () => {
      await waitFor(
        async () => (await prom.client.query('up{job="api"} == 1')).length > 0,
        30_000,
        'the first scrape of the target',
      );
      const start = new Date();
      await new Promise((r) => setTimeout(r, 2_000));
      flag = 1;
      await waitFor(
        async () => (await prom.client.alertState('TestMidWindow')) === 'pending',
        30_000,
        'TestMidWindow pending',
      );
      flag = 0;
      await waitFor(
        async () => (await prom.client.alertState('TestMidWindow')) === 'inactive',
        30_000,
        'TestMidWindow inactive again',
      );
      await new Promise((r) => setTimeout(r, 3_000));
      const end = new Date();

      assert.deepEqual(
        await prom.client.query('ALERTS{gate="release"}', end),
        [],
        'at the end of the window nothing is pending',
      );
      const seen = await prom.client.gateAlertsDuring(start, end);
      assert.deepEqual(
        seen.map((a) => [a.alertname, a.states, a.labels.gate, a.labels.severity]),
        [['TestMidWindow', ['pending'], 'release', 'warning']],
      );
      assert.ok(
        Date.parse(seen[0]!.firstSeen) >= start.getTime() - 5_000 && Date.parse(seen[0]!.firstSeen) < end.getTime(),
        seen[0]!.firstSeen,
      );
      assert.deepEqual(
        await prom.client.gateAlertsDuring(end, new Date(end.getTime() + 1_000)),
        [],
        'a window after it sees nothing',
      );
    },
  );

  it("intervals(): the job's own scrape interval, else the global one, and the evaluation interval, from the config", async () => {
    assert.deepEqual(await prom.client.intervals('api'), {
      scrape: 2,
      evaluation: 1,
      source: `${prom.url}/api/v1/status/config (job api)`,
    });
    assert.equal((await prom.client.intervals('other')).scrape, 1);
    const report = await scrapeSettings(prom.url, 'api');
    assert.deepEqual([report.scrapeSeconds, report.evaluationSeconds], [2, 1], 'the report asks the same question');
  });
});

describe('intervals() when the server says less', () => {
  it("a config without intervals means Prometheus's 1m defaults (the verdict assumed 15 s, the report 1m)", async () => {
    const { server, url } = await listen((_req, res) =>
      res.end(JSON.stringify({ status: 'success', data: { yaml: 'global: {}\nscrape_configs: []\n' } })),
    );
    try {
      assert.deepEqual(await new PromClient(url).intervals(), {
        scrape: 60,
        evaluation: 60,
        source: `${url}/api/v1/status/config (job api)`,
      });
      assert.deepEqual(await scrapeSettings(url, 'api'), {
        scrapeSeconds: 60,
        evaluationSeconds: 60,
        source: `${url}/api/v1/status/config (job api)`,
      });
    } finally {
      server.close();
    }
  });
  it("a hidden config: the target list's interval; nothing at all: the one fallback", async () => {
    const { server, url } = await listen((req, res) => {
      if (req.url?.startsWith('/api/v1/targets'))
        res.end(
          JSON.stringify({
            status: 'success',
            data: { activeTargets: [{ labels: { job: 'api' }, health: 'up', lastError: '', scrapeInterval: '10s' }] },
          }),
        );
      else
        ((res.statusCode = 404), res.end(JSON.stringify({ status: 'error', errorType: 'not_found', error: 'hidden' })));
    });
    try {
      assert.deepEqual(await new PromClient(url).intervals('api'), {
        scrape: 10,
        evaluation: 60,
        source: `${url}/api/v1/targets (job api)`,
      });
    } finally {
      server.close();
    }
    const closed = `http://127.0.0.1:${await freePort()}`;
    assert.deepEqual(await new PromClient(closed).intervals(), {
      scrape: 60,
      evaluation: 60,
      source: 'Prometheus did not say: its 1m defaults assumed',
    });
  });
});
