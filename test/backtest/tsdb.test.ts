// OpenMetrics written by the recorder, loaded by the real promtool into blocks and served by a real
// Prometheus over them (src/backtest/tsdb.ts): every sample comes back at its millisecond, with its
// value, across a 2 h block boundary; a file promtool refuses is an error naming it.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { omDocument, type OmSeries } from '../../src/gate/recording/openmetrics.js';
import {
  createBlocks,
  plainOpenMetrics,
  ReplayError,
  startTsdbServer,
  type TsdbServer,
} from '../../src/backtest/tsdb.js';

// Across the 2 h block boundary at 2026-01-01T02:00:00Z, odd milliseconds.
const T = Date.parse('2026-01-01T01:59:50.007Z');
const series: OmSeries[] = [
  {
    labels: { __name__: 'http_requests_total', job: 'api', route: '/api/"x"' },
    samples: Array.from({ length: 20 }, (_, i) => [T + i * 1000 + (i % 3), String(i * 10)] as const),
  },
  {
    labels: { __name__: 'job:ratio', job: 'api' },
    samples: [
      [T + 5_000, '0.25'],
      [T + 6_000, 'NaN'],
    ],
  },
];

describe('recorded OpenMetrics through promtool and Prometheus', () => {
  let dir: string;
  let server: TsdbServer | undefined;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'stressgate-tsdb-'));
    await writeFile(join(dir, 'm.om'), omDocument(series));
    await createBlocks(join(dir, 'm.om'), join(dir, 'data'));
    server = await startTsdbServer(join(dir, 'data'), 3);
  });
  after(async () => {
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('every sample is served back at its millisecond with its value', async () => {
    const end = new Date(T + 30_000);
    const got = await server!.client.query('http_requests_total[40s]', end);
    const values = (got[0] as unknown as { values: [number, string][] }).values;
    assert.deepEqual(
      values.map(([t, v]) => [Math.round(t * 1000), v]),
      series[0]!.samples.map(([t, v]) => [t, v]),
    );
    assert.equal(got[0]!.metric.route, '/api/"x"');
    const ratio = await server!.client.query('job:ratio', new Date(T + 5_500));
    assert.equal(ratio[0]!.value[1], '0.25');
  });

  it('the lookback is the one given: a series ends a few seconds after its last sample', async () => {
    assert.equal((await server!.client.query('job:ratio', new Date(T + 6_000 + 2_000))).length, 1);
    assert.equal((await server!.client.query('job:ratio', new Date(T + 6_000 + 4_000))).length, 0);
  });

  it('plainOpenMetrics keeps only the families a backtest reads, gunzipping a .gz recording', async () => {
    const gz = join(dir, 'm.om.gz');
    await writeFile(gz, gzipSync(omDocument(series)));
    const kept = await readFile(await plainOpenMetrics(gz, join(dir, 'kept.om'), new Set(['job:ratio'])), 'utf8');
    assert.equal(kept, omDocument([series[1]!]));
    const all = await readFile(await plainOpenMetrics(gz, join(dir, 'all.om')), 'utf8');
    assert.equal(all, omDocument(series));
  });

  it('a file without # EOF is refused by promtool, naming the file', async () => {
    await writeFile(join(dir, 'bad.om'), 'm 1 1.0005\n');
    await assert.rejects(createBlocks(join(dir, 'bad.om'), join(dir, 'bad')), (e: Error) => {
      assert.ok(e instanceof ReplayError);
      assert.match(e.message, /bad\.om.*# EOF/);
      return true;
    });
  });
});
