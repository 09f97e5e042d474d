// The dashboard diff on real public dashboards and their histories (test/fixtures/diff/real/README.md):
// the pre-5.0 rows layout, queries without a refId, a uid change, values that print alike, and
// threshold steps judged by the panel's colours.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { buildReport, diffDashboards, renderMarkdown } from '../../src/diff/index.js';
import { short } from '../../src/diff/markdown-dashboards.js';
import { DASH, FIXTURES, section } from './helpers.js';

const REAL = join(FIXTURES, 'real');
type Json = Record<string, unknown> & { rows?: { panels: Json[] }[]; panels?: Json[]; targets?: Json[] };
const json = async (name: string): Promise<Json> => JSON.parse(await readFile(join(REAL, name), 'utf8')) as Json;
const NO_RULES = { added: [], removed: [], changed: [], groups: [] };

function pair(base: unknown, head: unknown) {
  const dashboards = diffDashboards({ [DASH]: base }, { [DASH]: head });
  const report = buildReport({ base: { ref: 'b' }, rules: NO_RULES, dashboards });
  return { dashboards, markdown: renderMarkdown(report) };
}

describe('diff on real dashboards', () => {
  it('the old rows layout (schemaVersion 14) gets a panel-level diff', async () => {
    // rfmoz/grafana-dashboards 5b1c083 "Fix graphs in apache": rate() dropped from three gauges.
    const { dashboards, markdown } = pair(
      await json('rfmoz-apache-rows-base.json'),
      await json('rfmoz-apache-rows-head.json'),
    );
    const d = dashboards.changed[0]!;
    assert.deepEqual(
      d.panelsChanged
        .filter((p) => p.queries.length)
        .map((p) => [p.title, p.queries.map((q) => [q.refId, q.old, q.new])]),
      [
        [
          'Apache Up / Down',
          [
            [
              'B',
              'count(apache_up{instance=~"$host:$port"} == 0)',
              'count_scalar(apache_up{instance=~"$host:$port"} == 0)',
            ],
          ],
        ],
        [
          'Apache scoreboard statuses',
          [['A', 'rate(apache_scoreboard{instance=~"$host:$port"}[5m])', 'apache_scoreboard{instance=~"$host:$port"}']],
        ],
        [
          'Apache worker statuses',
          [['A', 'rate(apache_workers{instance=~"$host:$port"}[5m])', 'apache_workers{instance=~"$host:$port"}\n']],
        ],
        [
          'Apache CPU load',
          [['A', 'rate(apache_cpuload{instance=~"$host:$port"}[5m])', 'apache_cpuload{instance=~"$host:$port"}']],
        ],
      ],
    );
    assert.ok(!d.other.some((f) => f.path.startsWith('rows')), 'the row panels are not reported as row fields');
    assert.deepEqual(d.panelsChanged.find((p) => p.title === 'Uptime')?.other, [
      { path: 'nullPointMode', old: 'null', new: 'connected' },
    ]);
    assert.ok(section(markdown, 'Dashboards').includes('panel **Apache CPU load** (id 4, graph)'), markdown);
  });

  it('queries without a refId pair with their refId-bearing selves (Grafana adds refId on save)', async () => {
    // The same real dashboard as Grafana < 4 saved it (targets without refId) → as saved since.
    const head = await json('rfmoz-apache-rows-base.json');
    const base = structuredClone(head);
    for (const row of base.rows!) for (const p of row.panels) for (const t of p.targets ?? []) delete t.refId;
    const { dashboards } = pair(base, head);
    const queries = dashboards.changed[0]!.panelsChanged.flatMap((p) => p.queries);
    assert.ok(queries.length > 0);
    assert.ok(
      queries.every((q) => q.change === 'changed' && q.old === q.new && q.other[0]?.path === 'refId'),
      JSON.stringify(queries),
    );
    assert.deepEqual(
      dashboards.changed[0]!.panelsChanged.find((p) => p.title === 'Apache Up / Down')?.queries.map((q) => q.other),
      [[{ path: 'refId', new: 'A' }], [{ path: 'refId', new: 'B' }]],
    );
  });

  it('a uid change pairs the dashboard by file and still diffs its panels', async () => {
    // dotdc/grafana-dashboards-kubernetes 97b1b6c: uid k8sViewsGlobal → k8s_views_global.
    const { dashboards, markdown } = pair(
      await json('dotdc-views-global-base.json'),
      await json('dotdc-views-global-head.json'),
    );
    assert.deepEqual(dashboards.added, []);
    assert.deepEqual(dashboards.removed, []);
    const d = dashboards.changed[0]!;
    assert.deepEqual(d.uidChanged, { old: 'k8sViewsGlobal', new: 'k8s_views_global' });
    assert.deepEqual(d.panelsAdded, []);
    assert.deepEqual(d.panelsChanged.find((p) => p.id === 52)?.retitled, {
      old: 'Kubernetes Ressource Count',
      new: 'Kubernetes Resource Count',
    });
    assert.ok(d.panelsChanged.length > 5, `panels compared: ${d.panelsChanged.length}`);
    assert.ok(markdown.includes('uid: `k8sViewsGlobal` → `k8s_views_global`'), markdown);
  });

  it('values that would read alike are quoted: the string "true" and the boolean true read apart', async () => {
    assert.equal(short('true'), '"true"');
    assert.equal(short(true), 'true');
    assert.equal(short('5'), '"5"');
    assert.equal(short(5), '5');
    assert.equal(short(''), '""');
    assert.equal(short('table'), 'table', 'a plain string needs no quotes');
    // rfmoz/grafana-dashboards 04a9907: refresh false → "1m".
    const { markdown } = pair(
      await json('rfmoz-apache-refresh-base.json'),
      await json('rfmoz-apache-refresh-head.json'),
    );
    assert.ok(markdown.includes('`refresh`: `false` → `1m`'), markdown);
    assert.ok(markdown.includes('min`: `null` → `"0"`'), markdown);
  });

  it('threshold steps: raised on a green → red panel is looser; colours that say nothing get no verdict', async () => {
    // The real "CPU  Usage" gauge (green, orange 50, red 70), its red step raised to 90 and its orange
    // step lowered to 40 by hand; the "Nodes" stat's blue step given a value (no direction).
    const base = await json('dotdc-views-global-base.json');
    const head = structuredClone(base);
    const panel = (d: Json, title: string) => d.panels!.find((p) => p.title === title)! as Json;
    const steps = (p: Json) =>
      (p.fieldConfig as { defaults: { thresholds: { steps: { color: string; value: number | null }[] } } }).defaults
        .thresholds.steps;
    steps(panel(head, 'CPU  Usage'))[2]!.value = 90;
    steps(panel(head, 'CPU  Usage'))[1]!.value = 40;
    steps(panel(head, 'Nodes'))[0]!.value = 3;
    const { dashboards, markdown } = pair(base, head);
    const changed = dashboards.changed[0]!.panelsChanged;
    assert.deepEqual(changed.find((p) => p.title === 'CPU  Usage')?.thresholds, [
      { index: 1, color: 'orange', old: 50, new: 40, verdict: 'stricter' },
      { index: 2, color: 'red', old: 70, new: 90, verdict: 'looser' },
    ]);
    const nodes = changed.find((p) => p.title === 'Nodes')!;
    assert.equal(nodes.thresholds, undefined);
    assert.deepEqual(nodes.other, [{ path: 'fieldConfig.defaults.thresholds.steps[0].value', old: null, new: 3 }]);
    assert.ok(markdown.includes('threshold step 2 (red): `70` → `90` (**looser**: it changes colour later)'), markdown);
    assert.ok(markdown.includes('dashboards: 1 changed (1 threshold step looser)'), markdown);
  });

  it('a red → green panel (higher is better) raised is stricter', async () => {
    const panel = (v: number) => ({
      panels: [
        {
          id: 1,
          title: 'Availability',
          type: 'stat',
          fieldConfig: {
            defaults: {
              unit: 'percentunit',
              thresholds: {
                steps: [
                  { color: 'red', value: null },
                  { color: '#73BF69', value: v },
                ],
              },
            },
          },
        },
      ],
    });
    const { dashboards } = pair(panel(0.99), panel(0.999));
    assert.equal(dashboards.changed[0]!.panelsChanged[0]!.thresholds?.[0]?.verdict, 'stricter');
  });
});
