import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { metrics } from '../src/catalog/index.js';
import { App, DefinitionError, Stack } from '../src/constructs/construct.js';
import { Dashboard, Panel, Row } from '../src/constructs/dashboard.js';
import { quantileRule, RuleGroup } from '../src/constructs/rules.js';
import { Slo } from '../src/constructs/slo.js';
import { promql } from '../src/promql/expr.js';

type GridPanel = { id: number; type: string; gridPos: { x: number; y: number; w: number; h: number }; targets?: { refId: string; datasource: { uid: string } }[]; datasource?: { uid: string } };

function dashboardWith(widths: number[]) {
  const stack = new Stack(new App(), 'test');
  const d = new Dashboard(stack, 'grid', { title: 'Grid test', description: 'layout under test', tags: ['t'] });
  const row = new Row(d, 'r', { title: 'Row' });
  widths.forEach((w, i) =>
    new Panel(row, `p${i}`, {
      title: `P${i}`,
      description: 'a panel under test',
      unit: 'short',
      width: w,
      queries: [{ expr: promql`${metrics.up}` }, { expr: promql`${metrics.up} == 0` }],
    }),
  );
  return d.build() as { panels: GridPanel[] };
}

describe('constructs', () => {
  it('lay panels out on the 24-column grid, wrapping without overlap', () => {
    const { panels } = dashboardWith([12, 12, 16, 8, 24]);
    const grid = panels.filter((p) => p.type !== 'row').map((p) => p.gridPos);
    assert.deepEqual(grid, [
      { x: 0, y: 1, w: 12, h: 8 },
      { x: 12, y: 1, w: 12, h: 8 },
      { x: 0, y: 9, w: 16, h: 8 },
      { x: 16, y: 9, w: 8, h: 8 },
      { x: 0, y: 17, w: 24, h: 8 },
    ]);
  });

  it('fill in what the SDK leaves empty: ids, refIds, datasources', () => {
    const { panels } = dashboardWith([8, 8]);
    assert.deepEqual(panels.map((p) => p.id), [1, 2, 3]);
    for (const p of panels.filter((x) => x.type !== 'row')) {
      assert.equal(p.datasource?.uid, '${datasource}');
      assert.deepEqual(p.targets?.map((t) => t.refId), ['A', 'B']);
      assert.ok(p.targets?.every((t) => t.datasource.uid === '${datasource}'));
    }
  });

  it('reject invalid props with the construct path and field', () => {
    const stack = new Stack(new App(), 'test');
    assert.throws(
      () => new Dashboard(stack, 'Bad UID', { title: 'Bad', description: 'long enough', tags: ['t'] }),
      (e: unknown) => e instanceof DefinitionError && /test\/Bad UID/.test(e.message) && /lower-case/.test(e.message),
    );
    const d = new Dashboard(stack, 'ok', { title: 'Okay', description: 'long enough', tags: ['t'] });
    const row = new Row(d, 'r', { title: 'Row' });
    assert.throws(() => new Panel(row, 'p', { title: 'P', description: 'short', unit: 'short', queries: [{ expr: 'up' }] }), /field "description"/);
    assert.throws(() => new Row(d, 'r', { title: 'Again' }), /already has id "r"/);
  });

  it('name the file and line that created an invalid construct, also through helpers and subclasses', () => {
    const stack = new Stack(new App(), 'test');
    const rule = quantileRule(new RuleGroup(stack, 'g'), 'p95', {
      record: 'job:http_request_duration_seconds:p95_rate5m',
      histogram: metrics.httpRequestDuration,
      quantile: 0.95,
      window: '5m',
      example: { method: 'GET', route: '/x' },
    });
    assert.match(rule.source ?? '', /^test\/constructs\.test\.ts:\d+$/);
    const line = Number(new Error().stack!.split('\n')[1]!.match(/:(\d+):\d+\)?$/)![1]) + 2;
    assert.throws(
      () => new Slo(stack, 'slo', { title: 'p95', description: 'latency objective', sli: rule, threshold: -1, alertFor: '5m', load: { metric: 'x', stat: 'rate' } }),
      (e: unknown) => e instanceof DefinitionError && e.source === `test/constructs.test.ts:${line}` && e.message.startsWith(`test/constructs.test.ts:${line} app/test/slo: field "threshold": `),
    );
  });

  it('build SLO alert cases on either side of the threshold', () => {
    const stack = new Stack(new App(), 'test');
    const rule = quantileRule(new RuleGroup(stack, 'g'), 'p95', {
      record: 'job:http_request_duration_seconds:p95_rate5m',
      histogram: metrics.httpRequestDuration,
      quantile: 0.95,
      window: '5m',
      example: { method: 'GET', route: '/x' },
    });
    const slo = new Slo(stack, 'slo', { title: 'p95', description: 'latency objective', sli: rule, threshold: 0.3, alertFor: '5m', load: { metric: 'http_req_duration', stat: 'p(95)', scale: 1000 } });
    const cases = slo.alertCases();
    assert.ok(Math.abs(cases.fires.value! - 0.33) < 1e-12);
    assert.equal(slo.thresholdText, '300ms');
    // One input series per bucket bound plus +Inf.
    assert.equal(cases.fires.inputs.length, metrics.httpRequestDuration.spec.buckets.length + 1);
    assert.throws(() => rule.sample!(0.001), /must lie above the first bucket/);
  });
});
