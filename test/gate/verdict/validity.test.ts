// Run validity (./validity.ts): a run that was not valid itself is INCOMPLETE (exit 4, never a release
// verdict), whatever it measured: dropped iterations, VUs short of the plan, a saturated generator
// (k6's CPU from /proc, sampled here on a real busy process), a throughput plateau, and another run
// overlapping on the same target (another testid's k6 series in a real Prometheus, or the target
// counting far more requests than the run sent). Every check is shown failing on what it exists to catch.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { peakCores, processCpuSeconds, sampleCpu } from '../../../src/gate/k6-driver/cpu.js';
import { loadProfile } from '../../../src/gate/profile-file.js';
import { assemble } from '../../../src/gate/verdict/decide.js';
import { exitCode, parseVerdict, verdictMarkdown, withSection } from '../../../src/gate/verdict/index.js';
import { judgeLoad } from '../../../src/gate/verdict/load-summary.js';
import {
  extraTrafficCheck,
  plateauCheck,
  runValidity,
  summaryValidity,
  type ValidityInput,
} from '../../../src/gate/verdict/validity.js';
import type { Validity } from '../../../src/gate/verdict/schema.js';
import type { Profile } from '../../../src/load-contract/profile.js';
import { runScope } from '../../../src/load-contract/thresholds.js';
import { sloLoadMap } from '../../../src/slos/load-thresholds.js';
import { startPrometheus, waitFor, type RunningPrometheus } from '../../../src/live/prometheus.js';
import { healthyPrometheus, healthySummary, WINDOW } from '../../fixtures/verdicts.js';
import { ROOT } from '../../helpers.js';

const smoke = () => loadProfile(join(ROOT, 'load/profiles/smoke.json'));

/** A healthy smoke summary with k6's vus gauges, as k6 v0.48 exports them. */
const summaryWith = (extra: Record<string, Record<string, unknown>> = {}) => {
  const s = healthySummary();
  return {
    ...s,
    metrics: { ...s.metrics, vus: { value: 0, min: 0, max: 18 }, vus_max: { value: 18, min: 18, max: 18 }, ...extra },
  };
};

const input = async (o: Partial<ValidityInput> = {}): Promise<ValidityInput> => ({
  profile: await smoke(),
  summary: summaryWith(),
  start: WINDOW.start,
  end: WINDOW.end,
  cpu: { cores: 2, peakCores: 0.3 },
  ...o,
});

/** The verdict of a healthy run given this validity, through the real assembly. */
function verdictWith(profile: Profile, validity: Validity) {
  const slos = sloLoadMap();
  const scope = runScope(profile, slos);
  const load = judgeLoad({ profile, summary: summaryWith(), scope, slos, runner: 'k6', firstErrors: {} });
  return assemble({
    profile: profile.name,
    runner: { kind: 'k6' },
    window: WINDOW,
    scope,
    slos,
    load,
    prometheus: healthyPrometheus(scope.judged),
    remoteWrite: null,
    validity,
  });
}

const problems = (v: Validity) => v.checks.filter((c) => c.status === 'problem').map((c) => c.check);

describe('run validity', () => {
  it('a healthy run is valid, and its verdict PASSes', async () => {
    const v = await runValidity(await input());
    assert.deepEqual(problems(v), []);
    assert.equal(v.valid, true);
    const verdict = verdictWith(await smoke(), v);
    assert.deepEqual([verdict.verdict, verdict.release, exitCode(verdict)], ['PASS', true, 0]);
  });

  it('dropped iterations in the summary: INCOMPLETE, exit 4, not a release verdict, naming the number and bound', async () => {
    const v = await runValidity(
      await input({ summary: summaryWith({ dropped_iterations: { count: 37, rate: 1.8 } }) }),
    );
    assert.deepEqual(problems(v), ['dropped-iterations']);
    const c = v.checks.find((x) => x.check === 'dropped-iterations')!;
    assert.deepEqual([c.value, c.bound], [37, 0]);
    assert.match(c.detail, /k6 dropped 37 iteration\(s\)/);
    const verdict = parseVerdict(JSON.parse(JSON.stringify(verdictWith(await smoke(), v))));
    assert.deepEqual(
      [verdict.verdict, verdict.release, exitCode(verdict), exitCode(verdict, true)],
      ['INCOMPLETE', false, 4, 4],
    );
    assert.match(verdict.title, /INCOMPLETE — the run was not valid/);
    const md = verdictMarkdown(verdict);
    assert.match(md, /^# Release gate verdict: INCOMPLETE/m);
    assert.match(md, /- dropped-iterations: PROBLEM — k6 dropped 37/);
    // A section joining later does not lose it.
    const joined = withSection(verdict, 'journeys', { title: 'Journeys', pass: true, failures: [], details: {} });
    assert.equal(joined.verdict, 'INCOMPLETE');
  });

  it('an invalid run that also failed is still INCOMPLETE, its failures listed', async () => {
    const v = await runValidity(await input({ summary: summaryWith({ dropped_iterations: { count: 1 } }) }));
    const verdict = verdictWith(await smoke(), v);
    const failed = withSection(verdict, 'journeys', { title: 'Journeys', pass: false, failures: [], details: {} });
    assert.equal(failed.verdict, 'INCOMPLETE');
    assert.match(failed.title, /what it found is listed too/);
    assert.equal(failed.failures.length, 1);
  });

  it('VUs short of the profile: 12 of the 18 smoke plans; with 3 instances the busiest times 3 counts', async () => {
    const short = summaryValidity(await input({ summary: summaryWith({ vus: { max: 12 } }) }));
    const c = short.find((x) => x.check === 'vus')!;
    assert.deepEqual([c.status, c.value, c.bound], ['problem', 12, 18]);
    assert.match(c.detail, /did not start the planned load/);
    const split = summaryValidity(await input({ summary: summaryWith({ vus: { max: 6 } }), instances: 3 }));
    assert.equal(split.find((x) => x.check === 'vus')!.status, 'ok');
    const none = summaryValidity(await input({ summary: healthySummary() }));
    assert.equal(none.find((x) => x.check === 'vus')!.status, 'not judged');
  });

  it('a saturated generator: k6 at 1.9 of 2 cores is a problem, 1.7 is not; unsampled is not judged', async () => {
    const at = async (peakCores: number) =>
      summaryValidity(await input({ cpu: { cores: 2, peakCores } })).find((x) => x.check === 'generator-cpu')!;
    assert.deepEqual([(await at(1.9)).status, (await at(1.9)).bound], ['problem', 1.8]);
    assert.equal((await at(1.7)).status, 'ok');
    assert.equal(
      summaryValidity(await input({ cpu: null })).find((x) => x.check === 'generator-cpu')!.status,
      'not judged',
    );
  });

  it('the CPU sampler reads a real busy process from /proc: one spinning core at most, judged against a 1-core budget', async () => {
    const child = spawn(process.execPath, ['-e', 'const t = Date.now(); while (Date.now() - t < 2500) {}']);
    try {
      const sampler = sampleCpu(child.pid!, 1);
      await new Promise((r) => child.on('exit', r));
      const cpu = sampler.stop();
      assert.ok(cpu, 'samples were taken');
      // At most one core; how much of it the busy loop gets depends on what else this machine runs.
      assert.ok(cpu.peakCores > 0.05 && cpu.peakCores < 1.3, `a busy loop is up to one core: ${cpu.peakCores}`);
      const c = summaryValidity(await input({ cpu })).find((x) => x.check === 'generator-cpu')!;
      assert.equal(c.status, cpu.peakCores >= 0.9 ? 'problem' : 'ok');
    } finally {
      child.kill();
    }
    assert.equal(processCpuSeconds(2 ** 30), null, 'no such process: null, not a throw');
    assert.equal(
      peakCores(
        [
          [0, 0],
          [1, 0.1],
          [2, 1.1],
          [3, 2.1],
          [4, 2.2],
        ],
        2,
      ),
      1,
      'the busiest 2 s',
    );
  });

  it('a plateau: VUs tripled, throughput did not follow; a rate that follows the VUs is ok; a short ramp is not judged', () => {
    const ramp = [
      { vus: 100, rate: 50 }, // under a quarter of the steady VUs: left out
      { vus: 300, rate: 150 },
      { vus: 400, rate: 200 },
      { vus: 500, rate: 250 },
    ];
    const flat = plateauCheck({ rampPoints: ramp, steadyRate: 160, steadyVus: 900 });
    assert.deepEqual([flat.status, flat.bound], ['problem', 225]);
    assert.match(flat.detail, /plateaued below 50% of that/);
    assert.equal(plateauCheck({ rampPoints: ramp, steadyRate: 440, steadyVus: 900 }).status, 'ok');
    assert.equal(plateauCheck({ rampPoints: ramp.slice(0, 3), steadyRate: 1, steadyVus: 900 }).status, 'not judged');
  });

  it('unexplained traffic: the target counting far more API requests than the run sent', () => {
    assert.equal(extraTrafficCheck(4044, 4126).status, 'ok');
    const extra = extraTrafficCheck(9000, 4126);
    assert.deepEqual([extra.status, extra.bound], ['problem', 6289]);
    assert.match(extra.detail, /someone else loaded the same target/);
  });
});

describe('overlap on a real Prometheus', () => {
  let exporter: Server;
  let prom: RunningPrometheus;
  const ours = `ours-${process.pid}`;
  const theirs = `theirs-${process.pid}`;
  before(async () => {
    // Two runs' k6 series on one Prometheus: ours, and another run of the same target at the same time.
    let n = 0;
    exporter = createServer((_req, res) => {
      n += 10;
      res.end(
        `k6_http_reqs_total{testid="${ours}"} ${n}\nk6_http_reqs_total{testid="${theirs}"} ${n}\nk6_vus{testid="${ours}"} 18\nk6_vus{testid="${theirs}"} 5\n`,
      );
    });
    await new Promise<void>((r) => exporter.listen(0, '127.0.0.1', r));
    const port = (exporter.address() as { port: number }).port;
    prom = await startPrometheus({
      config: `global: { scrape_interval: 1s }\nscrape_configs:\n  - { job_name: k6, honor_labels: true, static_configs: [{ targets: ['127.0.0.1:${port}'] }] }\n`,
    });
  });
  after(async () => {
    await prom?.stop();
    exporter?.close();
  });

  it("another testid's k6 series in the window: INCOMPLETE, naming it; alone, valid", { timeout: 60_000 }, async () => {
    await waitFor(
      async () => (await prom.client.query(`k6_http_reqs_total{testid="${theirs}"}`)).length > 0,
      30_000,
      'the first scrape',
    );
    const start = new Date();
    await new Promise((r) => setTimeout(r, 3_000));
    const end = new Date();
    const k6 = { prom: prom.client, label: 'testid', value: ours };
    const v = await runValidity(await input({ start, end, k6 }));
    assert.deepEqual(problems(v), ['overlap'], JSON.stringify(v.checks));
    const c = v.checks.find((x) => x.check === 'overlap' && x.status === 'problem')!;
    assert.match(c.detail, new RegExp(`another run's k6 series in the window: testid "${theirs}"`));
    assert.equal(verdictWith(await smoke(), v).verdict, 'INCOMPLETE');
    // Seen from the other run, ours overlaps it just the same; a testid nobody else shares would be alone.
    const other = await runValidity(await input({ start, end, k6: { ...k6, value: theirs } }));
    assert.deepEqual(problems(other), ['overlap'], JSON.stringify(other.checks));
  });
});
