// Relative criteria on the SLO (src/constructs/regression.ts): typed by the indicator's unit (percentage points for a ratio, a
// duration and a relative share for latency), so a wrong kind is a type error; checked again at run
// time for callers that cast; production defaults when none are given.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { metrics, re } from '../../src/catalog/index.js';
import { App, Stack } from '../../src/constructs/construct.js';
import { ms, percent, percentagePoints } from '../../src/constructs/quantity.js';
import { RuleGroup } from '../../src/constructs/rules.js';
import { quantileRule, ratioRule } from '../../src/constructs/sli-rules.js';
import { Slo } from '../../src/constructs/slo.js';
import { slos } from '../../src/slos/index.js';

function rules() {
  const stack = new Stack(new App(), 'test');
  const group = new RuleGroup(stack, 'g');
  const ratio = ratioRule(group, 'ratio', {
    record: 'job:http_requests_5xx:ratio_rate5m',
    errors: metrics.httpRequests.select({ status: re('5..') }),
    total: metrics.httpRequests.select(),
    window: '5m',
    examples: { error: { status: '503' }, ok: { status: '200' } },
  });
  const p95 = quantileRule(group, 'p95', {
    record: 'job:http_request_duration_seconds:p95_rate10m',
    histogram: metrics.httpRequestDuration,
    quantile: 0.95,
    window: '10m',
    example: { method: 'GET', route: '/api/posts' },
  });
  const common = { title: 'an SLO', description: 'what users feel when it breaks', alertFor: '5m' } as const;
  const ratioSlo = {
    ...common,
    sli: ratio,
    threshold: percent(0.5),
    load: { metric: 'http_5xx', stat: 'rate' },
  } as const;
  const latencySlo = {
    ...common,
    sli: p95,
    threshold: ms(300),
    load: { metric: 'http_req_duration', stat: 'p(95)', scale: 1000 },
  } as const;
  return { stack, ratioSlo, latencySlo };
}
const messages = (s: Slo) =>
  s
    .validate()
    .map((e) => e.message)
    .join('\n');

describe('SLO regression tolerance', () => {
  it('production defaults: latency 10% and 20 ms worse, a ratio 0.1 percentage points', () => {
    assert.deepEqual(slos.apiLatencyP95.regression, {
      relative: 0.1,
      absolute: 0.02,
      text: 'worse by more than 10% and 20ms',
    });
    assert.deepEqual(slos.http5xxRatio.regression, { relative: 0, absolute: 0.001, text: 'worse by more than 0.1pp' });
  });

  it('takes typed tolerances; the wrong kind is a type error and, cast past the types, a definition error', () => {
    const { stack, ratioSlo, latencySlo } = rules();
    const lat = new Slo(stack, 'lat', { ...latencySlo, regression: { relative: percent(5), absolute: ms(10) } });
    assert.deepEqual([lat.regression.relative, lat.regression.absolute], [0.05, 0.01]);
    assert.equal(messages(lat), '');
    const pts = new Slo(stack, 'pts', { ...ratioSlo, regression: { absolute: percentagePoints(0.2) } });
    assert.deepEqual([pts.regression.absolute, pts.regression.text], [0.002, 'worse by more than 0.2pp']);
    // tsc fails this file if any line below stops being a type error.
    // @ts-expect-error a relative percent where percentage points are meant: "0.1% worse" or "0.1 points"?
    const pct = new Slo(stack, 'pct', { ...ratioSlo, regression: { absolute: percent(0.1) } });
    assert.match(
      messages(pct),
      /field "regression": .* records a ratio: its tolerance is an absolute change in percentage points/,
    );
    // @ts-expect-error points on a latency SLO
    const wrong = new Slo(stack, 'wrong', { ...latencySlo, regression: { absolute: percentagePoints(1) } });
    assert.match(
      messages(wrong),
      /field "regression.absolute": 1pp is a ratio quantity, but .* records seconds .*ms\(20\)/,
    );
    // @ts-expect-error a bare number
    const bare = new Slo(stack, 'bare', { ...latencySlo, regression: { relative: 0.1 } });
    assert.match(messages(bare), /field "regression.relative"/);
  });
});
