// The compressed soak on the real k6 against the reference app (real PostgreSQL, Redis, a real
// Prometheus with the committed rules): a soak profile held ~2.5 minutes at the smoke profile's VUs.
// Clean, its stability judgement PASSes; with the app leaking 8 KiB per request, with each request
// burning more CPU as the run goes, or with its 5xx share rising from the run's start, the same box
// FAILs it, naming the metric, its slope and the bound. The
// verdicts are printed for the record (docs/soak.md). Without k6 the suite is skipped (CI=true: fails).
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
import type { FaultSettings } from '../../../reference-app/src/fault-settings.js';
import { withHoldDuration, type Profile } from '../../../src/load-contract/profile.js';
import { startLocalStack, type LocalStack } from '../../../src/live/stack.js';
import { ROOT } from '../../helpers.js';

const k6 = await findK6(ROOT);
const CI = process.env.CI === 'true';
const skip = k6 || CI ? false : `no k6 found (${K6_MISSING.split('\n')[0]})`;
if (!k6 && CI) it('k6 is installed (required under CI=true)', () => assert.fail(K6_MISSING));

/** The run's length: 3 s ramp, a hold, 2 s ramp-down; 30 s of warm-up leave ~2 minutes judged in 10 s windows. */
const DURATION = '160s';
/** ~200 requests a second on this profile: ~1.6 MB/s retained, far past 25% of the heap over the run. */
const LEAK: Partial<FaultSettings> = { leakBytesPerRequest: 8192 };
/** +0.3 percentage points a minute from the start: ~0.8% by the end, against a 0.25-point rise bound. */
const RISING: Partial<FaultSettings> = { http5xxRisePerMinute: 0.003 };
/** +0.3 ms of CPU per request a minute from the start: ~0.8 ms more by the end, against a ~1 ms request. */
const COSTLIER: Partial<FaultSettings> = { cpuMsRisePerMinute: 0.3 };

// In this order: the clean run judges an app the two fault runs before it have warmed (a soak judges
// after its warm-up; a cold process's heap and RSS grow for minutes as V8 sizes its spaces), and the
// leak runs last, since its retained strings are still being collected in the run after it.
describe('the compressed soak on a real k6 run', { skip, timeout: 900_000 }, () => {
  let stack: LocalStack;
  let out: string;
  let profile: Profile;
  before(async () => {
    stack = await startLocalStack({ root: ROOT, faults: true });
    out = await mkdtemp(join(tmpdir(), 'stressgate-soak-'));
    // The smoke profile's VUs (the machine is shared), named soak: a soak's criteria apply.
    profile = {
      ...withHoldDuration(await loadProfile(join(ROOT, 'load/profiles/smoke.json')), DURATION),
      name: 'soak',
    };
  });
  after(async () => {
    await stack?.stop();
    if (out) await rm(out, { recursive: true, force: true });
  });

  const run = async (label: string, faults?: Partial<FaultSettings>): Promise<Verdict> => {
    if (faults) await setFaults(stack.app.base, faults);
    try {
      const v = await judgedK6Run({ k6: k6 as K6Binary, stack, profile, out, prefix: `soak-${label}` });
      const md = verdictMarkdown(v);
      process.stdout.write(
        `# compressed soak, ${label}: ${v.verdict}\n${md.split('\n## SLOs')[0]}\n${md.slice(md.indexOf('## Stability'))}\n`,
      );
      return v;
    } finally {
      if (faults) await setFaults(stack.app.base, 'clear');
    }
  };

  it('a 5xx share rising from the start: FAIL on the error trend', async () => {
    const v = await run('rising-5xx', RISING);
    const errors = v.failures.find((f) => f.source === 'stability' && f.subject === 'error-ratio');
    assert.ok(errors, JSON.stringify(v.failures));
    assert.match(errors.reason, /HTTP 5xx ratio rises [\d.]+%\/h .*above the bound of [\d.]+%/);
    assert.equal(v.verdict, 'FAIL');
  });

  it("each request costing more CPU as the run goes: FAIL on CPU per request (the process's CPU did not fall)", async () => {
    const v = await run('costlier', COSTLIER);
    const cpu = v.failures.find((f) => f.source === 'stability' && f.subject === 'cpu-per-request');
    assert.ok(cpu, JSON.stringify(v.stability?.metrics.find((m) => m.id === 'cpu-per-request')));
    assert.match(cpu.reason, /CPU seconds per request rises [\d.]+ (µs|ms)\/h .*above the bound of [\d.]+ (µs|ms)/);
    assert.equal(v.verdict, 'FAIL');
  });

  it('clean: every stability metric PASSes (no significant rise past a bound)', async () => {
    const v = await run('clean');
    assert.ok(v.stability, 'a soak carries its stability judgement');
    assert.deepEqual(
      v.failures.filter((f) => f.source === 'stability'),
      [],
    );
    assert.equal(v.stability.pass, true);
    assert.ok(v.stability.metrics.every((m) => m.windows >= 10));
  });

  it('leaking 8 KiB per request: FAIL on memory, naming the metric, its slope and the bound', async () => {
    const v = await run('leak', LEAK);
    const memory = v.failures.filter(
      (f) => f.source === 'stability' && (f.subject === 'heap-used' || f.subject === 'resident-memory'),
    );
    assert.ok(memory.length, JSON.stringify(v.failures));
    assert.match(memory[0]!.reason, /rises [\d.]+ MiB\/h .*above the bound of [\d.]+ MiB/);
    assert.equal(v.verdict, 'FAIL');
  });
});
