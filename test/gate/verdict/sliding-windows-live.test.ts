// Phases and sliding windows on a real run: the real k6 against the reference app (real PostgreSQL,
// Redis, a real Prometheus with the committed rules and k6's remote write). A clean smoke passes every
// window; a run whose last 10 s answer 2% of API requests with 503 (the app's fault control) stays
// under the 0.5% SLO over the whole run and under the gate alert, and the verdict FAILs naming the
// steady-phase window that breached. Without k6 the suite is skipped (under CI=true it fails).
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setFaults } from '../../../src/drills/alerts.js';
import { findK6, K6_MISSING, type K6Binary } from '../../../src/gate/k6-driver/binary.js';
import { loadProfile } from '../../../src/gate/profile-file.js';
import { verdictMarkdown, type Verdict } from '../../../src/gate/verdict/index.js';
import { judgedK6Run } from './k6-judged.js';
import { plannedEndMs } from '../../../src/load-contract/phases.js';
import { withHoldDuration, type Profile } from '../../../src/load-contract/profile.js';
import { startLocalStack, type LocalStack } from '../../../src/live/stack.js';
import { ROOT } from '../../helpers.js';

const k6 = await findK6(ROOT);
const CI = process.env.CI === 'true';
const skip = k6 || CI ? false : `no k6 found (${K6_MISSING.split('\n')[0]})`;
if (!k6 && CI) it('k6 is installed (required under CI=true)', () => assert.fail(K6_MISSING));

/**
 * The fault's share of API requests, and how long before the planned end it starts. Measured, the
 * target then answers 2–2.5% of its requests 503; over a 75 s run 10 s of that is ~0.3% (under the
 * 0.5% SLO with room for a busy machine's uneven throughput), and ~0.8% of the ~23 s steady window
 * holding it. (15 s of a 60 s run read 0.56% on a CI runner once every new 503 series was counted.)
 */
const FAULT_RATIO = 0.02;
const FAULT_S = 10;
const RUN = '75s';

describe('phases and sliding windows on a real k6 run', { skip, timeout: 420_000 }, () => {
  let stack: LocalStack;
  let out: string;
  before(async () => {
    stack = await startLocalStack({ root: ROOT, faults: true });
    out = await mkdtemp(join(tmpdir(), 'stressgate-windows-'));
  });
  after(async () => {
    await stack?.stop();
    if (out) await rm(out, { recursive: true, force: true });
  });

  /** One k6 run; `onStart` runs as it is launched (k6 starts after its bundle is built, well under a second later). */
  const run = (profile: Profile, onStart: () => void = () => {}): Promise<Verdict> =>
    judgedK6Run({ k6: k6 as K6Binary, stack, profile, out, prefix: 'windows' }, onStart);

  it('a clean smoke: every SLO has phases and a worst window, none breached, the run valid: PASS', async () => {
    const profile = await loadProfile(join(ROOT, 'load/profiles/smoke.json'));
    // Latency on a loaded 2-core machine can cross a bound, client-side or over the run: one retry then
    // (as the k6 smoke does), and a verdict failing on latency alone still proves what this test is for.
    const latencyOnly = (x: Verdict) =>
      x.failures.every(
        (f) => /p95$|LatencyP95High|DeliveryLatencyHigh/.test(f.subject) && !/NOT MEASURED/.test(f.reason),
      );
    let v = await run(profile);
    if (v.failures.length && latencyOnly(v)) v = await run(profile);
    process.stdout.write(`# clean smoke windows:\n${verdictMarkdown(v).split('## Scenarios')[0]}\n`);
    assert.deepEqual(
      v.failures.filter((f) => f.source === 'window'),
      [],
      'no window fails a clean run',
    );
    assert.ok(!v.failures.length || latencyOnly(v), verdictMarkdown(v));
    assert.equal(v.validity?.valid, true, JSON.stringify(v.validity));
    for (const s of v.slos) {
      const w = s.windows!;
      assert.ok(w, `${s.slo}: no windows`);
      assert.deepEqual(
        w.phases.map((p) => p.phase),
        ['ramp-up', 'steady', 'ramp-down'],
      );
      // A window short of its minimum events is NOT MEASURED, never failing (a loaded machine sends fewer).
      for (const p of w.phases) if (p.worst) assert.ok(p.worst.samples >= w.minEvents, JSON.stringify(p));
      assert.equal(w.seconds, 10, `${s.slo}: a 15 s steady phase at 1 s scrapes gets 10 s windows`);
    }
    const latency = v.slos.find((x) => x.slo === 'api-latency-p95')!.windows!;
    assert.equal(
      latency.phases.find((p) => p.phase === 'steady')?.worst?.outcome !== undefined,
      true,
      'API latency windows measured',
    );
    assert.equal(v.verdict, v.failures.length ? 'FAIL' : 'PASS');
  });

  it('2% 503s in the last 10 s only: under the SLO over the run, FAIL naming the steady-phase window', async () => {
    const profile = withHoldDuration(await loadProfile(join(ROOT, 'load/profiles/smoke.json')), RUN);
    const faultAt = plannedEndMs(profile) - FAULT_S * 1000;
    let timer: NodeJS.Timeout | undefined;
    let v: Verdict;
    let [launched, faulted] = [0, 0];
    try {
      v = await run(profile, () => {
        launched = Date.now();
        timer = setTimeout(
          () => void setFaults(stack.app.base, { http5xxRatio: FAULT_RATIO }).then(() => (faulted = Date.now())),
          faultAt,
        );
      });
    } finally {
      clearTimeout(timer);
      await setFaults(stack.app.base, 'clear');
    }
    const k6Start = Date.parse(v.window.start);
    process.stdout.write(
      `# k6 started ${k6Start - launched} ms after launch; faults on ${faulted - k6Start} ms after k6 started (${(Date.parse(v.window.end) - faulted) / 1000} s before it ended)\n`,
    );
    process.stdout.write(`# late collapse:\n${verdictMarkdown(v).split('## Scenarios')[0]}\n`);
    const s = v.slos.find((x) => x.slo === 'http-5xx-ratio')!;
    assert.equal(s.prometheus?.outcome, 'PASS', `whole run under the SLO: ${JSON.stringify(s.prometheus)}`);
    assert.ok(s.prometheus!.value! < 0.005 && s.prometheus!.value! > 0, String(s.prometheus!.value));
    assert.ok(
      !v.prometheus!.gateAlerts.some((a) => a.alertname === 'Http5xxRatioHigh'),
      `the 5m gate alert stays quiet: ${JSON.stringify(v.prometheus!.gateAlerts)}`,
    );
    const steady = s.windows!.phases.find((p) => p.phase === 'steady')!;
    assert.equal(steady.worst?.outcome, 'FAIL', JSON.stringify(s.windows));
    assert.ok(Date.parse(steady.worst!.end) > faulted, 'the worst window ends after the fault began');
    const failure = v.failures.find((f) => f.source === 'window' && f.subject === 'http-5xx-ratio');
    assert.ok(failure, JSON.stringify(v.failures));
    assert.match(failure.reason, new RegExp(`steady-phase ${s.windows!.seconds} s window ${steady.worst!.start}`));
    assert.equal(v.verdict, 'FAIL');
    assert.equal(v.release, false);
  });
});
