// How the verdict decides, one outcome per test, through the real judging code: PASS only for a full
// run judged by every source; FAIL naming the source (k6, Prometheus SLI, gate alert, evidence);
// NOT MEASURED for an SLO without samples (never PASS); PARTIAL for a run that could not judge
// everything; evidence sections (e.g. journeys) can fail it.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadProfile } from '../../../src/gate/profile-file.js';
import { exitCode, parseVerdict, verdictMarkdown, withSection } from '../../../src/gate/verdict/index.js';
import { healthyPrometheus, healthySummary, verdictOf } from '../../fixtures/verdicts.js';
import { ROOT } from '../../helpers.js';
import { humanText, millis, promNumber, re, slos } from '../../slo-values.js';

const API = slos.apiLatencyP95;
const CHAT = slos.chatDeliveryP95;

const smoke = () => loadProfile(join(ROOT, 'load/profiles/smoke.json'));
const ALL = [
  'http-5xx-ratio',
  'auth-failure-ratio',
  'api-latency-p95',
  'chat-delivery-p95',
  'notification-delivery-p95',
];

describe('verdict', () => {
  it('PASS: a full run, every SLO with samples from both sides, nothing failing', async () => {
    const v = verdictOf(await smoke());
    assert.deepEqual([v.verdict, v.release, v.title, exitCode(v)], ['PASS', true, 'Release gate verdict: PASS', 0]);
    assert.deepEqual(v.failures, []);
    assert.deepEqual(parseVerdict(JSON.parse(JSON.stringify(v))), v, 'the JSON matches the published schema');
    const md = verdictMarkdown(v);
    assert.match(md, /^# Release gate verdict: PASS$/m);
    assert.match(md, new RegExp(re(`| api-latency-p95 | ≤ ${humanText(API)} | 182 ms | 3710 | 170 ms | 900 | PASS |`)));
  });

  it('FAIL by k6: a breached bound, named with its value and sample count', async () => {
    const summary = healthySummary();
    const breach = millis(API) * 1.5;
    summary.metrics.http_req_duration = { 'p(95)': breach, count: 3710 };
    const v = verdictOf(await smoke(), { summary });
    assert.deepEqual([v.verdict, exitCode(v)], ['FAIL', 1]);
    assert.deepEqual(v.failures, [
      {
        source: 'k6',
        subject: 'api-latency-p95',
        reason: `p(95) of http_req_duration was ${breach} ms over 3710 samples, not below ${millis(API)} ms (the SLO)`,
      },
    ]);
    assert.match(
      verdictMarkdown(v),
      new RegExp(re(`| k6 | api-latency-p95 | p(95) of http_req_duration was ${breach} ms`)),
    );
  });

  it('NOT MEASURED: an empty metric (k6 prints p(95)=0) fails a full run instead of passing', async () => {
    const summary = healthySummary();
    summary.metrics.chat_delivery = { 'p(95)': 0, count: 0, avg: 0 };
    const v = verdictOf(await smoke(), { summary });
    const chat = v.slos.find((s) => s.slo === 'chat-delivery-p95')!;
    assert.deepEqual([chat.load.value, chat.load.samples, chat.outcome], [null, 0, 'NOT MEASURED']);
    assert.equal(v.verdict, 'FAIL');
    assert.match(
      v.failures.find((f) => f.subject === 'chat-delivery-p95')!.reason,
      /^NOT MEASURED: no samples of chat_delivery/,
    );
    assert.match(
      verdictMarkdown(v),
      new RegExp(`${re(`| chat-delivery-p95 | ≤ ${humanText(CHAT)} | NOT MEASURED | 0 |`)}.*\\| NOT MEASURED \\|`),
    );
  });

  it('FAIL by the Prometheus SLI over the run, even when k6 saw it within bounds', async () => {
    const prom = healthyPrometheus(ALL);
    const over = API.threshold * 1.4;
    prom.slis[2] = { ...prom.slis[2]!, value: over, outcome: 'FAIL' };
    prom.failures.push({
      source: 'prometheus-sli',
      subject: 'api-latency-p95',
      reason: `API p95 latency over the run was ${over} from 900 events, above ${promNumber(API)} (${humanText(API)} SLO)`,
    });
    const v = verdictOf(await smoke(), { prometheus: prom });
    assert.equal(v.verdict, 'FAIL');
    assert.equal(v.slos.find((s) => s.slo === 'api-latency-p95')!.outcome, 'FAIL');
    assert.deepEqual(
      v.failures.map((f) => f.source),
      ['prometheus-sli'],
    );
  });

  it('FAIL by a gate alert pending at any moment, and by evidence (a blind SLI, rule failures)', async () => {
    const prom = healthyPrometheus(ALL);
    prom.evidence.gateAlerts.push({
      alertname: 'ApiLatencyP95High',
      states: ['pending'],
      firstSeen: '2026-11-24T10:00:12.000Z',
      labels: { slo: 'api-latency-p95' },
    });
    prom.failures.push({
      source: 'gate-alert',
      subject: 'ApiLatencyP95High',
      reason: 'pending during the run (from 2026-11-24T10:00:12.000Z; slo=api-latency-p95)',
    });
    prom.evidence.recordingRules[0] = { ...prom.evidence.recordingRules[0]!, samples: 0 };
    prom.failures.push({
      source: 'evidence',
      subject: 'job:http_requests_5xx:ratio_rate5m',
      reason: 'the gate SLI had no samples during the run',
    });
    const v = verdictOf(await smoke(), { prometheus: prom });
    assert.equal(v.verdict, 'FAIL');
    assert.deepEqual(
      v.failures.map((f) => f.source),
      ['gate-alert', 'evidence'],
    );
    const md = verdictMarkdown(v);
    assert.match(md, /- `ApiLatencyP95High` pending from 2026-11-24T10:00:12\.000Z \(slo=api-latency-p95\)/);
    assert.match(md, /`job:http_requests_5xx:ratio_rate5m` \(http-5xx-ratio\): 0 samples during the run — BLIND/);
  });

  it('FAIL naming the scenario and its first error when iterations threw; FAIL below the checks minimum', async () => {
    const summary = healthySummary();
    summary.metrics['iteration_errors{scenario:messaging}'] = { count: 168 };
    summary.metrics.checks = { passes: 900, fails: 168, value: 900 / 1068 };
    const v = verdictOf(await smoke(), {
      summary,
      firstErrors: { messaging: 'ReferenceError: setTimeout is not defined' },
    });
    assert.equal(v.verdict, 'FAIL');
    assert.deepEqual(
      v.failures.find((f) => f.subject === 'scenario messaging'),
      {
        source: 'k6',
        subject: 'scenario messaging',
        reason: '168 iteration(s) threw; first: ReferenceError: setTimeout is not defined',
      },
    );
    assert.match(v.failures.find((f) => f.subject === 'checks')!.reason, /^84\.27% of 1068 checks passed, below 99%/);
  });

  it('PARTIAL: a --scenarios run judges only what its scenarios feed, the rest NOT MEASURED; exit 3 unless --partial-ok', async () => {
    const v = verdictOf(await smoke(), { only: ['auth', 'posts'] });
    assert.deepEqual([v.verdict, v.release, exitCode(v), exitCode(v, true)], ['PARTIAL', false, 3, 0]);
    assert.equal(v.title, 'Release gate verdict: PARTIAL — not a release verdict');
    assert.deepEqual(
      v.slos.filter((s) => s.outcome === 'NOT MEASURED').map((s) => [s.slo, s.inScope]),
      [
        ['chat-delivery-p95', false],
        ['notification-delivery-p95', false],
      ],
    );
    assert.deepEqual(v.failures, []);
    const md = verdictMarkdown(v);
    assert.match(
      md,
      /scenarios auth, posts only \(--scenarios\): chat-delivery-p95, notification-delivery-p95 NOT MEASURED/,
    );
    assert.match(
      md,
      new RegExp(
        re(`| chat-delivery-p95 | ≤ ${humanText(CHAT)} | not in this run | — | not in this run | — | NOT MEASURED |`),
      ),
    );
    // Something judged failing still reads FAIL, and still not as a release verdict.
    const summary = healthySummary(['auth', 'posts']);
    summary.metrics.http_5xx = { passes: 50, fails: 950, value: 0.05 };
    const failed = verdictOf(await smoke(), { only: ['auth', 'posts'], summary });
    assert.deepEqual(
      [failed.verdict, failed.title, exitCode(failed, true)],
      ['FAIL', 'Release gate verdict: FAIL (PARTIAL — not a release verdict)', 1],
    );
  });

  it('PARTIAL: without Prometheus the server side and the gate alerts are not judged', async () => {
    const v = verdictOf(await smoke(), { prometheus: false, runner: 'node' });
    assert.equal(v.verdict, 'PARTIAL');
    assert.match(v.scope.limits[0]!, /no Prometheus given/);
    assert.match(verdictMarkdown(v), /Gate alerts: not checked/);
  });

  it('an evidence section (e.g. journeys) can fail the verdict; its failures are listed with the source', async () => {
    const v = verdictOf(await smoke());
    const ok = withSection(v, 'journeys', {
      title: 'Browser journeys',
      pass: true,
      failures: [],
      details: { journeys: 3 },
    });
    assert.equal(ok.verdict, 'PASS');
    assert.deepEqual(parseVerdict(JSON.parse(JSON.stringify(ok))).sections.journeys?.details, { journeys: 3 });
    const bad = withSection(v, 'journeys', {
      title: 'Browser journeys',
      pass: false,
      failures: [{ source: 'journeys', subject: 'login', reason: 'step "submit" timed out after 10 s' }],
      details: {},
    });
    assert.deepEqual([bad.verdict, bad.failures.at(-1)?.source], ['FAIL', 'journeys']);
    assert.match(verdictMarkdown(bad), /## Browser journeys \(`journeys`\): FAIL/);
    assert.throws(
      () => withSection(ok, 'journeys', { title: 'again', pass: true, failures: [], details: null }),
      /already has a section "journeys"/,
    );
  });

  it('verdict JSON that does not match the schema is refused, naming the field', async () => {
    const v = JSON.parse(JSON.stringify(verdictOf(await smoke())));
    v.slos[0].outcome = 'OK';
    assert.throws(
      () => parseVerdict(v, 'artifacts/verdict.json'),
      /artifacts\/verdict\.json: field "slos\.0\.outcome"/,
    );
  });
});
