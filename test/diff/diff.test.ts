import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import {
  buildReport,
  diffDashboards,
  diffRuleFiles,
  diffThresholds,
  extractThresholds,
  renderMarkdown,
  thresholdVerdict,
} from '../../src/diff/index.js';
import { ALERTS, DASH, FIXTURES, section } from './helpers.js';

const yamlFixture = async (name: string): Promise<unknown> => parseYaml(await readFile(join(FIXTURES, name), 'utf8'));
const jsonFixture = async (name: string): Promise<unknown> =>
  JSON.parse(await readFile(join(FIXTURES, name), 'utf8')) as unknown;

async function rulePair(head: string, base = 'rules-base.yml') {
  const rules = diffRuleFiles({ [ALERTS]: await yamlFixture(base) }, { [ALERTS]: await yamlFixture(head) });
  const report = buildReport({ base: { ref: 'base' }, rules, dashboards: { added: [], removed: [], changed: [] } });
  return { rules, report, markdown: renderMarkdown(report) };
}

async function dashboardPair(head: string) {
  const dashboards = diffDashboards(
    { [DASH]: await jsonFixture('dashboard-base.json') },
    { [DASH]: await jsonFixture(head) },
  );
  const report = buildReport({
    base: { ref: 'base' },
    rules: { added: [], removed: [], changed: [], groups: [] },
    dashboards,
  });
  return { dashboards, report, markdown: renderMarkdown(report) };
}

describe('diff: thresholds in PromQL', () => {
  it('finds comparisons against number literals, number on the right', () => {
    const pick = (e: string) => extractThresholds(e).map((t) => `${t.op} ${t.value}${t.bool ? ' bool' : ''}`);
    assert.deepEqual(pick('job:x:ratio_rate5m > 0.005'), ['> 0.005']);
    assert.deepEqual(pick('0.3 < job:latency'), ['> 0.3'], 'a literal on the left is flipped');
    assert.deepEqual(pick('a >= 5 and b < -(2)'), ['>= 5', '< -2']);
    assert.deepEqual(pick('x > bool 1e3'), ['> 1000 bool']);
    assert.deepEqual(pick('up == 0'), ['== 0']);
    assert.deepEqual(pick('a > on (job) clamp_min(0.1 * b, 5)'), [], 'not a literal: no threshold');
    assert.deepEqual(pick('rate(x[5m]) * 100'), []);
  });

  it('knows which way is weaker', () => {
    assert.equal(thresholdVerdict({ op: '>', value: 0.005 }, { op: '>', value: 0.05 }), 'weaker');
    assert.equal(thresholdVerdict({ op: '>', value: 0.5 }, { op: '>', value: 0.3 }), 'stricter');
    assert.equal(thresholdVerdict({ op: '<', value: 0.8 }, { op: '<', value: 0.5 }), 'weaker');
    assert.equal(thresholdVerdict({ op: '>=', value: 1 }, { op: '>', value: 1 }), 'weaker');
    assert.equal(thresholdVerdict({ op: '>', value: 1 }, { op: '<', value: 1 }), 'review');
    assert.equal(thresholdVerdict({ op: '==', value: 0 }, { op: '==', value: 1 }), 'review');
    assert.equal(thresholdVerdict({ op: '>', value: 1 }, { op: '>', value: 1 }), undefined);
  });
});

describe('diff: comparisons pair by the shape of their operand, not by position', () => {
  it('a guard added in front: the unchanged threshold is not reported, a weakening next to it is', async () => {
    const { rules, report } = await rulePair('rules-pairing-head.yml', 'rules-pairing-base.yml');
    const change = (name: string) => rules.changed.find((c) => c.name === name)!;
    assert.deepEqual(change('BackupStale').expr?.thresholds, [
      { new: { op: '>', value: 0, literal: '0' }, verdict: 'review' },
    ]);
    assert.deepEqual(change('ReplicationLagHigh').expr?.thresholds, [
      {
        old: { op: '>', value: 600, literal: '600' },
        new: { op: '>', value: 1800, literal: '1800' },
        verdict: 'weaker',
      },
      { new: { op: '>', value: 0, literal: '0' }, verdict: 'review' },
    ]);
    assert.deepEqual(
      report.weaker.map((f) => [f.name, f.reasons]),
      [
        ['ReplicationLagHigh', ['threshold > 600 → > 1800 (fires later)']],
        ['QueueBacklog', ['threshold > 50 → > 80 (fires later)']],
      ],
    );
    assert.ok(!JSON.stringify(report).includes('> 3600 →'), 'the unchanged > 3600 is not paired with the guard');
  });

  it('equal operands pair in order; whitespace and comments outside strings are not a change', async () => {
    const { rules } = await rulePair('rules-pairing-head.yml', 'rules-pairing-base.yml');
    const queue = rules.changed.find((c) => c.name === 'QueueBacklog')!;
    assert.deepEqual(queue.expr?.thresholds, [
      { old: { op: '>', value: 50, literal: '50' }, new: { op: '>', value: 80, literal: '80' }, verdict: 'weaker' },
    ]);
    assert.equal(queue.expr?.structural, false);
  });

  it('whitespace inside a label value is a change; `for: 0s` added changes no strength', async () => {
    const { rules, report } = await rulePair('rules-pairing-head.yml', 'rules-pairing-base.yml');
    const worker = rules.changed.find((c) => c.name === 'WorkerDown')!;
    assert.equal(worker.expr?.structural, true);
    assert.deepEqual(worker.for, { new: '0s' });
    assert.deepEqual(worker.flags, [{ verdict: 'review', reason: 'expression changed beyond its threshold numbers' }]);
    assert.ok(!report.weaker.some((f) => f.name === 'WorkerDown'));
  });

  it('a threshold nested in the operand is masked, so the outer comparison still pairs', () => {
    const pairs = diffThresholds(
      extractThresholds('sum(rate(x[5m]) > 0.5) > 3'),
      extractThresholds('sum(rate(x[5m]) > 0.9) > 3'),
    );
    assert.deepEqual(pairs, [
      { old: { op: '>', value: 0.5, literal: '0.5' }, new: { op: '>', value: 0.9, literal: '0.9' }, verdict: 'weaker' },
    ]);
    const moved = diffThresholds(extractThresholds('a > 1 and b < 2'), extractThresholds('b < 2 and a > 1'));
    assert.deepEqual(moved, [], 'reordered comparisons are the same comparisons');
  });
});

describe('diff: rule files', () => {
  it('threshold raised on a gate alert: flagged weaker, numbers old → new', async () => {
    const { rules, report, markdown } = await rulePair('rules-threshold-raised.yml');
    assert.equal(rules.changed.length, 1);
    const c = rules.changed[0]!;
    assert.equal(c.name, 'Http5xxRatioHigh');
    assert.equal(c.gate, true);
    assert.equal(c.expr?.old, 'job:http_requests_5xx:ratio_rate5m > 0.005');
    assert.equal(c.expr?.new, 'job:http_requests_5xx:ratio_rate5m > 0.05');
    assert.deepEqual(c.expr?.thresholds, [
      {
        old: { op: '>', value: 0.005, literal: '0.005' },
        new: { op: '>', value: 0.05, literal: '0.05' },
        verdict: 'weaker',
      },
    ]);
    assert.equal(c.expr?.structural, false, 'only the number moved');
    assert.deepEqual(report.weaker, [
      {
        name: 'Http5xxRatioHigh',
        kind: 'alert',
        verdict: 'weaker',
        reasons: ['threshold > 0.005 → > 0.05 (fires later)'],
      },
    ]);
    assert.deepEqual(report.review, []);
    assert.ok(markdown.indexOf('### ⚠ Weaker gate alerts') < markdown.indexOf('### Alerts'), 'weaker section first');
    assert.match(section(markdown, '⚠ Weaker gate alerts'), /\*\*Http5xxRatioHigh\*\*: threshold > 0\.005 → > 0\.05/);
    const alerts = section(markdown, 'Alerts');
    assert.ok(
      alerts.includes(
        'expr: `job:http_requests_5xx:ratio_rate5m > 0.005` → `job:http_requests_5xx:ratio_rate5m > 0.05`',
      ),
      alerts,
    );
    assert.ok(alerts.includes('threshold: `> 0.005` → `> 0.05` **⚠ weaker**'), alerts);
  });

  it('`for` removed on a gate alert: flagged for review, not weaker', async () => {
    const { rules, report, markdown } = await rulePair('rules-for-removed.yml');
    const c = rules.changed[0]!;
    assert.equal(c.name, 'ApiLatencyP95High');
    assert.deepEqual(c.for, { old: '5m' });
    assert.equal(c.expr, undefined);
    assert.deepEqual(report.weaker, []);
    assert.equal(report.review.length, 1);
    assert.match(report.review[0]!.reasons[0]!, /^for: 5m removed/);
    assert.ok(section(markdown, 'Alerts').includes('for: `5m` removed'));
    assert.match(section(markdown, 'Gate changes to review'), /\*\*ApiLatencyP95High\*\*: for: 5m removed/);
  });

  it('`for` made longer, severity lowered, gate label dropped: all weaker', () => {
    const alert = (extra: Record<string, unknown>) => ({
      groups: [
        {
          name: 'g',
          rules: [
            { alert: 'A', expr: 'x > 1', for: '1m', labels: { gate: 'release', severity: 'critical' }, ...extra },
          ],
        },
      ],
    });
    const rules = diffRuleFiles(
      { [ALERTS]: alert({}) },
      { [ALERTS]: alert({ for: '10m', labels: { severity: 'warning' } }) },
    );
    const report = buildReport({ base: { ref: 'b' }, rules, dashboards: { added: [], removed: [], changed: [] } });
    assert.deepEqual(report.weaker[0]?.reasons, [
      'for: 1m → 10m (longer: fires later)',
      'label gate removed: no longer a release-gate alert',
      'severity critical → warning (lowered)',
    ]);
  });

  it('gate alert removed: flagged weaker', async () => {
    const { rules, report, markdown } = await rulePair('rules-alert-removed.yml');
    assert.deepEqual(rules.changed, []);
    assert.deepEqual(
      rules.removed.map((r) => [r.name, r.gate, r.location.group]),
      [['TargetDown', true, 'dependency-alerts']],
    );
    assert.deepEqual(
      report.weaker.map((f) => [f.name, f.reasons]),
      [['TargetDown', ['removed: the gate no longer checks this']]],
    );
    assert.match(section(markdown, '⚠ Weaker gate alerts'), /\*\*TargetDown\*\*: removed/);
    assert.match(section(markdown, 'Alerts'), /➖ removed: \*\*TargetDown\*\* · gate .*`up == 0`.* · \*\*⚠ weaker\*\*/);
  });

  it('label changed on a non-gate alert: listed, not flagged', async () => {
    const { rules, report, markdown } = await rulePair('rules-label-changed.yml');
    const c = rules.changed[0]!;
    assert.equal(c.name, 'CacheHitRateLow');
    assert.equal(c.gate, false);
    assert.deepEqual(c.labels, [
      { key: 'severity', old: 'warning', new: 'info' },
      { key: 'team', new: 'platform' },
    ]);
    assert.deepEqual(c.flags, []);
    assert.deepEqual([report.weaker, report.review], [[], []]);
    assert.ok(!markdown.includes('Weaker'));
    const alerts = section(markdown, 'Alerts (1 changed)');
    assert.ok(alerts.includes('label `severity`: `warning` → `info`'), alerts);
    assert.ok(alerts.includes('label `team` added: `platform`'), alerts);
  });

  it('group moves, annotations and recording rules read by gate alerts', () => {
    const recording = (expr: string) => ({ groups: [{ name: 'rec', rules: [{ record: 'job:x:ratio', expr }] }] });
    const alerts = (group: string, summary: string) => ({
      groups: [
        {
          name: group,
          rules: [{ alert: 'XHigh', expr: 'job:x:ratio > 0.1', labels: { gate: 'release' }, annotations: { summary } }],
        },
      ],
    });
    const rules = diffRuleFiles(
      { 'rec.yml': recording('sum(rate(x[5m]))'), [ALERTS]: alerts('a', 'old') },
      { 'rec.yml': recording('sum(rate(x[10m]))'), [ALERTS]: alerts('b', 'new') },
    );
    const alert = rules.changed.find((c) => c.kind === 'alert')!;
    assert.deepEqual(alert.location, { old: { file: ALERTS, group: 'a' }, new: { file: ALERTS, group: 'b' } });
    assert.deepEqual(alert.annotations, [{ key: 'summary', old: 'old', new: 'new' }]);
    const record = rules.changed.find((c) => c.kind === 'record')!;
    assert.deepEqual(record.flags, [{ verdict: 'review', reason: 'expression changed; gate alerts read it: XHigh' }]);
    assert.deepEqual(
      rules.groups.map((g) => [g.group, g.change]),
      [
        ['a', 'removed'],
        ['b', 'added'],
      ],
    );
  });

  it('recording rules with one name and several label sets pair by labels', () => {
    const doc = (q90: string) => ({
      groups: [
        {
          name: 'rec',
          rules: [
            { record: 'job:latency:quantile', expr: 'histogram_quantile(0.5, x)', labels: { quantile: '0.5' } },
            { record: 'job:latency:quantile', expr: q90, labels: { quantile: '0.9' } },
          ],
        },
      ],
    });
    const rules = diffRuleFiles(
      { 'r.yml': doc('histogram_quantile(0.9, x)') },
      { 'r.yml': doc('histogram_quantile(0.9, y)') },
    );
    assert.deepEqual(
      rules.changed.map((c) => c.key),
      ['job:latency:quantile {quantile="0.9"}'],
    );
    assert.deepEqual(rules.changed[0]?.expr?.numbers, undefined, 'same numbers');
  });

  it('the real alerts.yml: a number outside a plain comparison is shown and sent to review', async () => {
    const text = await readFile(resolve(import.meta.dirname, '../..', ALERTS), 'utf8');
    const edited = text.replace(
      'clamp_min(0.1 * sum by (job, channel) (ws_connections_active), 5)',
      'clamp_min(0.25 * sum by (job, channel) (ws_connections_active), 5)',
    );
    assert.notEqual(edited, text, 'the WsDisconnectSpike expression is where this test expects it');
    const rules = diffRuleFiles({ [ALERTS]: parseYaml(text) }, { [ALERTS]: parseYaml(edited) });
    const c = rules.changed[0]!;
    assert.equal(c.name, 'WsDisconnectSpike');
    assert.deepEqual(c.expr?.numbers, { old: ['0.1', '5'], new: ['0.25', '5'] });
    assert.deepEqual(c.flags, [{ verdict: 'review', reason: 'expression changed beyond its threshold numbers' }]);
    const markdown = renderMarkdown(
      buildReport({ base: { ref: 'b' }, rules, dashboards: { added: [], removed: [], changed: [] } }),
    );
    assert.ok(markdown.includes('numbers: `0.1, 5` → `0.25, 5`'), markdown);
  });

  it('no change: empty diff, "no changes"', async () => {
    const { rules, report, markdown } = await rulePair('rules-base.yml');
    assert.deepEqual(rules, { added: [], removed: [], changed: [], groups: [] });
    assert.equal(report.changed, false);
    assert.match(markdown, /^no changes/);
  });
});

describe('diff: dashboards', () => {
  it('panel query changed: by refId, old → new', async () => {
    const { dashboards, markdown } = await dashboardPair('dashboard-query-changed.json');
    assert.equal(dashboards.changed.length, 1);
    const d = dashboards.changed[0]!;
    assert.equal(d.uid, 'api-overview');
    assert.deepEqual(d.panelsAdded, []);
    assert.deepEqual(d.panelsRemoved, []);
    assert.equal(d.panelsChanged.length, 1);
    const p = d.panelsChanged[0]!;
    assert.equal(p.id, 3);
    assert.deepEqual(p.queries, [
      {
        refId: 'A',
        old: 'sum by (status) (rate(http_requests_total{job=~"$job"}[$__rate_interval]))',
        new: 'sum by (code) (rate(http_requests_total{job=~"$job"}[$__rate_interval]))',
        change: 'changed',
        other: [],
      },
    ]);
    const md = section(markdown, 'Dashboards');
    assert.ok(md.includes('**API overview** (`api-overview`)'), md);
    assert.ok(md.includes('panel **Request rate by status** (id 3, timeseries)'), md);
    assert.ok(md.includes('`sum by (status) (rate(http_requests_total{job=~"$job"}[$__rate_interval]))`'), md);
    assert.ok(md.includes('`sum by (code) (rate(http_requests_total{job=~"$job"}[$__rate_interval]))`'), md);
  });

  it('panel added: the renumbered panels after it are matched by title, and moved', async () => {
    const { dashboards, markdown } = await dashboardPair('dashboard-panel-added.json');
    const d = dashboards.changed[0]!;
    assert.deepEqual(d.panelsAdded, [{ id: 3, title: 'Error ratio', type: 'timeseries' }]);
    assert.deepEqual(d.panelsRemoved, []);
    assert.deepEqual(
      d.panelsChanged.map((p) => [p.title, p.idChanged, p.moved?.new, p.queries.length, p.retitled]),
      [
        ['Request rate by status', { old: 3, new: 4 }, { x: 0, y: 9, w: 12, h: 8 }, 0, undefined],
        ['p95 latency', { old: 4, new: 5 }, { x: 12, y: 9, w: 12, h: 8 }, 0, undefined],
      ],
    );
    const md = section(markdown, 'Dashboards');
    assert.ok(md.includes('➕ panel added: **Error ratio** (id 3, timeseries)'), md);
    assert.ok(md.includes('moved: `x=12 y=1 w=12 h=8` → `x=0 y=9 w=12 h=8`'), md);
  });

  it('panel removed', async () => {
    const { dashboards, markdown } = await dashboardPair('dashboard-panel-removed.json');
    const d = dashboards.changed[0]!;
    assert.deepEqual(d.panelsRemoved, [{ id: 4, title: 'p95 latency', type: 'timeseries' }]);
    assert.deepEqual([d.panelsAdded, d.panelsChanged], [[], []]);
    assert.ok(markdown.includes('➖ panel removed: **p95 latency** (id 4, timeseries)'));
  });

  it('retitled panel (same id), unit changed, dashboards added and removed by uid', async () => {
    const base = (await jsonFixture('dashboard-base.json')) as { panels: Record<string, unknown>[] };
    const head = structuredClone(base);
    head.panels[3]!.title = 'API p95 latency';
    (head.panels[3]!.fieldConfig as { defaults: { unit: string; decimals?: number } }).defaults.unit = 'ms';
    (head.panels[3]!.fieldConfig as { defaults: { unit: string; decimals?: number } }).defaults.decimals = 1;
    const other = { uid: 'games', title: 'Games', panels: [] };
    const diff = diffDashboards(
      { [DASH]: base, 'd/old.json': { uid: 'old', title: 'Old', panels: [{ id: 1, title: 'x' }] } },
      { [DASH]: head, 'd/games.json': other },
    );
    assert.deepEqual(diff.added, [{ uid: 'games', title: 'Games', file: 'd/games.json', panels: 0 }]);
    assert.deepEqual(diff.removed, [{ uid: 'old', title: 'Old', file: 'd/old.json', panels: 1 }]);
    const p = diff.changed[0]!.panelsChanged[0]!;
    assert.deepEqual(
      [p.id, p.retitled, p.unit],
      [4, { old: 'p95 latency', new: 'API p95 latency' }, { old: 's', new: 'ms' }],
    );
    assert.deepEqual(p.other, [{ path: 'fieldConfig.defaults.decimals', new: 1 }]);
  });

  it('no change', async () => {
    const { dashboards, report } = await dashboardPair('dashboard-base.json');
    assert.deepEqual(dashboards, { added: [], removed: [], changed: [] });
    assert.equal(report.changed, false);
  });
});
