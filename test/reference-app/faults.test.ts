// Fault behaviour against real dependencies: Redis and PostgreSQL stopped and restarted under a running
// app (503 naming the dependency, readiness flips, recovery by itself), and SIGTERM draining a real
// process (in-flight request finished, sockets closed with 1001, exit 0).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createApp } from '../../reference-app/src/app.js';
import { loadConfig } from '../../reference-app/src/config.js';
import { freePort } from '../../src/kernel/process.js';
import { startRedis } from '../../src/kernel/services.js';
import { metrics } from '../../src/catalog/index.js';
import { Api, eventually, sample, startApp, startDeps, WsClient, type Deps, type TestApp } from './harness.js';

const ROOT = resolve(import.meta.dirname, '../..');
let deps: Deps;
let t: TestApp;
before(async () => {
  deps = await startDeps();
  t = await startApp(deps, { DEPENDENCY_TIMEOUT_MS: '1000', READINESS_INTERVAL_MS: '300' });
});
after(async () => {
  await t?.stop();
  await deps?.dispose();
});

const up = async (dep: string) => sample(await t.api.metrics(), metrics.dependencyUp.name, { dependency: dep });

describe('dependency outages', () => {
  test('Redis stopped: readiness 503 naming redis, realtime 503, sockets closed; all recovers after restart', async () => {
    const { api } = t;
    const [a, b] = [await api.signup(), await api.signup()];
    const conv = (await api.post('/api/conversations', { type: 'dm', user_id: b.id }, a.token)).body;
    const ws = await WsClient.open(api, 'chat', b.token);
    assert.equal((await api.get('/readyz')).status, 200);
    assert.equal(await up('redis'), 1);

    await deps.redis.stop();
    const closed = await ws.closed;
    assert.equal(closed.code, 1013);
    const ready = await api.get('/readyz');
    assert.equal(ready.status, 503);
    assert.deepEqual(ready.body.failing, ['redis']);
    assert.match(ready.body.message, /redis/);
    assert.equal(await up('redis'), 0);
    assert.equal(await up('postgres'), 1);
    const ticket = await api.post('/api/ws/ticket', {}, b.token);
    assert.equal(ticket.status, 503);
    assert.equal(ticket.body.dependency, 'redis');
    assert.equal(ticket.headers.get('retry-after'), '1');
    // What needs only PostgreSQL keeps working (the realtime push is best effort).
    assert.equal((await api.get('/api/posts', a.token)).status, 200);
    assert.equal(
      (await api.post(`/api/conversations/${conv.id}/messages`, { body: 'while redis is down' }, a.token)).status,
      201,
    );
    assert.equal((await api.get('/healthz')).status, 200);

    await deps.redis.start();
    await eventually(async () => (await api.get('/readyz')).status === 200, 15_000, 'ready after redis restart');
    await eventually(async () => (await up('redis')) === 1, 5_000, 'readiness_dependency_up{redis} back to 1');
    const again = await eventually<WsClient | undefined>(
      async () => WsClient.open(api, 'chat', b.token).catch(() => undefined),
      10_000,
      'WS again',
    );
    await api.post(`/api/conversations/${conv.id}/messages`, { body: 'after recovery' }, a.token);
    await again!.next((m) => m.type === 'message' && m.data.body === 'after recovery');
    again!.close();
    const m = await api.metrics();
    assert.ok(sample(m, metrics.wsDisconnects.name, { channel: 'chat', reason: 'dependency' })! >= 1);
    assert.ok(sample(m, metrics.redisCommandErrors.name, { command: 'ping' })! >= 1);
  });

  test('PostgreSQL stopped: API 503 naming postgres, readiness 503, /metrics still served; recovers after restart', async () => {
    const { api } = t;
    const a = await api.signup();
    await deps.pg.stop();
    const r = await api.get('/api/posts', a.token);
    assert.equal(r.status, 503);
    assert.equal(r.body.dependency, 'postgres');
    assert.equal((await api.post('/api/auth/login', { username: a.username, password: 'correct horse' })).status, 503);
    const ready = await api.get('/readyz');
    assert.equal(ready.status, 503);
    assert.deepEqual(ready.body.failing, ['postgres']);
    assert.equal(await up('postgres'), 0);
    const m = await api.metrics();
    assert.ok(sample(m, metrics.dbQueryErrors.name, { operation: 'select' })! >= 1);
    assert.ok(sample(m, metrics.httpRequests.name, { method: 'GET', route: '/api/posts', status: '503' })! >= 1);

    await deps.pg.start();
    await eventually(
      async () => (await api.get('/api/posts', a.token)).status === 200,
      15_000,
      'posts after postgres restart',
    );
    await eventually(async () => (await api.get('/readyz')).status === 200, 10_000, 'ready after postgres restart');
    assert.equal((await api.post('/api/posts', { body: 'back' }, a.token)).status, 201);
  });
});

describe('process lifecycle', () => {
  test('started before Redis, the app waits for it (bounded) and then serves', async () => {
    const port = await freePort();
    const late = createApp(
      loadConfig({
        DATABASE_URL: deps.pg.url,
        REDIS_URL: `redis://127.0.0.1:${port}`,
        APP_PORT: '0',
        LOG_LEVEL: 'silent',
        STARTUP_TIMEOUT_MS: '20000',
      }),
    );
    const starting = late.start();
    await new Promise((r) => setTimeout(r, 1_000));
    const redis = await startRedis({ port });
    try {
      const appPort = await starting;
      assert.equal((await new Api(`http://127.0.0.1:${appPort}`).get('/readyz')).status, 200);
    } finally {
      await late.stop();
      await redis.dispose();
    }
  });

  test('dependencies that never come: start fails after STARTUP_TIMEOUT_MS', async () => {
    const never = createApp(
      loadConfig({
        DATABASE_URL: deps.pg.url,
        REDIS_URL: `redis://127.0.0.1:${await freePort()}`,
        APP_PORT: '0',
        LOG_LEVEL: 'silent',
        STARTUP_TIMEOUT_MS: '1500',
        DEPENDENCY_TIMEOUT_MS: '500',
      }),
    );
    await assert.rejects(never.start(), /dependencies not reachable within STARTUP_TIMEOUT_MS=1500: redis not ready/);
    await never.stop();
  });

  test('SIGTERM: in-flight request finishes, sockets get 1001, new connections refused, exit 0', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'reference-app/src/main.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        DATABASE_URL: deps.pg.url,
        REDIS_URL: deps.redis.url,
        APP_PORT: '0',
        LOG_LEVEL: 'info',
        SCRYPT_COST: '131072',
        TOKEN_SECRET: 'sigterm-test-secret-sigterm-test-secret',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const port = await new Promise<number>((resolvePort, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no "listening" line in 20 s: ${lines.join('')}${stderr}`)),
        20_000,
      );
      child.stdout.on('data', (d: Buffer) => {
        for (const line of d.toString().split('\n').filter(Boolean)) {
          lines.push(line);
          const rec = JSON.parse(line) as { msg?: string; port?: number };
          if (rec.msg === 'listening') (clearTimeout(timer), resolvePort(rec.port!));
        }
      });
    });
    const api = new Api(`http://127.0.0.1:${port}`);
    const u = await api.signup();
    const ws = await WsClient.open(api, 'games', u.token);
    const inflight = api.post('/api/auth/signup', { username: `slow_${process.pid}`, password: 'correct horse' });
    await new Promise((r) => setTimeout(r, 100)); // the request is in scrypt now
    child.kill('SIGTERM');
    const [res, closed, code] = await Promise.all([inflight, ws.closed, exited]);
    assert.equal(res.status, 201, 'in-flight request completed');
    assert.equal(closed.code, 1001);
    assert.equal(code, 0, stderr);
    await assert.rejects(api.get('/healthz'));
    const records = lines.map((l) => JSON.parse(l) as { msg: string; level: number });
    assert.ok(records.some((r) => r.msg === 'draining'));
    assert.ok(records.some((r) => r.msg === 'stopped'));
    assert.ok(
      records.every((r) => typeof r.level === 'number'),
      'JSON log lines',
    );
  });
});
