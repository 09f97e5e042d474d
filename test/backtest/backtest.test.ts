// The backtest on real recorded data: two smoke runs of the real k6 against the reference app on
// real PostgreSQL and Redis with a real Prometheus, one clean and one with 5xx injected (so
// Http5xxRatioHigh goes pending and fails the gate), each recorded by the gate itself (runLoad →
// artifacts/runs/). Then rule changes in a git copy of the project, backtested over both runs.
// Without k6 the suite is skipped with a message, except under CI=true, where a missing k6 fails.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { nodeRunner } from '../../load/node/runner.js';
import { runBacktest, type BacktestReport } from '../../src/backtest/index.js';
import { readRuns, type RecordedRun } from '../../src/backtest/runs.js';
import { createBlocks, plainOpenMetrics, startTsdbServer } from '../../src/backtest/tsdb.js';
import { setFaults } from '../../src/drills/alerts.js';
import { findK6, K6_MISSING } from '../../src/gate/k6-driver/binary.js';
import { runLoad } from '../../src/gate/run.js';
import { startLocalStack, type LocalStack } from '../../src/live/stack.js';
import { projectCopy, ROOT, runCli } from '../helpers.js';

const k6 = await findK6(ROOT);
const CI = process.env.CI === 'true';
const skip =
  k6 || CI ? false : `no k6 found (${K6_MISSING.split('\n')[0]}); set K6_BIN to run the backtest on real runs`;
if (!k6 && CI) it('k6 is installed (required under CI=true)', () => assert.fail(K6_MISSING));

const git = (cwd: string, ...args: string[]) =>
  promisify(execFile)('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd });
const ALERTS = 'infra/prometheus/alerts.yml';
const HTTP_5XX = 'job:http_requests_5xx:ratio_rate5m > 0.005';

describe('backtest over two real recorded smoke runs', { skip }, () => {
  let stack: LocalStack;
  let artifacts: string;
  let project: { dir: string; cleanup: () => Promise<void> };
  let runsDir: string;
  let passing: RecordedRun;
  let failing: RecordedRun;
  const original = () => readFile(join(ROOT, ALERTS), 'utf8');

  const smoke = async () => {
    let printed = '';
    const code = await runLoad(
      ['--runner', 'k6', '--profile', 'smoke', '--duration', '12s', '--target', stack.app.base].concat([
        '--prometheus',
        stack.prometheus.url,
        '--out',
        artifacts,
      ]),
      nodeRunner,
      ROOT,
      (t) => void (printed += t),
    );
    return { code, printed };
  };

  before(async () => {
    stack = await startLocalStack({ root: ROOT, faults: true });
    artifacts = await mkdtemp(join(tmpdir(), 'stressgate-backtest-runs-'));
    runsDir = join(artifacts, 'runs');
    const clean = await smoke();
    assert.match(clean.printed, /Recorded for backtests: /, clean.printed.slice(-2000));
    await setFaults(stack.app.base, { http5xxRatio: 0.2 });
    try {
      const broken = await smoke();
      assert.equal(broken.code, 1, broken.printed.slice(-2000));
    } finally {
      await setFaults(stack.app.base, 'clear');
    }
    const { runs } = await readRuns(runsDir);
    assert.equal(runs.length, 2);
    [passing, failing] = runs as [RecordedRun, RecordedRun];
    project = await projectCopy();
    await git(project.dir, 'init', '-q');
    await git(project.dir, 'add', '.');
    await git(project.dir, 'commit', '-qm', 'base');
  });
  after(async () => {
    await stack?.stop();
    await project?.cleanup();
    if (artifacts) await rm(artifacts, { recursive: true, force: true });
  });

  const backtest = async (alertsYml: string, format = 'json') => {
    await writeFile(join(project.dir, ALERTS), alertsYml);
    let out = '';
    let err = '';
    const code = await runBacktest(['--base', 'HEAD', '--runs', runsDir, '--root', project.dir, '--format', format], {
      out: (s) => void (out += s),
      err: (s) => void (err += s),
    });
    return { code, out, err, report: format === 'json' && code !== 2 ? (JSON.parse(out) as BacktestReport) : null };
  };

  it('each run is recorded with its verdict, failing gate alerts and the rules commit', () => {
    assert.equal(failing.verdict, 'FAIL');
    assert.ok(failing.failingGateAlerts.includes('Http5xxRatioHigh'), JSON.stringify(failing.failingGateAlerts));
    assert.ok(!passing.failingGateAlerts.includes('Http5xxRatioHigh'));
    for (const r of [passing, failing]) {
      assert.equal(r.record.profile, 'smoke');
      assert.match(r.id, /^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ-smoke$/);
      assert.ok(r.record.recorded.series > 0 && r.record.recorded.samples > r.record.recorded.series);
      assert.ok(Date.parse(r.record.recorded.from) <= Date.parse(r.record.window.start));
      assert.match(r.record.rules.commit ?? '', /^[0-9a-f]{40}$/, 'the run was recorded from this checkout');
    }
  });

  it('the export loads with the real promtool and reproduces the values the live Prometheus answered', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'stressgate-replay-'));
    const server = await createBlocks(
      await plainOpenMetrics(passing.metricsPath, join(dir, 'm.om')),
      join(dir, 'data'),
    ).then(() => startTsdbServer(join(dir, 'data'), 3));
    try {
      const start = Date.parse(passing.record.window.start);
      const end = Date.parse(passing.record.window.end);
      const exprs = [
        'sum by (job, status) (http_requests_total{job="api"})',
        'sum by (job) (rate(http_requests_total{route=~"/api/.*"}[5m]))',
        'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket[1m])))',
        'up',
      ];
      for (const at of [start + 5_000, Math.round((start + end) / 2), end]) {
        for (const expr of exprs) {
          const norm = (rows: { metric: Record<string, string>; value: [number, string] }[]) =>
            rows.map((r) => [JSON.stringify(Object.entries(r.metric).sort()), r.value[1]]).sort();
          const live = norm(await stack.prometheus.client.query(expr, new Date(at)));
          const replayed = norm(await server.client.query(expr, new Date(at)));
          assert.ok(live.length > 0, `${expr} at ${new Date(at).toISOString()}: no live value`);
          assert.deepEqual(replayed, live, `${expr} at ${new Date(at).toISOString()}`);
        }
      }
    } finally {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a loosened Http5xxRatioHigh is a weaker gate, proven on the failing run: exit 1', async () => {
    const { code, report, err } = await backtest(
      (await original()).replace(HTTP_5XX, HTTP_5XX.replace('0.005', '0.5')),
    );
    assert.equal(code, 1, err);
    assert.match(err, /backtest: FAILED: .*Http5xxRatioHigh on /);
    assert.deepEqual(
      report!.weaker.map((w) => [w.alert, w.run]),
      [['Http5xxRatioHigh', failing.id]],
    );
    assert.match(report!.weaker[0]!.text, new RegExp(`^weaker gate, proven on run ${failing.id} \\(recorded FAIL\\)`));
    const onFailing = report!.results.find((r) => r.run === failing.id && r.alert === 'Http5xxRatioHigh')!;
    assert.ok(onFailing.base!.activeEpisodes > 0 && onFailing.base!.activeSeconds > 0, JSON.stringify(onFailing));
    assert.equal(onFailing.head!.activeEpisodes, 0);
    assert.equal(onFailing.recorded, true, 'the replayed base agrees with the recorded verdict');
    const gate = report!.gates.find((g) => g.run === failing.id)!;
    assert.ok(!gate.headGateAlerts.includes('Http5xxRatioHigh') && gate.baseGateAlerts.includes('Http5xxRatioHigh'));
    assert.deepEqual(report!.stricter, []);
    const md = await backtest((await original()).replace(HTTP_5XX, HTTP_5XX.replace('0.005', '0.5')), 'markdown');
    assert.match(
      md.out,
      new RegExp(`### ⚠ Weaker gates\\n\\n- \\*\\*Http5xxRatioHigh\\*\\*: weaker gate, proven on run ${failing.id}`),
    );
  });

  it('a tightened Http5xxRatioHigh that fires on the passing run is flagged stricter: exit 0', async () => {
    const { code, report, err } = await backtest(
      (await original()).replace(HTTP_5XX, 'job:http_requests_5xx:ratio_rate5m >= 0'),
    );
    assert.equal(code, 0, err);
    assert.deepEqual(report!.weaker, []);
    const mine = report!.stricter.find((s) => s.run === passing.id);
    assert.ok(mine, JSON.stringify(report!.stricter));
    assert.match(mine.text, passing.verdict === 'PASS' ? /^stricter gate: would have failed run / : /^stricter gate: /);
    assert.ok(report!.gates.find((g) => g.run === passing.id)!.headGateAlerts.includes('Http5xxRatioHigh'));
  });

  it('an unchanged rule set (an annotation edited) reports nothing and reads no run', async () => {
    const { code, report, err } = await backtest(
      (await original()).replace('The API answers too many', 'The API answers many'),
    );
    assert.equal(code, 0, err);
    assert.deepEqual(
      [report!.alerts, report!.results, report!.weaker, report!.stricter, report!.runs],
      [[], [], [], [], []],
    );
    assert.match(err, /no alert or recording rule changed how it fires/);
  });

  it('through the CLI: a weaker gate exits 1; a run.json with a bad field exits 2 naming the file and field', async () => {
    await writeFile(join(project.dir, ALERTS), (await original()).replace(HTTP_5XX, HTTP_5XX.replace('0.005', '0.5')));
    const ok = await runCli(['backtest', '--base', 'HEAD', '--runs', runsDir, '--root', project.dir]);
    assert.equal(ok.code, 1, ok.stderr);
    assert.match(ok.stdout, /weaker gate, proven on run /);
    const broken = await mkdtemp(join(tmpdir(), 'stressgate-broken-runs-'));
    try {
      await cp(runsDir, broken, { recursive: true });
      const file = join(broken, passing.id, 'run.json');
      await writeFile(
        file,
        (await readFile(file, 'utf8'))
          .replace('"verdict": "PASS"', '"verdict": "MAYBE"')
          .replace('"verdict": "FAIL"', '"verdict": "MAYBE"'),
      );
      const bad = await runCli(['backtest', '--base', 'HEAD', '--runs', broken, '--root', project.dir]);
      assert.equal(bad.code, 2, bad.stderr);
      assert.match(bad.stderr, new RegExp(`${passing.id}/run\\.json: field "verdict"`));
      assert.doesNotMatch(bad.stderr, /\n\s+at /, 'no stack trace');
    } finally {
      await rm(broken, { recursive: true, force: true });
    }
  });
});
