// Load profiles, the thresholds derived from the SLOs (the one source), and the safety interlock's
// rule including redirects.
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  assertUrlAllowed,
  InterlockError,
  isLoopbackHost,
  resolveLocation,
  urlParts,
} from '../../src/load-contract/interlock.js';
import { sendWithCheckedRedirects, type RawResponse } from '../../load/lib/redirects.js';
import { k6Thresholds, runScope, sloThresholds } from '../../src/load-contract/thresholds.js';
import { assertTargetAllowed } from '../../src/gate/interlock.js';
import { loadProfile } from '../../src/gate/profile-file.js';
import { parseProfile, ProfileError, withHoldDuration, type Profile } from '../../src/load-contract/profile.js';
import { checkProfileSlos, sloLoadMap } from '../../src/slos/load-thresholds.js';
import { ROOT } from '../helpers.js';
import { formatNumber } from '../../src/promql/expr.js';
import { k6Expression, millis, slos } from '../slo-values.js';

const PROFILES = join(ROOT, 'load/profiles');
const profileNames = async () =>
  (await readdir(PROFILES)).filter((f) => f.endsWith('.json') && f !== 'profile.schema.json').sort();
const smoke = () => loadProfile(join(PROFILES, 'smoke.json'));

describe('load profiles', () => {
  it('all parse, name only existing SLOs, and repeat no SLO number', async () => {
    assert.deepEqual(await profileNames(), ['moderate.json', 'smoke.json', 'soak.json', 'stress.json']);
    for (const name of await profileNames()) {
      const profile = await loadProfile(join(PROFILES, name));
      assert.deepEqual(checkProfileSlos(name, profile), [], name);
      assert.equal(profile.stricter, undefined, `${name} holds no stricter bound today`);
    }
  });

  it('reject bad input naming the file and field', async () => {
    const good = JSON.parse(await readFile(join(PROFILES, 'smoke.json'), 'utf8'));
    const bad = structuredClone(good);
    bad.scenarios.auth.stages[1].target = 'many';
    assert.throws(
      () => parseProfile('load/profiles/smoke.json', bad),
      (e: unknown) =>
        e instanceof ProfileError &&
        e.message.startsWith('load/profiles/smoke.json: field "scenarios.auth.stages.1.target"'),
    );
    const late = structuredClone(good);
    late.maxDuration = '10s';
    assert.throws(
      () => parseProfile('load/profiles/smoke.json', late),
      /field "scenarios\.\w+\.stages": stages end after 20s, past maxDuration 10s/,
    );
    assert.throws(
      () => parseProfile('load/profiles/other.json', good),
      /field "name": must equal the file name "other"/,
    );
    assert.throws(
      () => parseProfile('load/profiles/smoke.json', { ...good, vus: 10 }),
      /field "\(root\)": Unrecognized key: "vus"/,
    );
  });

  it('refuse a copy of the SLO thresholds: the SLOs are the one source', async () => {
    const good = JSON.parse(await readFile(join(PROFILES, 'smoke.json'), 'utf8'));
    const old = { ...good, thresholds: [{ slo: 'api-latency-p95', max: 0.3 }] };
    assert.throws(
      () => parseProfile('load/profiles/smoke.json', old),
      /load\/profiles\/smoke\.json: field "thresholds": profiles no longer repeat the SLO thresholds/,
    );
  });

  it('a stricter bound naming an unknown SLO is a verify finding', async () => {
    const profile = { ...(await smoke()), stricter: [{ slo: 'api-latency-p99', max: 0.2 }] };
    const [f] = checkProfileSlos('load/profiles/smoke.json', profile);
    assert.match(f!.message, /names SLO "api-latency-p99", which does not exist/);
    assert.match(f!.fix, /api-latency-p95/);
  });

  it('DURATION= stretches the hold stage of every scenario', async () => {
    const soak = withHoldDuration(await loadProfile(join(PROFILES, 'soak.json')), '10m');
    for (const s of Object.values(soak.scenarios))
      assert.deepEqual(
        s.stages.map((st) => st.duration),
        ['3m', '300s', '2m'],
      );
  });
});

describe('thresholds derived from the SLOs', () => {
  it('k6 gets each SLO bound with count>0 beside it, no iteration errors, iterations per scenario, the checks rate', async () => {
    const profile = await smoke();
    assert.deepEqual(k6Thresholds(profile, sloLoadMap(), runScope(profile, sloLoadMap())), {
      http_5xx: [k6Expression(slos.http5xxRatio)],
      'load_samples{measure:http_5xx}': ['count>0'],
      auth_failures: [k6Expression(slos.authFailureRatio)],
      'load_samples{measure:auth_failures}': ['count>0'],
      http_req_duration: [k6Expression(slos.apiLatencyP95)],
      'load_samples{measure:http_req_duration}': ['count>0'],
      chat_delivery: [k6Expression(slos.chatDeliveryP95)],
      'load_samples{measure:chat_delivery}': ['count>0'],
      notification_delivery: [k6Expression(slos.notificationDeliveryP95)],
      'load_samples{measure:notification_delivery}': ['count>0'],
      iteration_errors: ['count==0'],
      ...Object.fromEntries(
        ['auth', 'posts', 'messaging', 'notifications', 'games'].flatMap((s) => [
          [`iteration_errors{scenario:${s}}`, ['count==0']],
          [`iterations{scenario:${s}}`, ['count>0']],
        ]),
      ),
      checks: ['rate>=0.99'],
    });
  });

  it("changing an SLO threshold changes every profile's thresholds, with no profile edited", async () => {
    const changed = { ...sloLoadMap() };
    // Half the real SLO: a value no profile could already hold by coincidence.
    changed['api-latency-p95'] = { ...changed['api-latency-p95']!, threshold: slos.apiLatencyP95.threshold / 2 };
    for (const name of await profileNames()) {
      const profile = await loadProfile(join(PROFILES, name));
      assert.deepEqual(
        k6Thresholds(profile, changed, runScope(profile, changed)).http_req_duration,
        [`p(95)<${millis(slos.apiLatencyP95) / 2}`],
        name,
      );
    }
  });

  it("a profile's stricter bound applies when tighter, and the SLO's otherwise", async () => {
    const base = await smoke();
    // Tighter than the API latency SLO (half of it), looser than the chat one (twice it).
    const api = slos.apiLatencyP95.threshold / 2;
    const strict: Profile = {
      ...base,
      stricter: [
        { slo: 'api-latency-p95', max: api },
        { slo: 'chat-delivery-p95', max: slos.chatDeliveryP95.threshold * 2 },
      ],
    };
    const t = sloThresholds(strict, sloLoadMap(), runScope(strict, sloLoadMap()));
    const by = (id: string) => t.find((x) => x.slo === id)!;
    assert.deepEqual(
      [by('api-latency-p95').expression, by('api-latency-p95').source],
      [`p(95)<${formatNumber(api * 1000)}`, 'profile'],
    );
    assert.deepEqual(
      [by('chat-delivery-p95').expression, by('chat-delivery-p95').source],
      [k6Expression(slos.chatDeliveryP95), 'slo'],
    );
    // The bound stays in the SLO's unit (seconds); only the k6 expression is in ms.
    assert.deepEqual(
      [by('api-latency-p95').bound, by('chat-delivery-p95').bound],
      [api, slos.chatDeliveryP95.threshold],
    );
  });

  it('a --scenarios run judges only the SLOs its scenarios feed', async () => {
    const profile = await smoke();
    const scope = runScope(profile, sloLoadMap(), ['auth', 'posts']);
    assert.equal(scope.partial, true);
    assert.deepEqual(scope.outOfScope, ['chat-delivery-p95', 'notification-delivery-p95']);
    const t = k6Thresholds(profile, sloLoadMap(), scope);
    assert.equal(t.chat_delivery, undefined);
    assert.deepEqual(
      Object.keys(t).filter((k) => k.startsWith('iterations')),
      ['iterations{scenario:auth}', 'iterations{scenario:posts}'],
    );
    // Every scenario named is the whole profile: a full run.
    assert.equal(
      runScope(profile, sloLoadMap(), ['auth', 'posts', 'messaging', 'notifications', 'games']).partial,
      false,
    );
  });
});

describe('safety interlock', () => {
  it('accepts loopback only, unless a host is explicitly allowed', () => {
    for (const ok of ['http://127.0.0.1:18080', 'http://localhost:1', 'http://[::1]:8080', 'http://127.1.2.3'])
      assert.equal(assertTargetAllowed(ok, '').protocol, 'http:');
    assert.throws(
      () => assertTargetAllowed('https://example.com', ''),
      (e: unknown) => e instanceof InterlockError && /STRESS_ALLOWED_HOSTS/.test(e.message),
    );
    assert.throws(() => assertTargetAllowed('http://10.0.0.5:8080', ''), InterlockError);
    assert.throws(() => assertTargetAllowed('http://127.0.0.1.example.com', ''), InterlockError);
    assert.equal(
      assertTargetAllowed('https://staging.example.com', 'other.example.com, staging.example.com').hostname,
      'staging.example.com',
    );
  });

  it('the rule the k6 bundle applies, without the URL global', () => {
    for (const h of ['localhost', '127.0.0.1', '127.255.0.9', '[::1]', '::1', '0:0:0:0:0:0:0:1'])
      assert.ok(isLoopbackHost(h), h);
    for (const h of ['10.0.0.1', '127.0.0.256', '127.0.0.1.evil.com', '::2', '[::ffff:10.0.0.1]', 'localhost.evil.com'])
      assert.ok(!isLoopbackHost(h), h);
    assert.deepEqual(urlParts('http://user@10.0.0.1:8080/x?y'), {
      protocol: 'http',
      host: '10.0.0.1',
      origin: 'http://10.0.0.1:8080',
    });
    assert.throws(() => assertUrlAllowed('ftp://127.0.0.1/', [], 'x'), /only http\(s\)/);
    assert.equal(resolveLocation('http://127.0.0.1:1/a/b?q', '/c'), 'http://127.0.0.1:1/c');
    assert.equal(resolveLocation('http://127.0.0.1:1/a/b', 'c'), 'http://127.0.0.1:1/a/c');
    assert.equal(resolveLocation('https://127.0.0.1:1/a', '//10.0.0.1/x'), 'https://10.0.0.1/x');
  });

  it('follows a redirect to an allowed host without the token, refuses one to any other host before sending', async () => {
    const sent: string[] = [];
    const answers: Record<string, RawResponse> = {
      'http://127.0.0.1:1/start': { status: 307, location: 'http://localhost:2/next', body: null },
      'http://localhost:2/next': { status: 200, body: 'ok' },
      'http://127.0.0.1:1/evil': { status: 307, location: 'http://10.0.0.1:8080/signup', body: null },
    };
    const headersSeen: Record<string, string>[] = [];
    const send = async (_m: string, url: string, _b: string | null, h: Record<string, string>) => (
      sent.push(url),
      headersSeen.push(h),
      answers[url] ?? { status: 404, body: null }
    );
    const ok = await sendWithCheckedRedirects(
      send,
      'POST',
      'http://127.0.0.1:1/start',
      '{}',
      { authorization: 'Bearer t' },
      [],
    );
    assert.equal(ok.status, 200);
    assert.equal(headersSeen[1]!.authorization, undefined, 'no credentials to another origin');
    await assert.rejects(
      sendWithCheckedRedirects(send, 'POST', 'http://127.0.0.1:1/evil', '{"password":"x"}', {}, []),
      (e: unknown) => e instanceof InterlockError && /refusing to send load to 10\.0\.0\.1/.test(e.message),
    );
    assert.deepEqual(
      sent,
      ['http://127.0.0.1:1/start', 'http://localhost:2/next', 'http://127.0.0.1:1/evil'],
      'nothing was sent to 10.0.0.1',
    );
    const loop = async () => ({ status: 302, location: '/again', body: null });
    await assert.rejects(
      sendWithCheckedRedirects(loop, 'GET', 'http://127.0.0.1:1/again', null, {}, []),
      /more than 5 redirects/,
    );
  });
});
