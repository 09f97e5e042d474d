// The one PromQL parser's helpers: selectors with their matchers, range windows, children, syntax errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  children,
  functionName,
  parses,
  parseTree,
  rangeWindows,
  selectors,
  unquote,
  unwrapParens,
} from '../../src/kernel/promql.js';
import { scaleExpr } from '../../src/drills/scaled-rules.js';

test('selectors: metric, matchers, the __name__ matcher, quoted UTF-8 names', () => {
  assert.deepEqual(selectors('sum(rate(http_requests_total{status=~"5..", route!="/healthz"}[5m])) / on() up'), [
    {
      metric: 'http_requests_total',
      matchers: [
        { label: 'status', op: '=~', value: '5..' },
        { label: 'route', op: '!=', value: '/healthz' },
      ],
    },
    { metric: 'up', matchers: [] },
  ]);
  assert.deepEqual(selectors('{__name__="x", job="a"}'), [
    {
      metric: 'x',
      matchers: [{ label: 'job', op: '=', value: 'a' }],
      nameMatcher: { label: '__name__', op: '=', value: 'x' },
    },
  ]);
  assert.deepEqual(selectors('{__name__=~"x_.*"}'), [
    { metric: '', matchers: [], nameMatcher: { label: '__name__', op: '=~', value: 'x_.*' } },
  ]);
  assert.deepEqual(selectors('{"my.metric", "the.label"="v"}'), [
    { metric: 'my.metric', matchers: [{ label: 'the.label', op: '=', value: 'v' }] },
  ]);
  assert.deepEqual(selectors("ALERTS{alertname='A\\'s'}")[0]!.matchers, [
    { label: 'alertname', op: '=', value: "A's" },
  ]);
});

test('range windows: as written, in seconds, with a subquery step', () => {
  const w = rangeWindows('rate(x[5m]) + max_over_time(y[1d2h:30s])');
  assert.deepEqual(
    w.map((r) => [r.text, r.seconds, r.step?.text, r.step?.seconds]),
    [
      ['5m', 300, undefined, undefined],
      ['1d2h', 93_600, '30s', 30],
    ],
  );
});

test('nodes: children in order, parentheses, function names, string literals', () => {
  const expr = '((histogram_quantile(0.95, sum by (le) (rate(x_bucket[5m])))))';
  const top = unwrapParens(parseTree(expr).topNode.firstChild!);
  assert.equal(top.name, 'FunctionCall');
  assert.equal(functionName(top, expr), 'histogram_quantile');
  assert.deepEqual(
    children(top).map((c) => c.name),
    ['FunctionIdentifier', 'FunctionCallBody'],
  );
  assert.equal(unquote('`a\\b`'), 'a\\b');
  assert.equal(unquote('"a\\"b"'), 'a"b');
  assert.ok(parses('sum by (job) (up)'));
  assert.ok(!parses('sum by (job (up)'));
});

test('the drills scale windows found in the syntax tree, never text inside a string', () => {
  assert.equal(scaleExpr('rate(x{route=~"/a[5m]"}[5m])'), 'rate(x{route=~"/a[5m]"}[5s])');
  assert.equal(scaleExpr('max_over_time(rate(x[10m])[1h:1m])'), 'max_over_time(rate(x[10s])[60s:1s])');
  assert.equal(scaleExpr('sum(rate(x[5m])) / sum(rate(x[10m]))'), 'sum(rate(x[5s])) / sum(rate(x[10s]))');
});
