import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { counter, histogram } from '../src/catalog/index.js';
import { formatFindings, lintProject, loadProject, type Project } from '../src/lint/index.js';
import type { Panel, RuleDoc } from '../src/lint/project.js';
import { ROOT } from './helpers.js';

// Each case starts from the real generated project (which lints clean) and breaks one thing.
let clean: Project;
before(async () => {
  clean = await loadProject(ROOT);
});

type Mutable<T> = T extends ReadonlyMap<infer K, infer V> ? Map<K, V> : { -readonly [K in keyof T]: T[K] extends object ? Mutable<T[K]> : T[K] };
const copy = (): Mutable<Project> => ({ ...structuredClone({ ...clean, runbooks: undefined }), runbooks: new Map(clean.runbooks) }) as unknown as Mutable<Project>;

const alertsFile = (p: Mutable<Project>) => p.ruleFiles.find((f) => f.path.endsWith('alerts.yml'))!;
const alert = (p: Mutable<Project>, name: string) => alertsFile(p).groups.flatMap((g) => g.rules).find((r) => r.alert === name) as Mutable<RuleDoc>;
const dashboard = (p: Mutable<Project>, uid: string) => p.dashboards.find((d) => d.uid === uid)!;
const panel = (p: Mutable<Project>, uid: string, title: string) => dashboard(p, uid).panels.find((x) => x.title === title) as Mutable<Panel>;

function only(p: Mutable<Project>, rule: string) {
  const findings = lintProject(p as unknown as Project);
  const hits = findings.filter((f) => f.rule === rule);
  assert.ok(hits.length > 0, `expected a ${rule} finding, got: ${JSON.stringify(findings, null, 1)}`);
  assert.deepEqual(findings.filter((f) => f.rule !== rule), [], 'only the broken rule fires');
  return hits;
}

describe('lint', () => {
  it('finds nothing in the generated project', () => {
    assert.deepEqual(lintProject(clean), []);
  });

  it('promql-parse: an expression that does not parse', () => {
    const p = copy();
    alert(p, 'TargetDown').expr = 'up ==';
    const [f] = only(p, 'promql-parse');
    assert.equal(f!.file, 'infra/prometheus/alerts.yml');
    assert.equal(f!.object, 'alert TargetDown');
  });

  it('metric-exists: a metric missing from the catalog, with a suggestion', () => {
    const p = copy();
    panel(p, 'api-overview', 'Request rate by route').targets![0]!.expr = 'sum by (route) (rate(http_request_total{job=~"$job"}[$__rate_interval]))';
    const [f] = only(p, 'metric-exists');
    assert.match(f!.object, /dashboard api-overview \/ panel \d+ "Request rate by route" \/ target A/);
    assert.match(f!.fix, /did you mean http_requests_total/);
  });

  it('metric-exists: checks against the catalog it is given', () => {
    const small = [counter<'route'>({ name: 'only_requests_total', help: 'the only metric here', unit: 'count', labels: { route: { help: 'route' } }, signals: ['http-traffic'] })];
    const findings = lintProject(clean, small).filter((f) => f.rule === 'metric-exists');
    assert.ok(findings.some((f) => f.message.includes('http_requests_total')));
  });

  it('rate-on-counter: rate() over a gauge, deriv() over a counter', () => {
    const p = copy();
    alert(p, 'TargetDown').expr = 'rate(ws_connections_active[5m]) > 1 or deriv(http_requests_total[5m]) > 1';
    const findings = only(p, 'rate-on-counter');
    assert.equal(findings.length, 2);
    assert.match(findings[0]!.message + findings[1]!.message, /rate\(\) over ws_connections_active, which is a gauge/);
    assert.match(findings[0]!.message + findings[1]!.message, /deriv\(\) over the counter http_requests_total/);
  });

  it('quantile-on-buckets: aggregation without le, φ outside [0, 1]', () => {
    const p = copy();
    panel(p, 'api-overview', 'p95 latency by route').targets![0]!.expr = 'histogram_quantile(95, sum by (route) (rate(http_request_duration_seconds_bucket[5m])))';
    const messages = only(p, 'quantile-on-buckets').map((f) => f.message).join('\n');
    assert.match(messages, /φ must be between 0 and 1/);
    assert.match(messages, /keep the `le` label/);
  });

  it('label-exists and label-value: labels and bounded values from the catalog', () => {
    const p = copy();
    alert(p, 'TargetDown').expr = 'sum(rate(http_requests_total{code="500"}[5m])) > 1';
    assert.match(only(p, 'label-exists')[0]!.message, /label "code", which it does not have/);
    const q = copy();
    alert(q, 'TargetDown').expr = 'sum(rate(auth_operations_total{outcome="failed"}[5m])) > 1';
    assert.match(only(q, 'label-value')[0]!.fix, /success, failure/);
  });

  it('unused-recording-rule: a rule nothing reads', () => {
    const p = copy();
    p.ruleFiles[1]!.groups[0]!.rules.push({ record: 'job:http_requests:rate5m', expr: 'sum by (job) (rate(http_requests_total[5m]))' });
    const [f] = only(p, 'unused-recording-rule');
    assert.equal(f!.object, 'recording rule job:http_requests:rate5m');
  });

  it('unique-ids: dashboard uids, panel ids, alert names', () => {
    const p = copy();
    dashboard(p, 'games').uid = 'runtime';
    dashboard(p, 'runtime').panels[2]!.id = dashboard(p, 'runtime').panels[1]!.id!;
    alert(p, 'RedisUnhealthy').alert = 'PostgresUnhealthy';
    const objects = only(p, 'unique-ids').map((f) => f.object);
    assert.ok(objects.includes('dashboard runtime'));
    assert.ok(objects.some((o) => /^dashboard runtime \/ panel \d+/.test(o)));
    assert.ok(objects.includes('alert PostgresUnhealthy'));
  });

  it('alert-metadata: severity, summary, description, runbook, name', () => {
    const p = copy();
    const a = alert(p, 'TargetDown');
    a.labels!.severity = 'page';
    a.annotations!.summary = 'target {{ $labels.instance }} down';
    a.annotations!.description = 'It is down.';
    const messages = only(p, 'alert-metadata').map((f) => f.message).join('\n');
    assert.match(messages, /severity is "page"/);
    assert.match(messages, /is not a plain sentence/);
    assert.match(messages, /does not show the value/);
  });

  it('runbook-section: the linked section must exist', () => {
    const p = copy();
    p.runbooks.set('docs/runbooks/alerts.md', clean.runbooks.get('docs/runbooks/alerts.md')!.replace('## TargetDown', '## Target is down'));
    const [f] = only(p, 'runbook-section');
    assert.equal(f!.object, 'alert TargetDown');
    assert.match(f!.message, /no section #targetdown/);
  });

  it('alert-tests: both a firing and a quiet case', () => {
    const p = copy();
    p.alertTests = p.alertTests.filter((t) => !(t.alertname === 'WsBackpressureDrops' && t.expAlerts === 0));
    const [f] = only(p, 'alert-tests');
    assert.equal(f!.object, 'alert WsBackpressureDrops');
    assert.match(f!.message, /must stay quiet/);
  });

  it('panel-shape: unit, datasource variable, refId, grid', () => {
    const p = copy();
    const x = panel(p, 'games', 'Active rooms');
    delete x.fieldConfig!.defaults!.unit;
    x.datasource = { type: 'prometheus', uid: 'prometheus' };
    delete x.targets![0]!.refId;
    panel(p, 'games', 'Action p95 latency').gridPos = { ...panel(p, 'games', 'Actions by type').gridPos };
    const messages = only(p, 'panel-shape').map((f) => f.message).join('\n');
    assert.match(messages, /has no unit/);
    assert.match(messages, /is not a template variable/);
    assert.match(messages, /target without refId/);
    assert.match(messages, /overlaps dashboard games \/ panel/);
  });

  it('prints GitHub annotations', () => {
    const p = copy();
    alert(p, 'TargetDown').expr = 'up ==';
    const out = formatFindings(lintProject(p as unknown as Project), 'github');
    assert.match(out, /^::error file=infra\/prometheus\/alerts\.yml,title=promql-parse%3A alert TargetDown::/);
  });

  it('uses a histogram catalog for bucket checks', () => {
    const h = histogram<'route'>({ name: 'x_seconds', help: 'a test histogram', unit: 'seconds', labels: { route: { help: 'route' } }, buckets: [0.1, 1], signals: ['http-latency'] });
    const p = copy();
    panel(p, 'api-overview', 'p95 latency by route').targets![0]!.expr = 'histogram_quantile(0.95, sum by (le) (rate(x_seconds_bucket[5m])))';
    const findings = lintProject(p as unknown as Project, [h]).filter((f) => f.object.includes('p95 latency by route'));
    assert.deepEqual(findings, []);
  });
});
