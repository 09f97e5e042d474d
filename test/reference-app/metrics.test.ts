// /metrics exposes exactly the catalog: every catalog metric (app and runtime) with the catalog's type
// and label names, no app-like metric outside it, and promtool accepts the exposition.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, test } from 'node:test';
import { catalog, exposedByTarget } from '../../src/catalog/index.js';
import { appMetrics } from '../../reference-app/src/metrics.js';
import { startApp, startDeps, WsClient, type Deps, type TestApp } from './harness.js';

let deps: Deps;
let t: TestApp;
let text: string;
before(async () => {
  deps = await startDeps();
  t = await startApp(deps);
  // A little traffic so the request-driven series (by status) exist too.
  const u = await t.api.signup();
  await t.api.post('/api/auth/login', { username: u.username, password: 'correct horse' });
  await t.api.get('/api/posts', u.token);
  const ws = await WsClient.open(t.api, 'chat', u.token);
  ws.close();
  await ws.closed;
  await t.api.get('/readyz');
  text = await t.api.metrics();
});
after(async () => {
  await t?.stop();
  await deps?.dispose();
});

interface Family {
  type: string;
  labels: Set<string>;
  samples: number;
}

function parseExposition(body: string): Map<string, Family> {
  const families = new Map<string, Family>();
  let current: Family | undefined;
  for (const line of body.split('\n')) {
    const typeLine = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (typeLine) {
      families.set(typeLine[1]!, (current = { type: typeLine[2]!, labels: new Set(), samples: 0 }));
      continue;
    }
    if (!line || line.startsWith('#') || !current) continue;
    current.samples++;
    const labelPart = /\{(.*)\}/.exec(line)?.[1] ?? '';
    for (const [, k] of labelPart.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="/g)) if (k !== 'le') current.labels.add(k!);
  }
  return families;
}

test('every app and runtime catalog metric is exposed with its type and label names, with samples', () => {
  const families = parseExposition(text);
  for (const metric of catalog) {
    if (!exposedByTarget(metric)) continue;
    const fam = families.get(metric.name);
    assert.ok(fam, `${metric.name} missing from /metrics`);
    assert.equal(fam.type, metric.type, `${metric.name} type`);
    assert.ok(fam.samples > 0, `${metric.name} has no samples`);
    assert.deepEqual([...fam.labels].sort(), [...metric.labelNames].sort(), `${metric.name} labels`);
  }
});

test('no application metric outside the catalog (only prom-client runtime families besides)', () => {
  const known = new Set(catalog.map((m) => m.name));
  const extra = [...parseExposition(text).keys()].filter((n) => !known.has(n));
  const nonRuntime = extra.filter((n) => !/^(process_|nodejs_)/.test(n));
  assert.deepEqual(nonRuntime, [], 'metrics not in the catalog');
  // And the registry the app builds holds exactly the catalog's app metrics.
  const registered = new Set(t.app.ctx.metrics.registry.getMetricsAsArray().map((m) => m.name));
  for (const m of appMetrics) assert.ok(registered.has(m.name), m.name);
});

test('promtool check metrics accepts the exposition', async () => {
  const result = await new Promise<{ code: number; out: string }>((resolve) => {
    const child = execFile('promtool', ['check', 'metrics'], (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr }),
    );
    child.stdin!.end(text);
  });
  assert.equal(result.code, 0, result.out);
});
