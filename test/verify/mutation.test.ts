// The mutation pass: constants found in the syntax tree (never in strings), each changed one at a
// time; weak tests let mutants survive and the pass names them; boundary tests kill them all.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { stringify } from 'yaml';
import { counterValues, holdExpectations } from '../../src/constructs/alert-timeline.js';
import { survivorFindings } from '../../src/verify/mutation/index.js';
import { mutationsOf } from '../../src/verify/mutation/operators.js';
import { balance, parseOutcomes } from '../../src/verify/rule-tests/run.js';
import { mutationScore } from '../../src/verify/mutation/score.js';

const EXPR = 'sum by (job) (increase(errors_total{kind!="expected", code=~"5.."}[5m])) > 10';

describe('mutation operators', () => {
  it('change each threshold, window, hold and label filter once, read from the syntax tree', () => {
    const found = mutationsOf({ expr: EXPR, for: '1m' }).map((m) => `${m.constant} ${m.change}`);
    assert.deepEqual(found, [
      '[5m] ×0.5 → [2m30s]',
      '[5m] ×2 → [10m]',
      'kind!="expected" exclusion dropped',
      'code=~"5.." filter dropped',
      '10 ×0.5 → 5',
      '10 ×2 → 20',
      'for: 1m ×0.5 → 30s',
      'for: 1m ×2 → 2m',
      'for: 1m → 0 (fires on the first evaluation)',
    ]);
    const dropped = mutationsOf({ expr: EXPR }).find((m) => m.change === 'exclusion dropped')!;
    assert.equal(dropped.rule.expr, 'sum by (job) (increase(errors_total{code=~"5.."}[5m])) > 10');
  });

  it('drop the app scope (job="api") from every selector at once: one decision, where one side alone is an equivalent mutant', () => {
    const expr = 'sum by (job) (rate(a{job="api", code=~"5.."}[5m])) / sum by (job) (rate(a{job="api"}[5m])) > 0.1';
    const found = mutationsOf({ expr }).filter((m) => /dropped/.test(m.change));
    assert.deepEqual(
      found.map((m) => `${m.constant} ${m.change}`),
      ['code=~"5.." filter dropped', 'job="api" scope dropped from all 2 selectors'],
    );
    assert.equal(found[1]!.rule.expr, 'sum by (job) (rate(a{code=~"5.."}[5m])) / sum by (job) (rate(a{}[5m])) > 0.1');
    // Another job's matcher, or an exclusion of the scope label, is an ordinary filter.
    assert.deepEqual(
      mutationsOf({ expr: 'up{job="api"} == 0 unless up{job!="api", x="1"}' })
        .filter((m) => /dropped/.test(m.change))
        .map((m) => `${m.constant} ${m.change}`),
      ['job!="api" exclusion dropped', 'x="1" filter dropped', 'job="api" filter dropped'],
    );
  });

  it('leave strings, zeros and the "0 instead of no data" branch alone', () => {
    // "0.5" is a label value, 0 cannot be halved, and x * 0 only says whether a series exists.
    const expr = '(sum(rate(a{le="0.5"}[5m])) or sum(rate(b[5m])) * 0) / sum(rate(b[1m])) > 0';
    assert.deepEqual(
      mutationsOf({ expr }).map((m) => `${m.constant} ${m.change}`),
      ['[5m] ×0.5 → [2m30s]', '[5m] ×2 → [10m]', 'le="0.5" filter dropped', '[1m] ×0.5 → [30s]', '[1m] ×2 → [2m]'],
    );
  });
});

describe('promtool batching', () => {
  it('reads each file verdict from one promtool call', () => {
    const out =
      'Unit Testing:  m1/test.yml\n  SUCCESS\n\nUnit Testing:  m2/test.yml\n\n\nUnit Testing:  m3/test.yml\n  SUCCESS\n';
    assert.deepEqual(
      [...parseOutcomes(out)],
      [
        ['m1/test.yml', 'passed'],
        ['m2/test.yml', 'failed'],
        ['m3/test.yml', 'passed'],
      ],
    );
  });

  it('balances jobs across calls by cost', () => {
    const lists = balance([{ cost: 5 }, { cost: 4 }, { cost: 3 }, { cost: 3 }, { cost: 1 }], 2);
    assert.deepEqual(lists.map((l) => l.reduce((n, j) => n + j.cost, 0)).sort(), [8, 8]);
  });
});

/** A project with one alert on EXPR (for: 1m) and the given promtool test groups. */
async function project(tests: object[]): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'stressgate-mutation-'));
  await mkdir(join(dir, 'infra/prometheus/tests'), { recursive: true });
  const rule = {
    alert: 'ErrorsHigh',
    expr: EXPR,
    for: '1m',
    labels: { severity: 'critical' },
    annotations: { summary: 'Errors.' },
  };
  await writeFile(join(dir, 'infra/prometheus/alerts.yml'), stringify({ groups: [{ name: 'alerts', rules: [rule] }] }));
  await writeFile(
    join(dir, 'infra/prometheus/tests/alerts.test.yml'),
    stringify({ rule_files: ['../alerts.yml'], evaluation_interval: '15s', tests }),
  );
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

const series = (kind: string, code: string) => `errors_total{job="api", kind="${kind}", code="${code}"}`;
const steady = (perStep: number, steps = 60) => counterValues(Array.from({ length: steps }, () => perStep));
const state = (at: number, s: string) => ({
  expr: 'count by (alertstate) (ALERTS{alertname="ErrorsHigh"})',
  eval_time: `${at}s`,
  exp_samples: s === 'inactive' ? [] : [{ labels: `{alertstate="${s}"}`, value: 1 }],
});

describe('mutation score', () => {
  it('names every mutant that weak tests let survive: alert, constant and change', async () => {
    // Far above and far below the threshold, checked once: no test sees the hold, the window or the filters.
    const { dir, cleanup } = await project([
      {
        interval: '15s',
        input_series: [{ series: series('bug', '500'), values: steady(1) }],
        promql_expr_test: [state(600, 'firing')],
      },
      {
        interval: '15s',
        input_series: [{ series: series('bug', '500'), values: steady(0) }],
        promql_expr_test: [state(600, 'inactive')],
      },
    ]);
    try {
      const r = await mutationScore(dir);
      assert.equal(r.total, 9);
      assert.ok(r.killed < r.total);
      const survivors = r.survivors.map((s) => `${s.rule}: ${s.constant} ${s.change}`);
      for (const s of [
        'ErrorsHigh: kind!="expected" exclusion dropped',
        'ErrorsHigh: for: 1m ×2 → 2m',
        'ErrorsHigh: [5m] ×2 → [10m]',
        'ErrorsHigh: 10 ×0.5 → 5',
      ])
        assert.ok(survivors.includes(s), `${s} in ${survivors.join('; ')}`);
      const [f] = survivorFindings(r);
      assert.equal(f!.file, 'infra/prometheus/alerts.yml');
      assert.equal(f!.object, 'alert ErrorsHigh');
      assert.match(
        f!.message,
        /^mutant survives: .*, and every promtool test still passes \(infra\/prometheus\/tests\/alerts\.test\.yml\)\.$/,
      );
    } finally {
      await cleanup();
    }
  });

  it('kills them all with boundary tests: both sides of the threshold, the hold, the window, the excluded series', async () => {
    // One error every 15 s from 5m for 10m: the 5m count passes 10 at the 11th (pending), fires a
    // minute later, and drops back to 10 ten steps after the errors stop.
    const burst = Array.from({ length: 60 + 60 }, (_, i) => (i >= 20 && i < 60 ? 1 : 0));
    const { dir, cleanup } = await project([
      {
        interval: '15s',
        input_series: [{ series: series('bug', '500'), values: counterValues(burst) }],
        promql_expr_test: holdExpectations(300 + 165, 60, 15, 300 + 600 + 150).map((e) => state(e.at, e.state)),
      },
      // 12 in 5m fires (twice the threshold would not); 8 do not (half would), nor do 400 expected ones or 4xx.
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
    ]);
    try {
      const r = await mutationScore(dir);
      assert.deepEqual(r.survivors, []);
      assert.deepEqual([r.killed, r.total, r.brokenBaselines.length], [9, 9, 0]);
    } finally {
      await cleanup();
    }
  });
});
