import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { describe, it } from 'node:test';
import { bundleK6 } from '../src/gate/k6-bundle.js';
import { k6Thresholds } from '../load/lib/options.js';
import { InterlockError, assertTargetAllowed } from '../src/gate/interlock.js';
import { loadProfile, parseProfile, ProfileError, withHoldDuration } from '../src/gate/profile.js';
import { checkProfileThresholds, sloLoadMap } from '../src/gate/thresholds.js';
import { judge, verdictMarkdown, type RunSummary } from '../src/gate/verdict.js';
import { ROOT } from './helpers.js';

const PROFILES = join(ROOT, 'load/profiles');
const profileNames = async () => (await readdir(PROFILES)).filter((f) => f.endsWith('.json') && f !== 'profile.schema.json').sort();

describe('load profiles', () => {
  it('all parse and repeat their SLOs exactly', async () => {
    assert.deepEqual(await profileNames(), ['moderate.json', 'smoke.json', 'soak.json', 'stress.json']);
    for (const name of await profileNames()) {
      const profile = await loadProfile(join(PROFILES, name));
      assert.deepEqual(checkProfileThresholds(name, profile), [], name);
    }
  });

  it('reject bad input naming the file and field', async () => {
    const good = JSON.parse(await readFile(join(PROFILES, 'smoke.json'), 'utf8'));
    const bad = structuredClone(good);
    bad.scenarios.auth.stages[1].target = 'many';
    assert.throws(() => parseProfile('load/profiles/smoke.json', bad), (e: unknown) => e instanceof ProfileError && e.message.startsWith('load/profiles/smoke.json: field "scenarios.auth.stages.1.target"'));
    const late = structuredClone(good);
    late.maxDuration = '10s';
    assert.throws(() => parseProfile('load/profiles/smoke.json', late), /field "scenarios\.\w+\.stages": stages end after 20s, past maxDuration 10s/);
    assert.throws(() => parseProfile('load/profiles/other.json', good), /field "name": must equal the file name "other"/);
    const extra = { ...good, vus: 10 };
    assert.throws(() => parseProfile('load/profiles/smoke.json', extra), /field "\(root\)": Unrecognized key: "vus"/);
  });

  it('a profile threshold that differs from its SLO is a finding', async () => {
    const profile = await loadProfile(join(PROFILES, 'moderate.json'));
    const drifted = { ...profile, thresholds: profile.thresholds.map((t) => (t.slo === 'api-latency-p95' ? { ...t, max: 0.5 } : t)) };
    const [f] = checkProfileThresholds('load/profiles/moderate.json', drifted);
    assert.match(f!.message, /api-latency-p95 max is 0\.5, but the SLO in src\/slos\/ says 0\.3/);
  });

  it('DURATION= stretches the hold stage of every scenario', async () => {
    const soak = withHoldDuration(await loadProfile(join(PROFILES, 'soak.json')), '10m');
    for (const s of Object.values(soak.scenarios)) assert.deepEqual(s.stages.map((st) => st.duration), ['3m', '300s', '2m']);
  });
});

describe('safety interlock', () => {
  it('accepts loopback only, unless a host is explicitly allowed', () => {
    for (const ok of ['http://127.0.0.1:18080', 'http://localhost:1', 'http://[::1]:8080', 'http://127.1.2.3']) assert.equal(assertTargetAllowed(ok, '').protocol, 'http:');
    assert.throws(() => assertTargetAllowed('https://example.com', ''), (e: unknown) => e instanceof InterlockError && /STRESS_ALLOWED_HOSTS/.test(e.message));
    assert.throws(() => assertTargetAllowed('http://10.0.0.5:8080', ''), InterlockError);
    assert.throws(() => assertTargetAllowed('http://127.0.0.1.example.com', ''), InterlockError);
    assert.equal(assertTargetAllowed('https://staging.example.com', 'other.example.com, staging.example.com').hostname, 'staging.example.com');
  });
});

/** Loads a k6 bundle the way k6 would, with k6's modules stubbed: only `options` is read. */
function loadBundle(code: string, profileJson: string, wsModules: string[]): { options: { thresholds: unknown; scenarios: Record<string, { exec: string }> } } {
  class Metric {
    add() {}
  }
  const stubs: Record<string, unknown> = {
    k6: { check: () => true },
    'k6/execution': { default: { vu: { idInTest: 1, iterationInScenario: 0 } } },
    'k6/http': { default: { asyncRequest: async () => ({}), expectedStatuses: () => ({}) } },
    'k6/metrics': { Rate: Metric, Trend: Metric },
  };
  const module = { exports: {} as Record<string, unknown> };
  const require = (name: string) => {
    if (name in stubs) return stubs[name];
    if (name.includes('websockets')) {
      wsModules.push(name);
      return { WebSocket: class {} };
    }
    throw new Error(`the bundle requires ${name}, which k6 does not provide`);
  };
  runInNewContext(code, { module, exports: module.exports, require, open: () => profileJson, __ENV: { PROFILE_FILE: 'p.json' }, setTimeout });
  return module.exports as never;
}

describe('k6 bundle', () => {
  it('bundles the entry; its options.thresholds are the profile\'s, from the SLOs', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'stressgate-k6-'));
    try {
      for (const ws of ['experimental', 'stable'] as const) {
        const file = await bundleK6({ ws, outfile: join(dir, `${ws}.js`) });
        const code = await readFile(file, 'utf8');
        assert.doesNotMatch(code, /\bzod\b/, 'no validation library in the k6 bundle');
        for (const name of await profileNames()) {
          const json = await readFile(join(PROFILES, name), 'utf8');
          const profile = await loadProfile(join(PROFILES, name));
          const wsModules: string[] = [];
          const { options } = loadBundle(code, json, wsModules);
          // The bundle runs in its own realm: compare as plain data.
          assert.deepEqual(JSON.parse(JSON.stringify(options.thresholds)), k6Thresholds(profile, sloLoadMap()), name);
          assert.deepEqual(Object.keys(options.scenarios).sort(), Object.keys(profile.scenarios).sort());
          assert.deepEqual(wsModules, [ws === 'stable' ? 'k6/websockets' : 'k6/experimental/websockets']);
        }
      }
      assert.deepEqual(k6Thresholds(await loadProfile(join(PROFILES, 'smoke.json')), sloLoadMap()), {
        http_5xx: ['rate<0.005'],
        auth_failures: ['rate<0.01'],
        http_req_duration: ['p(95)<300'],
        chat_delivery: ['p(95)<500'],
        notification_delivery: ['p(95)<500'],
        checks: ['rate>0.99'],
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('gate verdict', () => {
  const passing: RunSummary = {
    metrics: {
      http_5xx: { value: 0.001 },
      auth_failures: { value: 0.004 },
      http_req_duration: { 'p(95)': 120 },
      chat_delivery: { 'p(95)': 80 },
      notification_delivery: { 'p(95)': 90 },
      checks: { value: 0.999 },
    },
  };

  it('passes when every threshold holds and no gate alert fired', async () => {
    const profile = await loadProfile(join(PROFILES, 'smoke.json'));
    const v = judge(profile, passing, { prometheus: 'http://127.0.0.1:19090', window: { start: 'a', end: 'b' }, fired: [] });
    assert.equal(v.verdict, 'PASS');
    assert.match(verdictMarkdown(v), /# Release gate verdict: PASS/);
  });

  it('fails on a breached threshold, naming it with its value', async () => {
    const profile = await loadProfile(join(PROFILES, 'smoke.json'));
    const v = judge(profile, { metrics: { ...passing.metrics, http_req_duration: { 'p(95)': 450 } } }, null);
    assert.equal(v.verdict, 'FAIL');
    assert.deepEqual(v.thresholds.filter((t) => !t.pass).map((t) => [t.slo, t.value]), [['api-latency-p95', 450]]);
    assert.match(verdictMarkdown(v), /\| api-latency-p95 \| `http_req_duration` \| `p\(95\)<300` \| 450 \| FAIL \|/);
  });

  it('fails on a fired gate alert, and on a metric with no samples', async () => {
    const profile = await loadProfile(join(PROFILES, 'smoke.json'));
    const fired = judge(profile, passing, { prometheus: 'p', window: { start: 'a', end: 'b' }, fired: [{ alertname: 'WsBackpressureDrops', labels: { channel: 'chat' } }] });
    assert.equal(fired.verdict, 'FAIL');
    assert.match(verdictMarkdown(fired), /`WsBackpressureDrops` \(channel=chat\)/);
    const { chat_delivery: _, ...missing } = passing.metrics;
    assert.equal(judge(profile, { metrics: missing }, null).verdict, 'FAIL');
  });
});
