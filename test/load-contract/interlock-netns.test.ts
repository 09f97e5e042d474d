// The interlock across redirects, proven where a connection attempt cannot hide: an empty network
// namespace (`unshare -n`, as root, only `lo` up). A loopback server answers 307 to
// http://10.0.0.1:8080; the Node client, the Node runner, the real k6 and the burst script must each
// refuse with the interlock's error. A connection attempt there would fail with ENETUNREACH instead,
// as a direct fetch shows.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { it } from 'node:test';
import { promisify } from 'node:util';
import { ROOT } from '../helpers.js';

const run = promisify(execFile);
const canUnshare = await run('unshare', ['-n', 'true']).then(
  () => true,
  () => false,
);
const REFUSAL = /^InterlockError: refusing to send load to 10\.0\.0\.1 \(redirect 307 from 127\.0\.0\.1\)/;

it(
  'a 307 to a host the interlock refuses is refused, never connected to',
  {
    skip: canUnshare ? false : 'needs `unshare -n` (root, util-linux) for an empty network namespace',
    timeout: 180_000,
  },
  async () => {
    const probe = join(ROOT, 'test/fixtures/redirect-probe.ts');
    const { stdout } = await run(
      'unshare',
      ['-n', 'sh', '-c', `ip link set lo up && exec "${process.execPath}" --import tsx "${probe}"`],
      { cwd: ROOT, maxBuffer: 64 << 20, timeout: 170_000, env: { ...process.env, STRESS_ALLOWED_HOSTS: '' } },
    );
    const r = JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, any>;
    assert.match(r.directFetch, /ENETUNREACH/, 'the namespace has no route to 10.0.0.1');
    assert.match(r.nodeClient, REFUSAL);
    assert.equal(r.requestsAfterClient, 1, 'one request to the loopback server, none re-posted');
    assert.match(r.nodeRunner.iterationErrors.auth.first, REFUSAL);
    if (r.k6) {
      assert.match(r.k6.iterationErrors.auth, REFUSAL);
      assert.doesNotMatch(r.k6.log, /network is unreachable|dial tcp 10\.0\.0\.1/);
    }
    assert.match(r.burst, /^InterlockError: refusing to send load to 10\.0\.0\.1/);
    assert.ok(r.requests.every((q: string) => q === 'POST /api/auth/signup'));
  },
);
