// The local stack scripts: the derived Prometheus config is valid and points at loopback, and
// stack.sh up/status/down starts and stops the four services on private ports and a private dir.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { localPrometheusConfig } from '../../scripts/stack/prometheus-config.js';
import { findK6 } from '../../src/gate/k6-driver/binary.js';
import { freePort } from '../../src/kernel/process.js';
import { Api } from './harness.js';

const ROOT = resolve(import.meta.dirname, '../..');
const run = promisify(execFile);
const dirs: string[] = [];
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/** The environment without anything that would override make test-load's local-stack defaults. */
const withoutLoadTargets = (env: NodeJS.ProcessEnv) =>
  Object.fromEntries(
    Object.entries(env).filter(
      ([k]) => !['TARGET_URL', 'PROMETHEUS_URL', 'K6_PROMETHEUS_RW_SERVER_URL', 'PROFILE', 'RUNNER'].includes(k),
    ),
  );

const COMPOSE_LIKE = `
global: { scrape_interval: 1s }
rule_files: [rules.yml]
alerting: { alertmanagers: [{ static_configs: [{ targets: ['alertmanager:9093'] }] }] }
scrape_configs:
  - job_name: api
    static_configs: [{ targets: ['app:8080'], labels: { tier: api } }]
  - job_name: prometheus
    static_configs: [{ targets: ['localhost:9090'] }]
`;

test('the derived Prometheus config scrapes the app on loopback, with absolute rule paths, and promtool accepts it', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'stressgate-promconf-'));
  dirs.push(dir);
  await writeFile(join(dir, 'rules.yml'), 'groups: []\n');
  const out = localPrometheusConfig(COMPOSE_LIKE, dir, { appPort: 18123, promPort: 19123 });
  const doc = parse(out);
  assert.deepEqual(doc.scrape_configs[0].static_configs, [{ targets: ['127.0.0.1:18123'], labels: { tier: 'api' } }]);
  assert.deepEqual(doc.scrape_configs[1].static_configs, [{ targets: ['127.0.0.1:19123'] }]);
  assert.deepEqual(doc.rule_files, [join(dir, 'rules.yml')]);
  assert.equal(doc.alerting, undefined);
  await writeFile(join(dir, 'local.yml'), out);
  await run('promtool', ['check', 'config', join(dir, 'local.yml')]);
  assert.throws(
    () => localPrometheusConfig('scrape_configs: [{job_name: web}]', dir, { appPort: 1, promPort: 2 }),
    /no scrape job named "api"/,
  );
  // The committed config, when the lead's synth has produced it.
  const committed = join(ROOT, 'infra/prometheus/prometheus.yml');
  if (existsSync(committed)) {
    const derived = localPrometheusConfig(await readFile(committed, 'utf8'), join(ROOT, 'infra/prometheus'), {
      appPort: 18080,
      promPort: 19090,
    });
    await writeFile(join(dir, 'committed.yml'), derived);
    await run('promtool', ['check', 'config', join(dir, 'committed.yml')]);
  }
});

test('stack.sh up, status, down on private ports', { timeout: 180_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'stressgate-stack-'));
  dirs.push(dir);
  await chmod(dir, 0o755); // PostgreSQL runs as the postgres user when the tests run as root
  await writeFile(join(dir, 'rules.yml'), 'groups: []\n');
  await writeFile(join(dir, 'prometheus.yml'), COMPOSE_LIKE);
  const [APP_PORT, PROM_PORT, PG_PORT, REDIS_PORT] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ].map(String);
  const env = {
    ...process.env,
    STACK_DIR: join(dir, 'stack'),
    PROM_CONFIG_SRC: join(dir, 'prometheus.yml'),
    APP_PORT,
    PROM_PORT,
    PG_PORT,
    REDIS_PORT,
    LOG_LEVEL: 'info',
  };
  const stack = (cmd: string) =>
    run('bash', [join(ROOT, 'scripts/stack/stack.sh'), ...cmd.split(' ')], { env, cwd: ROOT });
  try {
    const up = await stack('up');
    assert.match(up.stdout, /up in \d+s/);
    const again = await stack('up');
    assert.match(again.stdout, /app already running/, 'idempotent');
    const status = await stack('status');
    assert.equal(status.stdout.match(/running/g)?.length, 4, status.stdout);
    assert.match(status.stdout, /\/readyz -> 200/);
    const api = new Api(`http://127.0.0.1:${APP_PORT}`);
    const u = await api.signup();
    assert.equal((await api.post('/api/posts', { body: 'via the stack' }, u.token)).status, 201);
    // Prometheus scrapes the app (bounded wait for the first scrape).
    const deadline = Date.now() + 30_000;
    let health = '';
    while (Date.now() < deadline && health !== 'up') {
      const r = await fetch(`http://127.0.0.1:${PROM_PORT}/api/v1/targets`).then((x) => x.json() as Promise<any>);
      health = r.data.activeTargets.find((t: { labels: { job: string } }) => t.labels.job === 'api')?.health ?? '';
      if (health !== 'up') await new Promise((r2) => setTimeout(r2, 500));
    }
    assert.equal(health, 'up');
    // k6's remote write lands in the stack's Prometheus: the receiver is on, and after
    // `make test-load PROFILE=smoke` (k6 found) this run's k6 series are there.
    const write = await fetch(`http://127.0.0.1:${PROM_PORT}/api/v1/write`, { method: 'POST', body: 'not snappy' });
    assert.notEqual(write.status, 404, 'Prometheus started with --web.enable-remote-write-receiver');
    if (await findK6(ROOT)) {
      const out = join(dir, 'artifacts');
      // Exit 1 here: this stack's Prometheus loads no gate rules, so the verdict finds the SLIs blind.
      await run('make', ['--no-print-directory', 'test-load', 'PROFILE=smoke', `OUT=${out}`], {
        env: withoutLoadTargets(env),
        cwd: ROOT,
        maxBuffer: 64 << 20,
      }).catch((e: { code: number }) => assert.equal(e.code, 2, 'make: the load target exited 1'));
      const verdict = JSON.parse(await readFile(join(out, 'verdict.json'), 'utf8'));
      assert.ok(verdict.remoteWrite.series > 0, JSON.stringify(verdict.remoteWrite));
      assert.deepEqual(
        verdict.failures.filter((f: { subject: string }) => f.subject === 'k6 remote write'),
        [],
      );
      const k6Series = await fetch(
        `http://127.0.0.1:${PROM_PORT}/api/v1/query?query=${encodeURIComponent('count({__name__=~"k6_.+"})')}`,
      ).then((x) => x.json() as Promise<any>);
      assert.ok(Number(k6Series.data.result[0]?.value[1]) > 0, JSON.stringify(k6Series));
    }
    // One service down and up again (what the fault drills do); the app's readiness follows.
    await stack('down redis');
    await assert.rejects(stack('status redis'), (err: { code: number }) => err.code === 3);
    assert.equal((await api.get('/readyz')).status, 503);
    await stack('up redis');
    const until = Date.now() + 15_000;
    while (Date.now() < until && (await api.get('/readyz')).status !== 200)
      await new Promise((r2) => setTimeout(r2, 200));
    assert.equal((await api.get('/readyz')).status, 200);
  } finally {
    await stack('down');
  }
  await assert.rejects(
    stack('status'),
    (err: { code: number; stdout: string }) => err.code === 3 && (err.stdout.match(/stopped/g)?.length ?? 0) === 4,
  );
  assert.match(await readFile(join(dir, 'stack', 'app.log'), 'utf8'), /"msg":"stopped"/);
});
