// The one duration module: Prometheus's syntax (rules, windows, intervals) and k6's (profiles, CLI bounds).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatPromDuration, k6DurationMs, parseK6Duration, parsePromDuration } from '../../src/kernel/duration.js';
import { scaleDuration, scaleExpr } from '../../src/drills/scaled-rules.js';
import { durationSeconds, type Duration } from '../../src/promql/expr.js';

test('Prometheus durations: every unit, combined in order, and 0', () => {
  assert.equal(parsePromDuration('15s'), 15);
  assert.equal(parsePromDuration('1m30s'), 90);
  assert.equal(parsePromDuration('500ms'), 0.5);
  assert.equal(parsePromDuration('1d2h30m'), 86_400 + 7_200 + 1_800);
  assert.equal(parsePromDuration('2w'), 1_209_600);
  assert.equal(parsePromDuration('1y'), 31_536_000);
  assert.equal(parsePromDuration('1h0m1s5ms'), 3_601.005);
  assert.equal(parsePromDuration('0'), 0);
  assert.equal(parsePromDuration(' 5m '), 300);
});

test('Prometheus durations: what Prometheus refuses is not one', () => {
  for (const bad of ['', 'fast', '15s junk', '1.5m', '30m1h', '5m5m', '-5m', '5', '1µs', '5 m'])
    assert.equal(parsePromDuration(bad), undefined, bad);
});

test('formatPromDuration is the shortest form and reads back', () => {
  assert.equal(formatPromDuration(150), '2m30s');
  assert.equal(formatPromDuration(0.5), '500ms');
  assert.equal(formatPromDuration(90_061), '1d1h1m1s');
  for (const s of [1, 59, 61, 3_600, 86_400 * 3 + 0.25]) assert.equal(parsePromDuration(formatPromDuration(s)), s);
});

test('k6 durations: Go syntax, whole days in front, and a bare number as milliseconds', () => {
  assert.equal(k6DurationMs('30s'), 30_000);
  assert.equal(k6DurationMs('1m30s'), 90_000);
  assert.equal(k6DurationMs('500ms'), 500);
  assert.equal(k6DurationMs('1.5s'), 1_500);
  assert.equal(k6DurationMs('2h'), 7_200_000);
  assert.equal(k6DurationMs('1h30m'), 5_400_000);
  assert.equal(k6DurationMs('250us'), 0.25);
  assert.equal(k6DurationMs('1d'), 86_400_000);
  assert.equal(k6DurationMs('1d12h'), 129_600_000);
  assert.equal(k6DurationMs('500'), 500);
  assert.equal(k6DurationMs('0'), 0);
  for (const bad of ['', 'fast', '1w', '1y', '5 m', '1d-5m', 'd5m', '1.5d'])
    assert.equal(parseK6Duration(bad), undefined, bad);
  assert.throws(() => k6DurationMs('1w'), /invalid duration "1w"/);
});

test("the alert drills read a rule's `for:` and windows as Prometheus durations (for: 1d used to throw)", () => {
  assert.equal(scaleDuration('1d', 60, 2), '1440s');
  assert.equal(scaleDuration('1h30m', 60, 2), '90s');
  assert.equal(scaleDuration('1m', 60, 2), '2s');
  assert.equal(scaleExpr('sum(rate(x[1d])) / sum(rate(x[1h30m]))'), 'sum(rate(x[1440s])) / sum(rate(x[90s]))');
});

test('the typed Duration of the definitions reads through the same parser (1.5m is not a Prometheus duration)', () => {
  assert.equal(durationSeconds('30d'), 2_592_000);
  assert.equal(durationSeconds('90s'), 90);
  assert.throws(() => durationSeconds('1.5m' as Duration), /invalid duration "1.5m"/);
});
