// The for / keep_firing_for state machine against hand-worked timelines (Prometheus 2.42's
// AlertingRule.Eval): each case is one the module exists to get right.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { alertEpisodes, summarize, type AlertTiming, type ExprRow } from '../../src/backtest/alert-states.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const grid = (n: number, stepS = 10) => Array.from({ length: n }, (_, i) => T0 + i * stepS * 1000);
/** A row present at the given step indexes (10 s steps). */
const row = (steps: number[], metric: Record<string, string> = { job: 'api' }): ExprRow => ({
  metric,
  values: steps.map((i) => [(T0 + i * 10_000) / 1000, '1'] as const),
});
const rule = (forSeconds: number, keepFiringForSeconds = 0): AlertTiming => ({
  name: 'A',
  forSeconds,
  keepFiringForSeconds,
  labels: { severity: 'warning' },
});

describe('alertEpisodes', () => {
  it('pending from the first active evaluation, firing once active for `for`, resolved when absent', () => {
    const [e, ...rest] = alertEpisodes(rule(30), [row([2, 3, 4, 5, 6])], grid(10));
    assert.deepEqual(rest, []);
    assert.equal(e!.activeAt, T0 + 20_000);
    assert.equal(e!.firedAt, T0 + 50_000, 'active at 20 s, fires at the evaluation 30 s later');
    assert.equal(e!.end, T0 + 70_000, 'resolved at the first evaluation without it');
  });

  it('one evaluation short of `for` never fires; a gap restarts the hold', () => {
    const eps = alertEpisodes(rule(30), [row([1, 2, 3, 5, 6, 7])], grid(10));
    assert.equal(eps.length, 2);
    assert.ok(eps.every((e) => e.firedAt === undefined));
    assert.deepEqual(
      eps.map((e) => [e.activeAt - T0, e.end - T0]),
      [
        [10_000, 40_000],
        [50_000, 80_000],
      ],
    );
  });

  it('for: 0 fires at its first evaluation', () => {
    const [e] = alertEpisodes(rule(0), [row([4])], grid(10));
    assert.equal(e!.firedAt, e!.activeAt);
  });

  it('keep_firing_for holds a firing alert through a short gap, never a pending one', () => {
    const firing = alertEpisodes(rule(0, 20), [row([1, 2, 4, 5])], grid(10));
    assert.equal(firing.length, 1, 'the gap at step 3 is shorter than keep_firing_for');
    assert.equal(firing[0]!.end, T0 + 80_000, 'absent from step 6: kept at 6 and 7 (< 20 s), resolved at 8');
    const pending = alertEpisodes(rule(60, 20), [row([1, 2, 4, 5])], grid(10));
    assert.equal(pending.length, 2, 'a pending alert is not kept');
  });

  it('instances are label sets (rule labels and alertname added, __name__ dropped); one still active at the end runs to the last step', () => {
    const eps = alertEpisodes(
      rule(0),
      [row([0, 1], { __name__: 'x', job: 'api' }), row([8, 9], { job: 'web' })],
      grid(10),
    );
    assert.equal(eps.length, 2);
    assert.match(eps[0]!.instance, /"alertname","A".*"severity","warning"/);
    assert.doesNotMatch(eps[0]!.instance, /__name__/);
    assert.equal(eps[1]!.end, T0 + 100_000);
  });
});

describe('summarize', () => {
  it('counts episodes and the union of their time within the window only', () => {
    const eps = alertEpisodes(rule(20), [row([0, 1, 2, 3, 4]), row([3, 4, 5], { job: 'web' })], grid(10));
    const s = summarize(eps, T0 + 10_000, T0 + 100_000);
    assert.equal(s.activeEpisodes, 2);
    assert.equal(s.firingEpisodes, 2, 'api fires at 20 s, web at 50 s');
    assert.equal(s.activeSeconds, 50, 'active 10 s to 60 s within the window (the start is clipped)');
    assert.equal(s.firingSeconds, 40, 'firing 20 s to 60 s, the two overlapping');
    assert.equal(s.firstActive, new Date(T0 + 10_000).toISOString(), 'already active when the window opened');
    assert.equal(s.firstFiring, new Date(T0 + 20_000).toISOString());
    const none = summarize(eps, T0 + 70_000, T0 + 100_000);
    assert.deepEqual([none.activeEpisodes, none.activeSeconds, none.firstActive], [0, 0, null]);
  });
});
