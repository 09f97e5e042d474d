// "Did you mean": the nearest candidate, and none when nothing is near enough to be what was meant.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { closest, closestMetric, editDistance, nearest } from '../../src/kernel/suggest.js';

test('edit distance and the closest candidate, ties alphabetical', () => {
  assert.equal(editDistance('runer', 'runner'), 1);
  assert.equal(editDistance('', 'abc'), 3);
  assert.equal(closest('verfy', ['verify', 'lint']), 'verify');
  assert.equal(closest('ab', ['ac', 'aa']), 'aa');
});

test('nearest suggests only what is a slip away: a typo, not an unrelated word', () => {
  assert.equal(nearest('runer', ['runner', 'root']), 'runner');
  assert.equal(nearest('fromat', ['format', 'from']), 'format');
  assert.equal(nearest('e2e-underload', ['e2e', 'e2e-under-load']), 'e2e-under-load');
  assert.equal(nearest('no-such-option', ['root', 'app', 'format']), undefined);
  assert.equal(nearest('x', []), undefined);
});

test('closestMetric: a renamed metric is the one sharing most words, not the one a few letters off', () => {
  const catalog = ['k6_iterations_total', 'auth_events_total', 'http_requests_total'];
  assert.equal(closest('auth_operations_total', catalog), 'k6_iterations_total', 'edit distance alone misleads');
  assert.equal(closestMetric('auth_operations_total', catalog), 'auth_events_total');
  assert.equal(closestMetric('http_request_total', catalog), 'http_requests_total', 'a typo still finds its metric');
  assert.equal(closestMetric('x', []), undefined);
});
