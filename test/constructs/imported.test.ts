// Imported constructs check what Prometheus and Grafana need, and the project's own keep their
// conventions: each check below is shown failing on the input it exists to catch.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { App } from '../../src/constructs/construct.js';
import { Dashboard, Panel, Row } from '../../src/constructs/dashboard.js';
import { Alert, RecordingRule, RuleGroup } from '../../src/constructs/rules.js';
import { rawPromql } from '../../src/promql/raw.js';

const fields = (app: App) => app.validate().map((e) => `${e.constructPath.split('/').pop()}.${e.field}`);

it('imported rules: any metric name and no tests, but a valid hold, limit and known fields', () => {
  const app = new App('t');
  const g = new RuleGroup(app, 'g', { limit: -1 });
  new RecordingRule(g, 'ok', {
    imported: true,
    record: 'node_namespace_pod:kube_pod_info:',
    expr: rawPromql('x'),
    unit: 'count',
  });
  new RecordingRule(g, 'bad', { imported: true, record: 'not a name', expr: rawPromql('x'), unit: 'count' });
  new RecordingRule(g, 'own', { record: 'node_namespace_pod:kube_pod_info:', expr: rawPromql('x'), unit: 'count' });
  new Alert(g, { imported: true, name: 'node_down', expr: rawPromql('up == 0') });
  new Alert(g, { imported: true, name: 'Held', expr: rawPromql('up == 0'), for: '5 minutes' as '5m' });
  new Alert(g, { imported: true, name: 'Twice', id: 'Twice-2', expr: rawPromql('up == 0'), severity: 'page' } as never);
  assert.deepEqual(fields(app).sort(), ['Held.for', 'Twice-2.(props)', 'bad.record', 'g.limit', 'own.record']);
});

it('imported dashboards: any Grafana uid, rows and panels with their JSON; a bad uid is named', () => {
  const app = new App('t');
  const d = new Dashboard(app, 'rYdddlPWk', { title: 'Imported', grafana: { schemaVersion: 39 } });
  const top = new Row(d, 'top', { header: false });
  new Panel(top, 'p', { queries: [{ expr: rawPromql('up') }], grafana: { type: 'bargauge', id: 7 } });
  new Row(d, 'r', { title: '', grafana: { id: 8 } });
  new Dashboard(app, 'has space', { title: 'Bad', grafana: {} });
  assert.deepEqual(fields(app), ['has space.id']);
  const json = d.build() as { panels: { type: string; id: number; targets?: { expr: string }[] }[] };
  assert.deepEqual(
    json.panels.map((p) => [p.type, p.id]),
    [
      ['bargauge', 7],
      ['row', 8],
    ],
  );
  assert.equal(json.panels[0]!.targets![0]!.expr, 'up');
});
