// Several k6 instances, one verdict (issue 12, parts 1 and 3). Without services: k6's segment
// arguments, and the summary merge that sums counts and rates and never averages (a mean of the
// instances' rates, or a percentile left from one summary, would judge the wrong run). With the real
// k6, the reference app and a Prometheus with native histograms: two instances of a short smoke run;
// the union's request count is the sum, its p95 lies between the instances', the thresholds judge the
// union, and the verdict from Prometheus alone agrees with the one from the summaries.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runScope } from '../../../src/load-contract/thresholds.js';
import { judgeInputFromPrometheus } from '../../../src/gate/gate-prometheus.js';
import { findK6, type K6Binary } from '../../../src/gate/k6-driver/binary.js';
import { runInstances, type InstancesRun } from '../../../src/gate/k6-driver/instances.js';
import { segmentArgs } from '../../../src/gate/k6-driver/segments.js';
import { loadProfile } from '../../../src/gate/profile-file.js';
import { withHoldDuration, type Profile } from '../../../src/load-contract/profile.js';
import { nodeRunner } from '../../../load/node/runner.js';
import { runGate, runLoad } from '../../../src/gate/run.js';
import { sloLoadMap } from '../../../src/slos/load-thresholds.js';
import { judgeLoad, type RunSummary } from '../../../src/gate/verdict/load-summary.js';
import { mergeSummaries, missingPercentiles } from '../../../src/gate/verdict/merge-summaries.js';
import { exitCode, judgeRun, readVerdict, type Verdict } from '../../../src/gate/verdict/index.js';
import { startLocalStack, type LocalStack } from '../../../src/live/stack.js';
import { UsageError } from '../../../src/usage-error.js';
import { ROOT } from '../../helpers.js';

const profile = withHoldDuration(await loadProfile(join(ROOT, 'load/profiles/smoke.json')), '8s');
const slos = sloLoadMap();
const scope = runScope(profile, slos);

describe('k6 execution segments', () => {
  it('instance i of N runs i/N:(i+1)/N of the sequence 0,1/N,...,1 and is tagged instance_id=i', () => {
    assert.deepEqual(segmentArgs({ index: 0, count: 2 }), [
      '--execution-segment',
      '0:1/2',
      '--execution-segment-sequence',
      '0,1/2,1',
      '--tag',
      'instance_id=0',
    ]);
    assert.deepEqual(segmentArgs({ index: 2, count: 3 }), [
      '--execution-segment',
      '2/3:1',
      '--execution-segment-sequence',
      '0,1/3,2/3,1',
      '--tag',
      'instance_id=2',
    ]);
  });
  it('--instances needs k6 and a remote write', async () => {
    await assert.rejects(
      runLoad(['--runner', 'node', '--instances', '2', '--profile', 'smoke'], nodeRunner, ROOT, () => {}),
      UsageError,
    );
    await assert.rejects(
      runLoad(
        ['--runner', 'k6', '--instances', '2', '--profile', 'smoke', '--remote-write', ''],
        nodeRunner,
        ROOT,
        () => {},
      ),
      /--instances needs --remote-write/,
    );
    await assert.rejects(
      runLoad(['--runner', 'k6', '--instances', '0', '--profile', 'smoke'], nodeRunner, ROOT, () => {}),
      /--instances must be/,
    );
  });
  it('gate without --summary needs --prometheus and --from; --run must be LABEL=VALUE', async () => {
    await assert.rejects(
      runGate(['--profile', 'smoke', '--prometheus', ''], ROOT),
      /--prometheus URL --from T0 --to T1/,
    );
    await assert.rejects(
      runGate(
        [
          '--profile',
          'smoke',
          '--prometheus',
          'http://127.0.0.1:9',
          '--from',
          '2026-01-01T00:00:00Z',
          '--to',
          '2026-01-01T00:10:00Z',
          '--run',
          'nolabel',
        ],
        ROOT,
      ),
      /--run must be LABEL=VALUE/,
    );
    await assert.rejects(
      runGate(
        [
          '--profile',
          'smoke',
          '--prometheus',
          'http://127.0.0.1:9',
          '--from',
          '2026-01-01T00:10:00Z',
          '--to',
          '2026-01-01T00:00:00Z',
        ],
        ROOT,
      ),
      /--from must be before --to/,
    );
  });
});

describe('merging summaries: sums, never means', () => {
  // Instance 0: many requests, no 5xx; instance 1: few requests, 10% 5xx. The mean of the rates
  // (5%) would fail the 1% SLO; the union (10 of 1010, ~1%) is what the run did.
  const a: RunSummary = {
    metrics: {
      http_5xx: { passes: 0, fails: 2000, value: 0 },
      'load_samples{measure:http_5xx}': { count: 2000 },
      http_reqs: { count: 2000, rate: 100 },
      http_req_duration: { 'p(95)': 10, max: 40 },
    },
    root_group: { checks: { ok: { name: 'ok', passes: 9, fails: 1 } } },
  };
  const b: RunSummary = {
    metrics: {
      http_5xx: { passes: 10, fails: 90, value: 0.1 },
      'load_samples{measure:http_5xx}': { count: 100 },
      http_reqs: { count: 100, rate: 5 },
      http_req_duration: { 'p(95)': 900, max: 2000 },
    },
    root_group: { checks: [{ name: 'ok', passes: 5, fails: 0 }] },
  };
  const merged = mergeSummaries([a, b]);

  it("counts and passes/fails are summed; a rate is the union's passes over its samples", () => {
    assert.deepEqual(merged.metrics.http_reqs, { count: 2100, rate: 105 });
    assert.deepEqual(merged.metrics['load_samples{measure:http_5xx}'], { count: 2100, rate: 0 });
    assert.equal(merged.metrics.http_5xx!.value, 10 / 2100);
    assert.deepEqual(merged.root_group?.checks, [{ name: 'ok', passes: 14, fails: 1 }]);
  });
  it('a percentile is not carried over from any instance: unfilled, its SLO is NOT MEASURED (fail closed)', () => {
    assert.equal(merged.metrics.http_req_duration!['p(95)'], undefined);
    assert.equal(merged.metrics.http_req_duration!.max, 2000);
    const side = judgeLoad({ profile, summary: merged, scope, slos, runner: 'k6', firstErrors: {} });
    const latency = side.slos.find((s) => s.threshold.metric === 'http_req_duration')!;
    assert.equal(latency.outcome, 'NOT MEASURED');
    const errors = side.slos.find((s) => s.threshold.metric === 'http_5xx')!;
    assert.equal(errors.value, 10 / 2100);
  });
  it('a sampled trend without a union percentile is named (Prometheus without native histograms); one with it, or without samples, is not', () => {
    const withSamples = {
      ...merged,
      metrics: { ...merged.metrics, 'load_samples{measure:http_req_duration}': { count: 2100 } },
    };
    assert.match(
      missingPercentiles(withSamples, { http_req_duration: null })[0]?.reason ?? '',
      /--enable-feature=native-histograms/,
    );
    assert.deepEqual(missingPercentiles(withSamples, { http_req_duration: 95 }), []);
    assert.deepEqual(missingPercentiles(merged, { chat_delivery: null }), []);
  });
});

const k6 = await findK6(ROOT);
describe(
  'two k6 instances against the reference app: one verdict',
  { skip: k6 ? false : 'no k6 found (K6_BIN, PATH or ../shared/tools/k6/k6)' },
  () => {
    let stack: LocalStack;
    let out: string;
    let run: InstancesRun;
    let testid: string;
    let fromSummaries: Verdict;
    before(async () => {
      stack = await startLocalStack({ root: ROOT });
      out = await mkdtemp(join(tmpdir(), 'stressgate-k6-instances-'));
      testid = `instances-${Date.now().toString(36)}`;
      run = await runInstances({
        root: ROOT,
        k6: k6 as K6Binary,
        profile: profile as Profile,
        target: new URL(stack.app.base),
        out,
        allowedHosts: [],
        instances: 2,
        remoteWriteUrl: `${stack.prometheus.url}/api/v1/write`,
        testid,
        echo: () => {},
      });
      fromSummaries = await judgeRun({ ...run.input, prometheus: stack.prometheus.url });
    });
    after(async () => {
      await stack?.stop();
      if (out) await rm(out, { recursive: true, force: true });
    });
    const q = async (expr: string): Promise<Array<{ metric: Record<string, string>; value: number }>> =>
      (await stack.prometheus.client.query(expr, run.input.end)).map((r) => ({
        metric: r.metric,
        value: Number(r.value[1]),
      }));

    it('each instance ran its own part; the combined request count is the sum, in the summaries and in Prometheus', async () => {
      const counts = run.summaries.map((s) => Number(s.metrics.http_reqs?.count));
      assert.ok(
        counts.every((c) => c > 0),
        `requests per instance: ${counts}`,
      );
      const total = counts[0]! + counts[1]!;
      assert.equal(run.input.summary.metrics.http_reqs?.count, total);
      const byInstance = await q(`sum by (instance_id) (k6_http_reqs_total{testid="${testid}"})`);
      assert.deepEqual(byInstance.map((r) => r.metric.instance_id).sort(), ['0', '1']);
      assert.equal(
        byInstance.reduce((s, r) => s + r.value, 0),
        total,
      );
      process.stdout.write(`# k6 instances: requests ${counts.join(' + ')} = ${total}\n`);
    });

    it("the merged p95 lies between the instances' p95s (one histogram_quantile over the summed native histograms)", async () => {
      const each = (
        await q(
          `histogram_quantile(0.95, sum by (instance_id) (k6_http_req_duration_seconds{testid="${testid}"})) * 1000`,
        )
      ).map((r) => r.value);
      const union = run.input.summary.metrics.http_req_duration?.['p(95)'] as number;
      assert.equal(each.length, 2);
      assert.ok(union >= Math.min(...each) && union <= Math.max(...each), `union ${union} ms, instances ${each} ms`);
      const fromFiles = run.summaries.map((s) => s.metrics.http_req_duration?.['p(95)']);
      process.stdout.write(
        `# k6 instances: http p95 union ${union.toFixed(2)} ms; per instance (Prometheus) ${each.map((v) => v.toFixed(2)).join(', ')} ms; per instance (summaries) ${fromFiles.map((v) => Number(v).toFixed(2)).join(', ')} ms\n`,
      );
    });

    it("the thresholds judge the union: its p95 and rates, with the union's sample counts", async () => {
      const latency = fromSummaries.slos.find((s) => s.load.metric === 'http_req_duration')!;
      assert.equal(latency.load.value, run.input.summary.metrics.http_req_duration?.['p(95)']);
      assert.equal(
        latency.load.samples,
        run.summaries.reduce((s, x) => s + Number(x.metrics['load_samples{measure:http_req_duration}']?.count), 0),
      );
      const errors = fromSummaries.slos.find((s) => s.load.metric === 'http_5xx')!;
      const [passes, all] = run.summaries.reduce(
        ([p, n], x) => [
          p + Number(x.metrics.http_5xx?.passes),
          n + Number(x.metrics.http_5xx?.passes) + Number(x.metrics.http_5xx?.fails),
        ],
        [0, 0],
      );
      assert.equal(errors.load.value, passes / all);
      // A bound just below the union's p95 fails the run, whichever instance would have passed it.
      const id = latency.slo;
      const tight = { ...slos, [id]: { ...slos[id]!, threshold: (latency.load.value! * 0.999) / 1000 } };
      const judged = judgeLoad({
        profile,
        summary: run.input.summary,
        scope,
        slos: tight,
        runner: 'k6',
        firstErrors: {},
      });
      assert.equal(judged.slos.find((s) => s.threshold.slo === id)?.outcome, 'FAIL');
    });

    it('the verdict from Prometheus alone agrees with the one from the summaries', async () => {
      const input = await judgeInputFromPrometheus({
        prometheus: stack.prometheus.url,
        profile,
        start: run.input.start,
        end: run.input.end,
        run: { label: 'testid', value: testid },
      });
      const fromProm = await judgeRun(input);
      const rows = (v: Verdict) =>
        v.slos.map((s) => [
          s.slo,
          s.outcome,
          s.load.outcome,
          s.load.samples,
          s.load.value === null ? null : Number(s.load.value.toPrecision(9)),
        ]);
      assert.deepEqual(rows(fromProm), rows(fromSummaries));
      assert.deepEqual(
        [fromProm.checks.passes, fromProm.checks.fails],
        [fromSummaries.checks.passes, fromSummaries.checks.fails],
      );
      assert.deepEqual(
        fromProm.scenarios.map((s) => [s.scenario, s.iterations, s.iterationErrors]),
        fromSummaries.scenarios.map((s) => [s.scenario, s.iterations, s.iterationErrors]),
      );
      assert.equal(
        fromProm.verdict,
        fromSummaries.verdict,
        `summaries: ${JSON.stringify(fromSummaries.failures)}\nPrometheus: ${JSON.stringify(fromProm.failures)}`,
      );
      assert.equal(fromProm.runner.instances, 2);
      process.stdout.write(
        `# k6 instances: verdict ${fromSummaries.verdict} from the summaries, ${fromProm.verdict} from Prometheus alone; ${JSON.stringify(rows(fromProm))}\n`,
      );
    });

    it("stressgate gate --prometheus --from --to --run testid=… writes that verdict and exits as the summaries' verdict says", async () => {
      const dir = join(out, 'gate');
      const code = await runGate(
        [
          '--prometheus',
          stack.prometheus.url,
          '--from',
          run.input.start.toISOString(),
          '--to',
          run.input.end.toISOString(),
          '--profile',
          'smoke',
          '--run',
          `testid=${testid}`,
          '--out',
          dir,
        ],
        ROOT,
      );
      const v = await readVerdict(join(dir, 'verdict.json'));
      assert.equal(v.runner.source, 'prometheus');
      assert.equal(v.verdict, fromSummaries.verdict);
      assert.equal(code, exitCode(fromSummaries));
      assert.deepEqual(
        v.slos.map((s) => [s.slo, s.outcome]),
        fromSummaries.slos.map((s) => [s.slo, s.outcome]),
      );
    });

    it('from Prometheus alone, a run with no k6 series is never PASS', async () => {
      const input = await judgeInputFromPrometheus({
        prometheus: stack.prometheus.url,
        profile,
        start: run.input.start,
        end: run.input.end,
        run: { label: 'testid', value: 'no-such-run' },
      });
      const v = await judgeRun(input);
      // FAIL, or INCOMPLETE when the real run's k6 series in the same window read as another run on the target.
      assert.ok(['FAIL', 'INCOMPLETE'].includes(v.verdict) && !v.release, v.title);
      assert.ok(v.slos.every((s) => s.load.outcome === 'NOT MEASURED'));
      assert.ok(
        v.failures.some(
          (f) => f.subject === 'k6 remote write' && /no k6_\* series with testid="no-such-run"/.test(f.reason),
        ),
        JSON.stringify(v.failures),
      );
    });
  },
);
