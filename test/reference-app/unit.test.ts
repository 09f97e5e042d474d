// Pure parts of the reference app: config validation, catalog-checked metric labels, tokens, passwords,
// the game rules.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { metrics } from '../../src/catalog/index.js';
import { hashPassword, TokenSigner, verifyPassword } from '../../reference-app/src/auth.js';
import { ConfigError, loadConfig } from '../../reference-app/src/config.js';
import { AppMetrics, appMetrics, boundedByCatalog, LabelError } from '../../reference-app/src/metrics.js';
import { parseExposition } from '../../src/catalog-check/exposition.js';
import { outcome } from '../../reference-app/src/routes/game-room.js';

test('config: defaults on loopback with the stack ports; a bad value names the variable', () => {
  const c = loadConfig({});
  assert.equal(c.APP_HOST, '127.0.0.1');
  assert.equal(c.APP_PORT, 18080);
  assert.match(c.DATABASE_URL, /:15432\//);
  assert.match(c.REDIS_URL, /:16379$/);
  assert.equal(c.tokenSecretGenerated, true);
  assert.throws(
    () => loadConfig({ APP_PORT: 'eighty' }),
    (e: Error) => e instanceof ConfigError && /APP_PORT/.test(e.message),
  );
  assert.throws(() => loadConfig({ SCRYPT_COST: '1000' }), /SCRYPT_COST: must be a power of two/);
  assert.throws(() => loadConfig({ TOKEN_SECRET: 'short' }), /TOKEN_SECRET/);
});

test('metrics: label values outside the catalog are refused (strict) or dropped (lenient)', async () => {
  const strict = new AppMetrics(true);
  const requests = strict.counter(metrics.httpRequests);
  requests.inc({ method: 'GET', route: '/api/posts/:id', status: '200' });
  assert.throws(() => requests.inc({ method: 'GET', route: '/api/posts/42?x=1', status: '200' }), LabelError);
  assert.throws(() => requests.inc({ method: 'HEAD', route: '/', status: '200' }), /not in \[GET/);
  assert.throws(() => strict.counter(metrics.authOperations).inc({ operation: 'login', outcome: 'maybe' }), LabelError);
  assert.throws(() => strict.counter(metrics.processCpu), /not an app metric/);
  const errors: string[] = [];
  const lenient = new AppMetrics(false, (m) => errors.push(m));
  lenient.counter(metrics.httpRequests).inc({ method: 'GET', route: 'no-slash', status: '200' });
  assert.equal(errors.length, 1);
  assert.doesNotMatch(await lenient.exposition(), /no-slash/);
});

test('metrics: every series the catalog bounds is exposed at 0 from the start, with no code zeroing it', async () => {
  // A registry on its own, before any route, hub or client exists: what a new catalog metric gets.
  const families = parseExposition(await new AppMetrics(true).exposition());
  const bounded = appMetrics.filter(boundedByCatalog);
  assert.ok(
    bounded.some((m) => m.labelNames.length > 1),
    'some bounded metric has several labels',
  );
  for (const metric of bounded) {
    const labels = Object.values<{ values?: readonly string[] }>(metric.spec.labels);
    const combinations = labels.reduce((n, l) => n * l.values!.length, 1);
    const sampleName = metric.type === 'histogram' ? `${metric.name}_count` : metric.name;
    const samples = families.get(metric.name)?.samples.filter((s) => s.name === sampleName) ?? [];
    assert.equal(samples.length, combinations, `${metric.name}: one series per combination of its labels`);
    assert.ok(
      samples.every((s) => s.value === 0 || metric.type === 'gauge'),
      metric.name,
    );
  }
});

test('tokens: signed, expiring, tamper-evident', () => {
  const signer = new TokenSigner('k'.repeat(32), 60);
  const { token } = signer.issueAccess(7, 1_000_000);
  assert.equal(signer.verifyAccess(token, 1_000_000), 7);
  assert.throws(() => signer.verifyAccess(token, 1_000_000 + 61_000), /expired/);
  assert.throws(() => new TokenSigner('x'.repeat(32), 60).verifyAccess(token, 1_000_000), /invalid/);
  const [payload, sig] = token.split('.');
  const forged = Buffer.from(JSON.stringify({ sub: 1, exp: 9e9, typ: 'access' })).toString('base64url');
  assert.throws(() => signer.verifyAccess(`${forged}.${sig}`), /invalid/);
  assert.throws(() => signer.verifyAccess(payload!), /malformed/);
});

test('passwords: scrypt with the cost stored in the hash', async () => {
  const h = await hashPassword('correct horse', 1024);
  assert.match(h, /^scrypt\$1024\$8\$1\$/);
  assert.equal(await verifyPassword('correct horse', h), true);
  assert.equal(await verifyPassword('wrong horse', h), false);
  assert.equal(await verifyPassword('x', 'garbage'), false);
});

test('tic-tac-toe outcomes', () => {
  assert.equal(outcome('XXXOO....'), 'X');
  assert.equal(outcome('O..O..O..'), 'O');
  assert.equal(outcome('X...X...X'), 'X');
  assert.equal(outcome('XOXXOOOXX'), 'D');
  assert.equal(outcome('XO.......'), null);
});
