// Phases and sliding windows on a real run: the real k6 against the reference app (real PostgreSQL,
// Redis, a real Prometheus with the committed rules and k6's remote write). A clean smoke passes every
// window; a run whose steady phase ends with 12 s of 1.2% of API requests answered 503 (the app's fault control) stays
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
import { steadySpan } from '../../../src/load-contract/phases.js';
import { withHoldDuration, type Profile } from '../../../src/load-contract/profile.js';
import { startLocalStack, type LocalStack } from '../../../src/live/stack.js';
import { ROOT } from '../../helpers.js';

const k6 = await findK6(ROOT);
const CI = process.env.CI === 'true';
const skip = k6 || CI ? false : `no k6 found (${K6_MISSING.split('\n')[0]})`;
if (!k6 && CI) it('k6 is installed (required under CI=true)', () => assert.fail(K6_MISSING));

/**
 * The fault: this share of API requests answered 503 for the last FAULT_S seconds of the steady phase,
 * off when it ends. Measured at 1.5% for 15 s: the 18 s steady window holding it read 1.46%, the whole
 * run 0.38% (too near the 0.5% SLO); at 1.2% for 12 s that is ~0.9% and ~0.24%, twice the margin on
 * each side. The fault is switched off on the plan's clock, not when k6 exits: a run that overran by
 * 10 s with the fault still on read 0.56% over the run on a CI runner.
 */
const FAULT_RATIO = 0.012;
const FAULT_S = 12;

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

  it("1.2% 503s in the steady phase's last 12 s only: under the SLO over the run, FAIL naming the steady-phase window", async () => {
    const profile = withHoldDuration(await loadProfile(join(ROOT, 'load/profiles/smoke.json')), '60s');
    const steadyEnd = steadySpan(profile)!.endMs;
    const timers: NodeJS.Timeout[] = [];
    let v: Verdict;
    let [launched, faulted, cleared] = [0, 0, 0];
    try {
      v = await run(profile, () => {
        launched = Date.now();
        timers.push(
          setTimeout(
            () => void setFaults(stack.app.base, { http5xxRatio: FAULT_RATIO }).then(() => (faulted = Date.now())),
            steadyEnd - FAULT_S * 1000,
          ),
          setTimeout(() => void setFaults(stack.app.base, 'clear').then(() => (cleared = Date.now())), steadyEnd),
        );
      });
    } finally {
      for (const t of timers) clearTimeout(t);
      await setFaults(stack.app.base, 'clear');
    }
    const k6Start = Date.parse(v.window.start);
    process.stdout.write(
      `# k6 started ${k6Start - launched} ms after launch; faults on ${faulted - k6Start} ms after k6 started, off ${(cleared - faulted) / 1000} s later, ${(Date.parse(v.window.end) - cleared) / 1000} s before it ended\n`,
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
