// recordRun against a real Prometheus scraping itself with one recording rule and one gate alert:
// the archive directory by the run's start and profile, the metrics file (gzipped over the limit)
// that the real promtool loads, without ALERTS or the recording rule's output, run.json from the
// verdict, no temporary file left; a run that cannot be recorded is reported, never thrown.
import assert from 'node:assert/strict';
import { runDirName } from '../../../src/gate/run-archive.js';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { createBlocks, plainOpenMetrics } from '../../../src/backtest/tsdb.js';
import { parseRunRecord, recordRun, recordRunReported } from '../../../src/gate/recording/index.js';
import type { Verdict } from '../../../src/gate/verdict/schema.js';
import { startPrometheus, waitFor, type RunningPrometheus } from '../../../src/live/prometheus.js';

const RULES = `groups:
  - name: g
    rules:
      - record: job:up:sum
        expr: sum by (job) (up)
      - alert: SelfUp
        expr: up{job="prometheus"} == 1 and on () rate(prometheus_http_requests_total[30s]) >= 0
        for: 2s
        labels: { gate: release }
`;

/** The fields of a verdict the recorder reads. */
const verdictOf = (url: string, start: Date, end: Date, verdict: 'PASS' | 'FAIL', gateAlerts: string[]) =>
  ({
    profile: 'unit',
    verdict,
    window: { start: start.toISOString(), end: end.toISOString() },
    prometheus: { url, window: { start: start.toISOString(), end: end.toISOString(), seconds: 1 } },
    failures: [
      ...gateAlerts.map((subject) => ({ source: 'gate-alert', subject, reason: 'pending' })),
      { source: 'k6', subject: 'checks', reason: 'low' },
    ],
  }) as unknown as Verdict;

describe('recordRun on a real Prometheus', () => {
  let prom: RunningPrometheus;
  let artifacts: string;
  before(async () => {
    artifacts = await mkdtemp(join(tmpdir(), 'stressgate-record-'));
    await writeFile(join(artifacts, 'rules.yml'), RULES);
    prom = await startPrometheus({
      config: (port) =>
        `global: { scrape_interval: 1s, evaluation_interval: 1s }\nrule_files: [${join(artifacts, 'rules.yml')}]\nscrape_configs:\n  - job_name: prometheus\n    static_configs: [{ targets: ['127.0.0.1:${port}'] }]\n`,
    });
    await waitFor(async () => (await prom.client.query('job:up:sum')).length > 0, 20_000, 'the recording rule');
    await waitFor(async () => (await prom.client.query('ALERTS')).length > 0, 20_000, 'the alert');
  });
  after(async () => {
    await prom?.stop();
    await rm(artifacts, { recursive: true, force: true });
  });

  it('writes metrics and run.json in the run directory, all or nothing, as promtool loads them', async () => {
    const end = new Date();
    const start = new Date(end.getTime() - 3_000);
    const r = await recordRun({
      artifacts,
      verdict: verdictOf(prom.url, start, end, 'FAIL', ['SelfUp']),
      jobs: ['prometheus'],
      gzipAboveBytes: 0,
    });
    assert.ok(r);
    assert.equal(r.dir, join(artifacts, 'runs', runDirName(start, 'unit')));
    assert.deepEqual((await readdir(r.dir)).sort(), ['metrics.om.gz', 'run.json'], 'no temporary file left');
    const record = parseRunRecord(await readFile(join(r.dir, 'run.json'), 'utf8'), 'run.json');
    assert.deepEqual(
      [record.verdict, record.failingGateAlerts, record.failedSources, record.recorded.metricsFile],
      ['FAIL', ['SelfUp'], ['gate-alert', 'k6'], 'metrics.om.gz'],
    );
    assert.equal(record.recorded.lookbackSeconds, 32, 'SelfUp: for 2s + its 30s window');
    assert.equal(record.recorded.from, new Date(start.getTime() - 32_000).toISOString());
    assert.equal(record.recorded.evaluationIntervalSeconds, 1);
    const text = gunzipSync(await readFile(join(r.dir, 'metrics.om.gz'))).toString();
    const names = new Set(text.split('\n').map((l) => /^[^{ ]*/.exec(l)![0]));
    assert.ok(names.has('up') && names.has('prometheus_http_requests_total'), [...names].slice(0, 5).join());
    for (const never of ['ALERTS', 'ALERTS_FOR_STATE', 'job:up:sum']) assert.ok(!names.has(never), never);
    assert.ok(text.endsWith('# EOF\n'));
    const lines = text.split('\n').filter((l) => l && !l.startsWith('#'));
    const series = new Set(lines.map((l) => l.slice(0, l.lastIndexOf(' ', l.lastIndexOf(' ') - 1))));
    assert.deepEqual([record.recorded.series, record.recorded.samples], [series.size, lines.length]);
    await createBlocks(
      await plainOpenMetrics(join(r.dir, 'metrics.om.gz'), join(artifacts, 'm.om')),
      join(artifacts, 'blocks'),
    );
  });

  it('keeps a small recording plain; without Prometheus evidence records nothing; an unreachable server is reported', async () => {
    const end = new Date();
    const small = await recordRun({
      artifacts,
      verdict: verdictOf(prom.url, new Date(end.getTime() - 1_000), end, 'PASS', []),
      jobs: ['prometheus'],
    });
    assert.equal(small?.record.recorded.metricsFile, 'metrics.om');
    assert.equal(
      await recordRun({ artifacts, verdict: { ...verdictOf(prom.url, end, end, 'PASS', []), prometheus: null } }),
      null,
    );
    let printed = '';
    await recordRunReported(
      { artifacts, verdict: verdictOf('http://127.0.0.1:9', new Date(end.getTime() - 1_000), end, 'PASS', []) },
      (t) => void (printed += t),
    );
    assert.match(printed, /This run was not recorded for backtests: Prometheus at http:\/\/127\.0\.0\.1:9 unreachable/);
  });
});
