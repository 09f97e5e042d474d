// The reference app's fault-injection control: absent unless enabled, refuses proxied requests,
// validates its body, and acts on the real paths (the metrics production would move).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startInProcessApp, type AppHandle } from '../../src/live/stack.js';
import { metrics } from '../../src/catalog/index.js';
import { sample, startApp, startDeps, type Deps, type TestApp } from './harness.js';

describe('fault control (reference-app/src/faults.ts)', () => {
  let deps: Deps;
  let plain: TestApp;
  let faulty: AppHandle;
  before(async () => {
    deps = await startDeps();
    plain = await startApp(deps);
    faulty = await startInProcessApp(deps.pg.url, deps.redis.url, { faults: true });
  });
  after(async () => {
    await plain?.stop();
    await faulty?.stop();
    await deps?.dispose();
  });

  it('is off by default: the route does not exist', async () => {
    assert.equal((await plain.api.post('/internal/faults', { http5xxRatio: 1 })).status, 404);
    assert.equal((await plain.api.get('/internal/faults')).status, 404);
  });

  it('refuses requests that came through a proxy, and invalid settings', async () => {
    const proxied = await fetch(`${faulty.base}/internal/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.9' },
      body: '{"http5xxRatio":1}',
    });
    assert.equal(proxied.status, 403);
    const bad = await fetch(`${faulty.base}/internal/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"http5xxRatio":2}',
    });
    assert.equal(bad.status, 400);
    assert.equal(((await bad.json()) as { field: string }).field, 'body.http5xxRatio');
    const unknown = await fetch(`${faulty.base}/internal/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"explode":true}',
    });
    assert.equal(unknown.status, 400);
  });

  it('injects 5xx on /api/* (counted in http_requests_total), and clears', async () => {
    const set = await fetch(`${faulty.base}/internal/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"http5xxRatio":1}',
    });
    assert.equal(set.status, 200);
    const r = await fetch(`${faulty.base}/api/posts`);
    assert.equal(r.status, 503);
    assert.equal(((await r.json()) as { error: string }).error, 'fault_injected');
    assert.equal((await fetch(`${faulty.base}/healthz`)).status, 200, 'probes are not affected');
    const text = await (await fetch(`${faulty.base}/metrics`)).text();
    assert.ok(
      (sample(text, metrics.httpRequests.name, { method: 'GET', route: '/api/posts', status: '503' }) ?? 0) >= 1,
    );
    assert.equal((await fetch(`${faulty.base}/internal/faults`, { method: 'DELETE' })).status, 200);
    assert.equal((await fetch(`${faulty.base}/api/posts`)).status, 401, 'back to the real answer (no token)');
  });

  it('the soak faults: a leak and a rising 5xx share, validated, set, reported and cleared', async () => {
    const post = (body: unknown) =>
      fetch(`${faulty.base}/internal/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const tooBig = await post({ leakBytesPerRequest: 2 << 20 });
    assert.equal(tooBig.status, 400);
    assert.equal(((await tooBig.json()) as { field: string }).field, 'body.leakBytesPerRequest');
    assert.equal((await post({ http5xxRisePerMinute: 61 })).status, 400);
    const set = await post({ leakBytesPerRequest: 4096, http5xxRisePerMinute: 60 });
    assert.equal(set.status, 200);
    // 60 a minute is 1 a second: within a couple of seconds every /api/* request is a 503.
    let status = 0;
    for (let i = 0; i < 50 && status !== 503; i++) {
      await new Promise((r) => setTimeout(r, 100));
      status = (await fetch(`${faulty.base}/api/posts`)).status;
    }
    assert.equal(status, 503, 'the rising share reached the requests');
    const now = (await (await fetch(`${faulty.base}/internal/faults`)).json()) as { faults: Record<string, number> };
    assert.equal(now.faults.leakBytesPerRequest, 4096);
    assert.equal((await fetch(`${faulty.base}/internal/faults`, { method: 'DELETE' })).status, 200);
    assert.equal((await fetch(`${faulty.base}/api/posts`)).status, 401, 'cleared: the real answer again');
  });
});
