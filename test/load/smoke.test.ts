// The CI path of the load layer without k6: the smoke profile through the Node runner against the
// reference app (real PostgreSQL and Redis), with every flow's checks passing, every signal and
// every SLO measure it claims moving, runs that never collide on names, and a throwing flow failing
// the verdict by name. (The same through the real k6: test/gate/k6-driver/smoke.test.ts.)
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { flows } from '../../load/flows/index.js';
import { SCENARIO_MEASURES } from '../../src/load-contract/measures.js';
import { SCENARIO_SIGNALS } from '../../load/flows/signals.js';
import type { Flow } from '../../load/lib/client.js';
import { runProfile, type RunResult } from '../../load/node/runner.js';
import type { Metric } from '../../src/catalog/index.js';
import { loadProfile } from '../../src/gate/profile-file.js';
import { withHoldDuration, type ScenarioName } from '../../src/load-contract/profile.js';
import { judgeRun } from '../../src/gate/verdict/index.js';
import { startApp, startDeps, type Deps, type TestApp } from '../reference-app/harness.js';
import { ROOT } from '../helpers.js';

/** Sum of every sample of a metric family (a histogram counts its observations). */
function total(exposition: string, metric: Metric): number {
  const name = metric.type === 'histogram' ? `${metric.name}_count` : metric.name;
  let sum = 0;
  for (const line of exposition.split('\n')) {
    if (line.startsWith(`${name}{`) || line.startsWith(`${name} `))
      sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

/** Samples of a measure in a run summary: a Trend's count, a Rate's passes + fails. */
const samples = (summary: RunResult['summary'], measure: string) => {
  const m = summary.metrics[measure];
  return (m?.count ?? 0) + (m?.passes ?? 0) + (m?.fails ?? 0);
};
const smoke = () => loadProfile(`${ROOT}/load/profiles/smoke.json`);

describe('load-smoke: smoke profile, Node runner, reference app', () => {
  let deps: Deps;
  let app: TestApp;
  let result: RunResult;
  let after_: string;

  before(async () => {
    deps = await startDeps();
    app = await startApp(deps);
    result = await runProfile({ profile: await smoke(), flows, target: new URL(app.base) });
    after_ = await app.api.metrics();
  });
  after(async () => {
    await app?.stop();
    await deps?.dispose();
  });

  it('passes every check of every scenario; no iteration threw', () => {
    const failing = Object.values(result.summary.root_group.checks).filter((c) => c.fails > 0);
    assert.deepEqual(failing, []);
    assert.ok((result.summary.metrics.checks?.value ?? 0) > 0.99);
    assert.deepEqual(result.iterationErrors, {});
  });

  it('the verdict has samples for every SLO and nothing failing; without Prometheus it is PARTIAL, never PASS', async () => {
    const v = await judgeRun({
      profile: await smoke(),
      summary: result.summary,
      runner: { kind: 'node' },
      start: result.start,
      end: result.end,
    });
    assert.deepEqual(v.failures, []);
    for (const s of v.slos)
      assert.ok(s.load.samples > 0 && s.outcome === 'PASS', `${s.slo}: ${JSON.stringify(s.load)}`);
    for (const s of v.scenarios) assert.ok((s.iterations ?? 0) > 0, `${s.scenario} completed iterations`);
    assert.equal(v.verdict, 'PARTIAL');
    assert.match(v.title, /PARTIAL — not a release verdict/);
    assert.match(v.scope.limits.join(), /no Prometheus given/);
  });

  // Each scenario alone, briefly, so a signal that moves is attributed to the scenario claiming it.
  for (const [scenario, signals] of Object.entries(SCENARIO_SIGNALS) as [ScenarioName, readonly Metric[]][]) {
    it(`${scenario} alone: checks pass, it moves ${signals.map((m) => m.name).join(', ')} and feeds ${SCENARIO_MEASURES[scenario].join(', ')}`, async () => {
      const profile = withHoldDuration(await smoke(), '8s');
      const start = await app.api.metrics();
      const alone = await runProfile({ profile, flows, target: new URL(app.base), scenarios: [scenario] });
      const end = await app.api.metrics();
      const checks = alone.summary.metrics.checks;
      assert.ok(checks && checks.passes! > 0 && checks.value! > 0.99, `${scenario} checks: ${JSON.stringify(checks)}`);
      for (const metric of signals)
        assert.ok(total(end, metric) > total(start, metric), `${metric.name} did not change while ${scenario} ran`);
      for (const measure of SCENARIO_MEASURES[scenario])
        assert.ok(samples(alone.summary, measure) > 0, `${scenario} claims to feed ${measure}, which has no samples`);
    });
  }

  it('two runs back to back against one database never reuse a user name', async () => {
    const profile = withHoldDuration(await smoke(), '4s');
    const runs = [
      await runProfile({ profile, flows, target: new URL(app.base), scenarios: ['auth'] }),
      await runProfile({ profile, flows, target: new URL(app.base), scenarios: ['auth'] }),
    ];
    assert.notEqual(runs[0]!.runId, runs[1]!.runId);
    for (const run of runs) {
      const signup = run.summary.root_group.checks['auth signup: 201'];
      assert.ok(signup && signup.passes > 0 && signup.fails === 0, JSON.stringify(signup));
      assert.deepEqual(run.iterationErrors, {});
    }
  });

  it('a messaging flow that throws fails the run, naming the scenario and the error', async () => {
    const profile = withHoldDuration(await smoke(), '4s');
    const broken: Flow = async () => {
      throw new ReferenceError('setTimeout is not defined');
    };
    const run = await runProfile({
      profile,
      flows: { ...flows, messaging: broken },
      target: new URL(app.base),
      scenarios: ['messaging', 'posts'],
    });
    assert.equal(run.summary.root_group.checks['messaging: iteration completed']?.passes, 0);
    assert.ok((run.summary.metrics['iteration_errors{scenario:messaging}']?.count ?? 0) > 0);
    const v = await judgeRun({
      profile,
      summary: run.summary,
      only: ['messaging', 'posts'],
      runner: { kind: 'node' },
      start: run.start,
      end: run.end,
      firstErrors: { messaging: run.iterationErrors.messaging!.first },
    });
    assert.equal(v.verdict, 'FAIL');
    const failure = v.failures.find((f) => f.subject === 'scenario messaging');
    assert.match(failure?.reason ?? '', /iteration\(s\) threw; first: ReferenceError: setTimeout is not defined/);
    assert.equal(
      v.failures.some((f) => f.subject === 'scenario posts'),
      false,
    );
    // chat_delivery had no samples: NOT MEASURED, and a failure too.
    assert.equal(v.slos.find((s) => s.slo === 'chat-delivery-p95')?.outcome, 'NOT MEASURED');
  });

  it('leaves no game room open', () => {
    const open = after_.split('\n').find((l) => l.startsWith('game_rooms_active'));
    assert.equal(Number(open?.split(' ').at(-1)), 0);
  });
});
