// What a backtest replays: the alerts whose firing behaviour changed, those reading a changed
// recording rule, and each side's recording rules in dependency order.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planBacktest, PlanError } from '../../src/backtest/plan.js';

const file = (rules: Record<string, unknown>[], groupFields: Record<string, unknown> = {}) => ({
  'infra/prometheus/rules.yml': { groups: [{ name: 'g', ...groupFields, rules }] },
});
const rec = (record: string, expr: string) => ({ record, expr });
const alert = (name: string, expr: string, extra: Record<string, unknown> = {}) => ({
  alert: name,
  expr,
  labels: { gate: 'release', severity: 'warning' },
  annotations: { summary: 's' },
  ...extra,
});
const base = [
  rec('job:a:rate5m', 'sum by (job) (rate(a_total[5m]))'),
  rec('job:b:ratio', 'job:a:rate5m / 2'),
  alert('A', 'job:a:rate5m > 1', { for: '2m' }),
  alert('B', 'job:b:ratio > 1'),
  alert('Raw', 'up == 0'),
];

describe('planBacktest', () => {
  it('nothing when only annotations changed', () => {
    const head = base.map((r) => ('alert' in r ? { ...r, annotations: { summary: 'other' } } : r));
    const plan = planBacktest(file(base), file(head));
    assert.deepEqual(plan.alerts, []);
    assert.deepEqual(plan.levels, { base: [], head: [] });
  });

  it('a changed threshold plans that alert, with the recording rule it reads shared by both sides', () => {
    const head = base.map((r) => ('alert' in r && r.alert === 'A' ? { ...r, expr: 'job:a:rate5m > 5' } : r));
    const plan = planBacktest(file(base), file(head));
    assert.deepEqual(
      plan.alerts.map((p) => [p.key, p.change, p.base?.forSeconds, p.base?.gate]),
      [['A', 'changed', 120, true]],
    );
    assert.deepEqual(
      plan.levels.base.map((l) => l.map((r) => r.name)),
      [['job:a:rate5m']],
    );
    assert.equal(plan.sameRecords, true);
  });

  it('for, keep_firing_for, labels and the group interval count; added and removed alerts are planned', () => {
    const head = [...base.filter((r) => !('alert' in r && r.alert === 'Raw')), alert('New', 'up == 0')].map((r) =>
      'alert' in r && r.alert === 'A' ? { ...r, keep_firing_for: '1m' } : r,
    );
    const plan = planBacktest(file(base), file(head, { interval: '30s' }));
    assert.deepEqual(
      plan.alerts.map((p) => [p.key, p.change]),
      [
        ['A', 'changed'],
        ['B', 'changed'],
        ['New', 'added'],
        ['Raw', 'removed'],
      ],
    );
    assert.equal(plan.alerts[0]!.head!.keepFiringForSeconds, 60);
    assert.equal(plan.alerts[0]!.head!.intervalSeconds, 30);
    assert.equal(plan.sameRecords, false, 'the recording rules changed their interval');
  });

  it('a changed recording rule plans every alert that reads it, transitively, levels in dependency order', () => {
    const head = base.map((r) =>
      'record' in r && r.record === 'job:a:rate5m' ? { ...r, expr: 'sum by (job) (rate(a_total[1m]))' } : r,
    );
    const plan = planBacktest(file(base), file(head));
    assert.deepEqual(
      plan.alerts.map((p) => [p.key, p.change]),
      [
        ['A', 'reads a changed recording rule'],
        ['B', 'reads a changed recording rule'],
      ],
    );
    assert.deepEqual(
      plan.records.map((p) => p.key),
      ['job:a:rate5m'],
    );
    assert.deepEqual(
      plan.levels.head.map((l) => l.map((r) => r.name)),
      [['job:a:rate5m'], ['job:b:ratio']],
    );
    assert.equal(plan.sameRecords, false);
  });

  it('refuses recording rules that read each other in a circle, and a duration that does not parse', () => {
    const circle = [rec('x:a', 'x:b + 1'), rec('x:b', 'x:a + 1'), alert('C', 'x:a > 1')];
    assert.throws(() => planBacktest(file([]), file(circle)), PlanError);
    assert.throws(
      () => planBacktest(file(base), file([alert('A', 'job:a:rate5m > 1', { for: 'two minutes' })])),
      /rules\.yml: group g, alert A: field "for": "two minutes" is not a Prometheus duration/,
    );
  });
});
