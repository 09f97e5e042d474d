// The committed snapshot depends on the catalog, not on traffic: the reference app recorded fresh,
// after traffic and after a restart gives the same bytes, and `make catalog-snapshot`'s command (no
// traffic) reproduces the committed file, so adding a catalog metric is one re-recording away.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { snapshotOfApp } from '../../src/catalog-check/reference-app-snapshot.js';
import { snapshotPath } from '../../src/catalog-check/snapshots.js';
import { startApp, startDeps, uniqueName, type Deps } from '../reference-app/harness.js';
import { ROOT, runCli } from '../helpers.js';

/** Requests that create series a fresh app has not got: other methods, routes and status codes. */
async function traffic(api: Awaited<ReturnType<typeof startApp>>['api']): Promise<void> {
  const user = await api.signup(uniqueName('snap'));
  assert.equal((await api.post('/api/auth/login', { username: user.username, password: 'wrong horse' })).status, 401);
  assert.equal((await api.get('/api/no-such-route')).status, 404);
  const post = await api.post('/api/posts', { body: 'hello' }, user.token);
  assert.equal(post.status, 201, JSON.stringify(post.body));
  assert.equal((await api.req('DELETE', `/api/posts/${post.body.id}`, { token: user.token })).status, 204);
  assert.equal((await api.get('/api/posts', user.token)).status, 200);
}

describe('the reference app snapshot', () => {
  let deps: Deps;
  before(async () => {
    deps = await startDeps();
  });
  after(async () => {
    await deps.dispose();
  });

  it('is byte-identical fresh, after traffic and after a restart', async () => {
    const first = await startApp(deps);
    const fresh = await snapshotOfApp(first.base);
    await traffic(first.api);
    const afterTraffic = await snapshotOfApp(first.base);
    assert.match(await first.api.metrics(), /method="DELETE",route="\/api\/posts\/:id",status="204"/);
    await first.stop();
    const second = await startApp(deps);
    const restarted = await snapshotOfApp(second.base);
    await second.stop();
    assert.equal(afterTraffic, fresh);
    assert.equal(restarted, fresh);
    assert.match(fresh, /^http_requests_total\{method="\*",route="\*",status="\*"\} 0$/m);
  });

  it('the committed snapshot equals a fresh recording by `catalog-check --reference-app --snapshot`', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'stressgate-snapshot-'));
    try {
      const out = join(dir, 'api.prom');
      const r = await runCli(['catalog-check', '--reference-app', '--snapshot', out]);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /conforms/);
      assert.equal(
        await readFile(out, 'utf8'),
        await readFile(join(ROOT, snapshotPath('api')), 'utf8'),
        'catalog/snapshots/api.prom is stale: run `make catalog-snapshot` and commit it',
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
