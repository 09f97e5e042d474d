// What verify reuses, and when it must not: mutants and unit-test groups are judged once per content
// (their jobs' files and the promtool binary). An edit re-runs only what it changed; a rename or
// reorder elsewhere re-runs nothing else; a hand-edited rule file, a changed test and another
// promtool each invalidate what they touch, and a failure is never taken from the cache.
import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { counterValues, holdExpectations } from '../../src/constructs/alert-timeline.js';
import { app } from '../../src/definitions.js';
import { runSuite } from '../../src/verify/rule-tests/index.js';
import { projectCopy, runCli } from '../helpers.js';
import { slos, thresholdEdit } from '../slo-values.js';

/** An alert on `<metric>{kind!="expected", code=~"5.."}` over 5m, `> 10`, for 1m, and the groups that kill all its mutants. */
function alert(name: string, metric: string, summary = `${name}.`) {
  const series = (kind: string, code: string) => `${metric}{job="api", kind="${kind}", code="${code}"}`;
  const steady = (perStep: number) => counterValues(Array.from({ length: 60 }, () => perStep));
  const state = (at: number, s: string) => ({
    expr: `count by (alertstate) (ALERTS{alertname="${name}"})`,
    eval_time: `${at}s`,
    exp_samples: s === 'inactive' ? [] : [{ labels: `{alertstate="${s}"}`, value: 1 }],
  });
  const burst = Array.from({ length: 120 }, (_, i) => (i >= 20 && i < 60 ? 1 : 0));
  return {
    rule: {
      alert: name,
      expr: `sum by (job) (increase(${metric}{kind!="expected", code=~"5.."}[5m])) > 10`,
      for: '1m',
      labels: { severity: 'critical' },
      annotations: { summary },
    },
    tests: [
      {
        interval: '15s',
        input_series: [{ series: series('bug', '500'), values: counterValues(burst) }],
        promql_expr_test: holdExpectations(300 + 165, 60, 15, 300 + 600 + 150).map((e) => state(e.at, e.state)),
      },
      {
        interval: '15s',
        input_series: [{ series: series('bug', '500'), values: steady(0.6) }],
        promql_expr_test: [state(600, 'firing')],
      },
      {
        interval: '15s',
        input_series: [
          { series: series('bug', '500'), values: steady(0.4) },
          { series: series('expected', '500'), values: steady(20) },
          { series: series('bug', '404'), values: steady(20) },
        ],
        promql_expr_test: [state(600, 'inactive')],
      },
    ],
  };
}

async function write(dir: string, alerts: ReturnType<typeof alert>[]): Promise<void> {
  await mkdir(join(dir, 'infra/prometheus/tests'), { recursive: true });
  await writeFile(
    join(dir, 'infra/prometheus/alerts.yml'),
    stringify({ groups: [{ name: 'alerts', rules: alerts.map((a) => a.rule) }] }),
  );
  await writeFile(
    join(dir, 'infra/prometheus/tests/alerts.test.yml'),
    stringify({ rule_files: ['../alerts.yml'], evaluation_interval: '15s', tests: alerts.flatMap((a) => a.tests) }),
  );
}

describe('the mutation pass is incremental', () => {
  let dir: string;
  let cache: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'stressgate-incremental-'));
    cache = await mkdtemp(join(tmpdir(), 'stressgate-cache-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
    await rm(cache, { recursive: true, force: true });
  });
  const score = async () => {
    const r = await runCli(['mutation', '--root', dir], { STRESSGATE_CACHE_DIR: cache });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    return /alert tests kill (\d+\/\d+) mutants \((\d+) run, (\d+) reused\)/.exec(r.stdout)!.slice(1).join(' ');
  };

  it('runs every mutant once, then only those of the rule an edit changed, and none after a reorder or a rename elsewhere', async () => {
    await write(dir, [alert('ErrorsHigh', 'errors_total'), alert('FailuresHigh', 'failures_total')]);
    assert.equal(await score(), '18/18 18 0');
    assert.equal(await score(), '18/18 0 18', 'nothing changed');
    // One alert edited: its 9 mutants are new jobs; the other alert's are byte-identical.
    await write(dir, [
      alert('ErrorsHigh', 'errors_total'),
      alert('FailuresHigh', 'failures_total', 'Failures above 10 in 5m.'),
    ]);
    assert.equal(await score(), '18/18 9 9');
    // Reordered: every job is the same.
    await write(dir, [
      alert('FailuresHigh', 'failures_total', 'Failures above 10 in 5m.'),
      alert('ErrorsHigh', 'errors_total'),
    ]);
    assert.equal(await score(), '18/18 0 18');
    // One alert renamed (rule and tests): only its mutants run.
    await write(dir, [
      alert('FailuresHigh', 'failures_total', 'Failures above 10 in 5m.'),
      alert('ServerErrorsHigh', 'errors_total'),
    ]);
    assert.equal(await score(), '18/18 9 9');
  });

  it('still fails on a survivor after reuse, naming the rule, the mutation and the test file', async () => {
    const weak = alert('ErrorsHigh', 'errors_total');
    await write(dir, [{ ...weak, tests: weak.tests.slice(1, 2) }]);
    for (let i = 0; i < 2; i++) {
      const r = await runCli(['mutation', '--root', dir], { STRESSGATE_CACHE_DIR: cache });
      assert.equal(r.code, 1, r.stdout);
      assert.match(
        r.stdout,
        /survives: alert ErrorsHigh \(infra\/prometheus\/alerts\.yml\): 10 ×0\.5 → 5, tested in infra\/prometheus\/tests\/alerts\.test\.yml/,
      );
      assert.match(r.stdout, i === 0 ? /\(9 run, 0 reused\)/ : /\(0 run, 9 reused\)/);
    }
  });
});

describe('the unit-test groups are reused only for identical inputs', () => {
  let copy: { dir: string; cleanup: () => Promise<void> };
  let bin: string;
  const tree = async () => app;
  before(async () => {
    copy = await projectCopy();
    bin = await mkdtemp(join(tmpdir(), 'stressgate-promtool-'));
  });
  after(async () => {
    await copy.cleanup();
    await rm(bin, { recursive: true, force: true });
  });

  it('re-runs the group of a changed test, every group under another promtool, and reports a hand-edited rule file failing', async () => {
    const { dir } = copy;
    const first = await runSuite(dir, tree);
    assert.deepEqual(first.findings, []);
    assert.equal((await runSuite(dir, tree)).run, 0, 'unchanged: all reused');

    // A changed test (a name unique to this run, so no earlier run can have judged it).
    const testFile = join(dir, 'infra/prometheus/tests/alerts.test.yml');
    const text = await readFile(testFile, 'utf8');
    const [, name] = /- name: "?([^"\n]+)"?\n/.exec(text)!;
    await writeFile(testFile, text.replace(name!, `${name} (${process.pid}-${Date.now()})`));
    const changed = await runSuite(dir, tree);
    assert.deepEqual([changed.findings, changed.run, changed.reused], [[], 1, first.groups - 1]);

    // Another promtool binary (a wrapper around the real one, at a new path): nothing is reused.
    await writeFile(join(bin, 'promtool'), '#!/bin/sh\nexec /usr/bin/promtool "$@"\n');
    await chmod(join(bin, 'promtool'), 0o755);
    const path = process.env.PATH;
    process.env.PATH = `${bin}:${path}`;
    try {
      const other = await runSuite(dir, tree);
      assert.deepEqual([other.run, other.reused], [first.groups, 0]);
    } finally {
      process.env.PATH = path;
    }

    // A hand-edited rule file whose old content passed: the groups reading that alert run and fail.
    const rules = join(dir, 'infra/prometheus/alerts.yml');
    await writeFile(rules, (await readFile(rules, 'utf8')).replace(...thresholdEdit(slos.http5xxRatio, 10)));
    for (let i = 0; i < 2; i++) {
      const edited = await runSuite(dir, tree);
      assert.deepEqual(
        [...new Set(edited.findings.map((f) => f.object))],
        ['alert Http5xxRatioHigh'],
        `run ${i + 1}: a failure is never reused`,
      );
      assert.ok(edited.run >= 1 && edited.reused > 0, `${edited.run} run, ${edited.reused} reused`);
    }
  });
});
