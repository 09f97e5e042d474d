import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { metrics, re } from '../../src/catalog/index.js';
import { App, DefinitionError, DefinitionErrors, Stack } from '../../src/constructs/construct.js';
import { Dashboard, Panel, Row } from '../../src/constructs/dashboard.js';
import { UP_DOWN } from '../../src/constructs/panel-options.js';
import { ms, percent } from '../../src/constructs/quantity.js';
import { RuleGroup } from '../../src/constructs/rules.js';
import { quantileRule, ratioRule } from '../../src/constructs/sli-rules.js';
import { Slo } from '../../src/constructs/slo.js';
import { promql } from '../../src/promql/expr.js';

type GridPanel = {
  id: number;
  type: string;
  gridPos: { x: number; y: number; w: number; h: number };
  targets?: { refId: string; datasource: { uid: string } }[];
  datasource?: { uid: string };
};

function dashboardWith(widths: number[]) {
  const stack = new Stack(new App(), 'test');
  const d = new Dashboard(stack, 'grid', { title: 'Grid test', description: 'layout under test', tags: ['t'] });
  const row = new Row(d, 'r', { title: 'Row' });
  widths.forEach(
    (w, i) =>
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

/** A p95 latency SLI over the request-duration histogram, for SLO tests. */
const p95Rule = (stack: Stack) =>
  quantileRule(new RuleGroup(stack, 'g'), 'p95', {
    record: 'job:http_request_duration_seconds:p95_rate5m',
    histogram: metrics.httpRequestDuration,
    quantile: 0.95,
    window: '5m',
    example: { method: 'GET', route: '/x' },
  });

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
    assert.deepEqual(
      panels.map((p) => p.id),
      [1, 2, 3],
    );
    for (const p of panels.filter((x) => x.type !== 'row')) {
      assert.equal(p.datasource?.uid, '${datasource}');
      assert.deepEqual(
        p.targets?.map((t) => t.refId),
        ['A', 'B'],
      );
      assert.ok(p.targets?.every((t) => t.datasource.uid === '${datasource}'));
    }
  });

  it('report invalid props with the construct path and field when the tree is validated', () => {
    const stack = new Stack(new App(), 'test');
    new Dashboard(stack, 'Bad UID', { title: 'Bad', description: 'long enough', tags: ['t'] });
    const d = new Dashboard(stack, 'ok', { title: 'Okay', description: 'long enough', tags: ['t'] });
    const row = new Row(d, 'r', { title: 'Row' });
    new Panel(row, 'p', { title: 'P', description: 'short', unit: 'short', queries: [{ expr: 'up' }] });
    new Row(d, 'r', { title: 'Again' });
    const messages = stack.validate().map((e) => e.message);
    assert.equal(messages.length, 3, messages.join('\n'));
    assert.match(messages[0]!, /test\/Bad UID: field "id": got "Bad UID" — fix: .*lower-case/);
    assert.match(messages[1]!, /test\/ok\/r\/p: field "description"/);
    assert.match(
      messages[2]!,
      /test\/ok\/r: field "id": another construct under app\/test\/ok already has id "r" — fix: give one of them another id/,
    );
  });

  it('name the file and line that created an invalid construct, also through helpers and subclasses', () => {
    const stack = new Stack(new App(), 'test');
    const rule = p95Rule(stack);
    assert.match(rule.source ?? '', /^test\/constructs\/constructs\.test\.ts:\d+$/);
    const line = Number(new Error().stack!.split('\n')[1]!.match(/:(\d+):\d+\)?$/)![1]) + 1;
    const slo = new Slo(stack, 'slo', {
      title: 'p95',
      description: 'latency objective',
      sli: rule,
      threshold: ms(-1),
      alertFor: '5m',
      load: { metric: 'x', stat: 'rate' },
    });
    const [error, ...more] = stack.validate();
    assert.deepEqual(more, []);
    assert.ok(error instanceof DefinitionError);
    assert.equal(slo.source, `test/constructs/constructs.test.ts:${line}`);
    // The bad field's own line (ms(-1) notes where it was written), four below the `new Slo`.
    assert.equal(error.source, `test/constructs/constructs.test.ts:${line + 4}`);
    assert.ok(
      error.message.startsWith(
        `test/constructs/constructs.test.ts:${line + 4} app/test/slo: field "threshold.value": got -0.001 — fix: `,
      ),
      error.message,
    );
    // Its alert's tests are built from the threshold while the tree loads: reading it throws at once.
    assert.throws(
      () => slo.alertCases(),
      (e: unknown) => e instanceof DefinitionErrors && e.errors.length === 1 && e.errors[0]!.message === error.message,
    );
  });

  it('build SLO alert cases on either side of the threshold', () => {
    const stack = new Stack(new App(), 'test');
    const rule = p95Rule(stack);
    const slo = new Slo(stack, 'slo', {
      title: 'p95',
      description: 'latency objective',
      sli: rule,
      threshold: ms(300),
      alertFor: '5m',
      load: { metric: 'http_req_duration', stat: 'p(95)', scale: 1000 },
    });
    const cases = slo.alertCases();
    assert.ok(Math.abs(cases.fires.value! - 0.33) < 1e-12);
    assert.equal(slo.thresholdText, '300ms');
    // One input series per bucket bound plus +Inf.
    assert.equal(cases.fires.inputs.length, metrics.httpRequestDuration.spec.buckets.length + 1);
    assert.throws(() => rule.sample!(0.001), /must lie above the first bucket/);
  });

  it('make a panel read right: base colour, threshold line, value texts, links, no-value text', () => {
    const stack = new Stack(new App(), 'test');
    const d = new Dashboard(stack, 'reading', {
      title: 'Reading',
      description: 'panels that read right',
      tags: ['t'],
      defaultJob: 'api',
    });
    const row = new Row(d, 'r', { title: 'Row' });
    new Panel(row, 'graph', {
      title: 'Graph',
      description: 'an SLO on a graph',
      unit: 'percentunit',
      thresholds: [{ value: 0.005, color: 'red' }],
      links: [{ title: 'Runbook', url: 'https://example.invalid/r#a' }],
      queries: [{ expr: promql`${metrics.up}` }],
    });
    new Panel(row, 'health', {
      kind: 'stat',
      title: 'Up',
      description: 'a 0/1 health value',
      unit: 'bool',
      baseColor: 'red',
      thresholds: [{ value: 1, color: 'green' }],
      texts: UP_DOWN,
      noValue: 'no data',
      queries: [{ expr: promql`${metrics.up}` }],
    });
    const built = d.build() as {
      panels: Array<Record<string, any>>;
      links: Array<Record<string, unknown>>;
      templating: { list: Array<{ name: string; current: unknown }> };
    };
    const [graph, health] = built.panels.filter((p) => p.type !== 'row');
    assert.deepEqual(graph!.fieldConfig.defaults.custom.thresholdsStyle, { mode: 'dashed' });
    assert.deepEqual(graph!.fieldConfig.defaults.thresholds.steps, [
      { value: null, color: 'green' },
      { value: 0.005, color: 'red' },
    ]);
    assert.deepEqual(
      graph!.links.map((l: any) => [l.title, l.url, l.targetBlank, 'placement' in l]),
      [['Runbook', 'https://example.invalid/r#a', true, false]],
    );
    assert.deepEqual(health!.fieldConfig.defaults.thresholds.steps, [
      { value: null, color: 'red' },
      { value: 1, color: 'green' },
    ]);
    assert.deepEqual(health!.fieldConfig.defaults.mappings, [
      {
        type: 'value',
        options: { '0': { text: 'DOWN', color: 'red', index: 0 }, '1': { text: 'UP', color: 'green', index: 1 } },
      },
    ]);
    assert.equal(health!.fieldConfig.defaults.noValue, 'no data');
    assert.equal(health!.fieldConfig.defaults.custom, undefined, 'a stat has no threshold line');
    assert.deepEqual(built.templating.list.find((v) => v.name === 'job')!.current, { text: 'api', value: 'api' });
    assert.deepEqual(
      built.links.map((l) => [l.type, l.tags, l.asDropdown, l.keepTime, l.includeVars]),
      [['dashboards', ['stressgate'], true, true, true]],
    );
  });

  it('make a table query instant in table format, with declared columns only', () => {
    const stack = new Stack(new App(), 'test');
    const d = new Dashboard(stack, 'table', { title: 'Table', description: 'a table panel', tags: ['t'] });
    new Panel(new Row(d, 'r', { title: 'Row' }), 't', {
      kind: 'table',
      title: 'Alerts',
      description: 'alerts as rows',
      unit: 'none',
      queries: [{ expr: promql`${metrics.alerts}` }],
      table: {
        columns: [
          { field: 'alertname', title: 'Alert' },
          { field: 'Value', title: 'Since', unit: 'dateTimeFromNow' },
          {
            field: 'runbook',
            title: 'Runbook',
            texts: () => [{ value: 'A', text: 'alerts.md#a' }],
            link: { title: 'Open', url: 'https://x.invalid/${__value.text}' },
          },
        ],
      },
    });
    const p = (d.build() as { panels: Array<Record<string, any>> }).panels[1]!;
    assert.deepEqual([p.targets[0].format, p.targets[0].instant], ['table', true]);
    assert.deepEqual(p.transformations[0].options.includeByName, { alertname: true, Value: true, runbook: true });
    assert.deepEqual(p.transformations[0].options.renameByName, {
      alertname: 'Alert',
      Value: 'Since',
      runbook: 'Runbook',
    });
    assert.deepEqual(
      p.fieldConfig.overrides.map((o: any) => [o.matcher.options, o.properties.map((x: any) => x.id)]),
      [
        ['Since', ['unit']],
        ['Runbook', ['mappings', 'links']],
      ],
    );
    assert.equal(p.fieldConfig.overrides[1].properties[0].value[0].options.A.text, 'alerts.md#a');
  });

  it('takes SLO objectives as typed quantities: a bare number or the wrong kind is a type error', () => {
    const stack = new Stack(new App(), 'test');
    const group = new RuleGroup(stack, 'g');
    const ratio = ratioRule(group, 'ratio', {
      record: 'job:http_requests_5xx:ratio_rate5m',
      errors: metrics.httpRequests.select({ status: re('5..') }),
      total: metrics.httpRequests.select(),
      window: '5m',
      examples: { error: { status: '503' }, ok: { status: '200' } },
    });
    const load = { metric: 'http_5xx', stat: 'rate' } as const;
    const base = { title: 'ratio', description: 'share of failed requests', sli: ratio, alertFor: '2m', load } as const;
    assert.equal(new Slo(stack, 'ok', { ...base, threshold: percent(0.5) }).threshold, 0.005);
    // tsc fails this file if either line below stops being a type error (`make test` type-checks it).
    // @ts-expect-error a ratio written as a bare number: is 0.5 meant as 50% or 0.5%?
    const bare = new Slo(stack, 'bare', { ...base, threshold: 0.5 });
    assert.match(
      bare
        .validate()
        .map((e) => e.message)
        .join('\n'),
      /test\/bare: field "threshold": got 0\.5 — fix: write the objective as a quantity such as percent\(0\.5\)/,
    );
    // @ts-expect-error a latency objective on a ratio indicator
    const kind = new Slo(stack, 'kind', { ...base, threshold: ms(300) });
    assert.match(
      kind
        .validate()
        .map((e) => e.message)
        .join('\n'),
      /test\/kind: field "threshold": 300ms is a seconds quantity, but job:http_requests_5xx:ratio_rate5m records ratio/,
    );
    assert.deepEqual([percent(1).value, ms(500).value, percent(0.1).text], [0.01, 0.5, '0.1%']);
  });
});
