// The CI path of the load layer: the smoke profile through the Node runner against the reference
// app (real PostgreSQL and Redis), with every flow's checks passing and every signal it claims moving.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { flows } from '../load/flows/index.js';
import { SCENARIO_SIGNALS } from '../load/flows/signals.js';
import { runProfile, type RunResult } from '../load/node/runner.js';
import type { Metric } from '../src/catalog/index.js';
import { loadProfile, withHoldDuration, type ScenarioName } from '../src/gate/profile.js';
import { judge } from '../src/gate/verdict.js';
import { startApp, startDeps, type Deps, type TestApp } from './reference-app/harness.js';
import { ROOT } from './helpers.js';

/** Sum of every sample of a metric family (a histogram counts its observations). */
function total(exposition: string, metric: Metric): number {
  const name = metric.type === 'histogram' ? `${metric.name}_count` : metric.name;
  let sum = 0;
  for (const line of exposition.split('\n')) {
    if (line.startsWith(`${name}{`) || line.startsWith(`${name} `)) sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

describe('load-smoke: smoke profile, Node runner, reference app', () => {
  let deps: Deps;
  let app: TestApp;
  let result: RunResult;
  let after_: string;

  before(async () => {
    deps = await startDeps();
    app = await startApp(deps);
    const profile = await loadProfile(`${ROOT}/load/profiles/smoke.json`);
    result = await runProfile({ profile, flows, target: new URL(app.base) });
    after_ = await app.api.metrics();
  });
  after(async () => {
    await app?.stop();
    await deps?.dispose();
  });

  it('passes every check of every scenario', () => {
    const failing = Object.values(result.summary.root_group.checks).filter((c) => c.fails > 0);
    assert.deepEqual(failing, []);
    assert.ok((result.summary.metrics.checks?.value ?? 0) > 0.99);
  });

  it('meets the gate: the verdict on the smoke thresholds is PASS', async () => {
    const profile = await loadProfile(`${ROOT}/load/profiles/smoke.json`);
    const verdict = judge(profile, result.summary, null);
    assert.equal(verdict.verdict, 'PASS', JSON.stringify(verdict.thresholds));
  });

  // Each scenario alone, briefly, so a signal that moves is attributed to the scenario claiming it.
  for (const [scenario, signals] of Object.entries(SCENARIO_SIGNALS) as [ScenarioName, readonly Metric[]][]) {
    it(`${scenario} alone: checks pass and it moves ${signals.map((m) => m.name).join(', ')}`, async () => {
      const profile = withHoldDuration(await loadProfile(`${ROOT}/load/profiles/smoke.json`), '8s');
      const start = await app.api.metrics();
      const alone = await runProfile({ profile, flows, target: new URL(app.base), scenarios: [scenario] });
      const end = await app.api.metrics();
      const checks = alone.summary.metrics.checks;
      assert.ok(checks && checks.passes! > 0 && checks.value! > 0.99, `${scenario} checks: ${JSON.stringify(checks)}`);
      for (const metric of signals) assert.ok(total(end, metric) > total(start, metric), `${metric.name} did not change while ${scenario} ran`);
    });
  }

  it('leaves no game room open', () => {
    const open = after_.split('\n').find((l) => l.startsWith('game_rooms_active'));
    assert.equal(Number(open?.split(' ').at(-1)), 0);
  });
});
