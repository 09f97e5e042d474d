// The Prometheus the verdict reads and the one k6 writes to pass the same allow-list as load targets
// (STRESS_ALLOWED_HOSTS, loopback by default): refused in one line, exit 2, before any load runs.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCli } from '../helpers.js';

const clean = { STRESS_ALLOWED_HOSTS: '' };

describe('the interlock for what the gate reads and k6 writes', () => {
  it('gate --prometheus to a host nobody allowed: one line naming the flag and the fix, exit 2', async () => {
    const r = await runCli(
      ['gate', '--prometheus', 'http://10.1.2.3:9090', '--from', '2026-12-07T00:00:00Z', '--profile', 'smoke'],
      clean,
    );
    assert.equal(r.code, 2, r.stderr);
    assert.equal(
      r.stderr.trim(),
      'stressgate gate: refusing to read the verdict from 10.1.2.3 (--prometheus, PROMETHEUS_URL): only loopback is allowed by default. If 10.1.2.3 is a staging host you own, add it to STRESS_ALLOWED_HOSTS.',
    );
  });

  it('load --remote-write and --prometheus to hosts nobody allowed are refused before the load starts', async () => {
    const rw = await runCli(
      ['load', '--profile', 'smoke', '--remote-write', 'http://prom.example.com/api/v1/write'],
      clean,
    );
    assert.equal(rw.code, 2, rw.stderr);
    assert.match(
      rw.stderr,
      /^stressgate load: refusing to write k6's metrics to prom\.example\.com \(--remote-write, K6_PROMETHEUS_RW_SERVER_URL\)/,
    );
    assert.doesNotMatch(rw.stderr, /\n\s+at /, 'no stack trace');
    const prom = await runCli(['load', '--profile', 'smoke', '--prometheus', 'http://prom.example.com:9090'], clean);
    assert.equal(prom.code, 2, prom.stderr);
    assert.match(prom.stderr, /refusing to read the verdict from prom\.example\.com/);
  });

  it('a host in STRESS_ALLOWED_HOSTS passes the interlock (then fails on what it finds: unreachable here)', async () => {
    const r = await runCli(
      ['gate', '--prometheus', 'http://127.0.0.2:1', '--from', '2026-12-07T00:00:00Z', '--profile', 'smoke'],
      {
        STRESS_ALLOWED_HOSTS: '127.0.0.2',
      },
    );
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /^stressgate gate: Prometheus at http:\/\/127\.0\.0\.2:1 unreachable/);
  });
});
