// A run against its baseline, on synthetic pairs through the real comparison and decision: p95 going
// 90 ms -> 280 ms reads REGRESSED with the SLO, both values, the change and the confidence; a small
// shift within tolerance, a significant but tiny shift, and a large shift on a handful of samples do
// not; a ratio's jump does; no baseline says so; a warn profile warns; old baselines compare points.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadProfile } from '../../../../src/gate/profile-file.js';
import {
  compareToBaseline,
  exitCode,
  parseVerdict,
  verdictMarkdown,
  withBaseline,
  withSection,
  type Verdict,
} from '../../../../src/gate/verdict/index.js';
import type { SliDistribution } from '../../../../src/gate/verdict/baseline/schema.js';
import { httpRequestDuration } from '../../../../src/catalog/metrics.js';
import { verdictOf } from '../../../fixtures/verdicts.js';
import { ROOT } from '../../../helpers.js';

const LE = [...httpRequestDuration.spec.buckets];
const smoke = await loadProfile(join(ROOT, 'load/profiles/smoke.json'));

/** A run in time blocks, block j with p95 `p95s[j]`: counts and blocks as the gate keeps them. */
function blocked(p95s: readonly number[], perBlock: number): SliDistribution {
  const blocks = p95s.map((p) => (latency(p, perBlock) as { counts: number[] }).counts);
  const counts = blocks.reduce((s, b) => s.map((x, i) => x + b[i]!));
  return { kind: 'histogram', query: 'test', le: LE, counts, blocks: { seconds: 3, counts: blocks }, series: null };
}

/** `n` samples of an exponential latency with p95 = `p95` seconds (quantiles on a grid), bucketed. */
function latency(p95: number, n: number): SliDistribution {
  const scale = p95 / Math.log(20);
  const counts = new Array<number>(LE.length + 1).fill(0);
  for (let i = 0; i < n; i++) {
    const x = -scale * Math.log(1 - (i + 0.5) / n);
    const b = LE.findIndex((le) => x <= le);
    counts[b === -1 ? LE.length : b]!++;
  }
  return { kind: 'histogram', query: 'test', le: LE, counts, series: null };
}

const ratio = (errors: number, total: number): SliDistribution => ({
  kind: 'ratio',
  query: 'test',
  errors,
  total,
  series: null,
});

/** A healthy smoke verdict whose API latency and 5xx evidence are the given distributions. */
function run(api: SliDistribution, http5xx = ratio(0, 3000)): Verdict {
  return { ...verdictOf(smoke), distributions: { 'api-latency-p95': api, 'http-5xx-ratio': http5xx } };
}

/** Against three baseline runs that agree exactly (no spread between runs), or one (`runs: 1`). */
const judge = (current: Verdict, baseline: Verdict | null, policy: 'fail' | 'warn' = 'fail', runs = 3) =>
  withBaseline(
    current,
    compareToBaseline(
      current,
      baseline && Array.from({ length: runs }, (_, i) => ({ verdict: baseline, file: `base-${i}/verdict.json` })),
      policy,
    ),
  );
const row = (v: Verdict, id = 'api-latency-p95') => v.baseline!.slos.find((s) => s.slo === id)!;

describe('baseline comparison', () => {
  it('p95 90 ms -> 280 ms on 3000 samples each: REGRESSED, naming the SLO, both values, the change and the confidence (exit 5)', () => {
    const v = judge(run(latency(0.28, 3000)), run(latency(0.09, 3000)));
    const r = row(v);
    assert.equal(r.outcome, 'REGRESSED');
    assert.equal(r.basis, 'distribution');
    assert.ok(Math.abs(r.baseline! - 0.09) < 0.01 && Math.abs(r.current! - 0.28) < 0.02, `${r.baseline} ${r.current}`);
    assert.ok(r.change!.absolute > 0.17 && r.change!.relative! > 1.8, JSON.stringify(r.change));
    assert.ok(r.test!.confidence > 0.999 && r.test!.pValue < 1e-6, JSON.stringify(r.test));
    assert.ok(r.test!.ci[0] > r.tolerance.allowed!, 'the interval is past the tolerance');
    assert.ok(r.test!.effect.value > 0.7, 'most current requests slower than most baseline ones');
    assert.deepEqual(v.baseline!.regressed, ['api-latency-p95']);
    assert.deepEqual([v.verdict, v.release, exitCode(v)], ['REGRESSED', false, 5]);
    assert.match(v.title, /^Release gate verdict: REGRESSED \(api-latency-p95 worse than the baseline\)$/);
    const md = verdictMarkdown(v);
    assert.match(
      md,
      /\| api-latency-p95 \| 9\d(\.\d+)? ms \| 2\d\d(\.\d+)? ms \| \+1\d\d(\.\d+)? ms \(\+\d+\.\d%\) \| worse by more than 10% and 20ms \| 100\.00% \(p=[\d.e-]+\) \| probability of superiority 0\.\d\d \| REGRESSED \|/,
    );
    assert.match(md, /- api-latency-p95 REGRESSED: p95 9\d.* → 2\d\d.* worse than the 20 ms allowed, Mann-Whitney p=/);
    assert.deepEqual(parseVerdict(JSON.parse(JSON.stringify(v))), v, 'the verdict with its baseline fits the schema');
  });

  it('a small shift within tolerance (90 -> 93 ms) reads SAME and the verdict stays PASS', () => {
    const v = judge(run(latency(0.093, 3000)), run(latency(0.09, 3000)));
    assert.equal(row(v).outcome, 'SAME');
    assert.deepEqual([v.verdict, exitCode(v)], ['PASS', 0]);
    assert.equal(v.title, 'Release gate verdict: PASS');
  });

  it('a significant but tiny shift (90 -> 96 ms over 200,000 samples: p far below alpha) is not REGRESSED', () => {
    const v = judge(run(latency(0.096, 200_000)), run(latency(0.09, 200_000)));
    const r = row(v);
    assert.ok(r.test!.pValue < 1e-6, `significant: p=${r.test!.pValue}`);
    assert.ok(r.test!.ci[0] > 0, 'the p95 moved, beyond its noise');
    assert.equal(r.outcome, 'SAME', r.reason);
  });

  it('a large shift on a handful of samples (90 -> 280 ms, 6 each) is noise, not REGRESSED', () => {
    const r = row(judge(run(latency(0.28, 6)), run(latency(0.09, 6))));
    assert.ok(r.change!.absolute > 0.1, 'the point values moved a lot');
    assert.equal(r.outcome, 'SAME', r.reason);
  });

  it('faster beyond tolerance and noise reads IMPROVED, and passes', () => {
    const v = judge(run(latency(0.09, 3000)), run(latency(0.28, 3000)));
    assert.equal(row(v).outcome, 'IMPROVED');
    assert.equal(v.verdict, 'PASS');
  });

  it('a 5xx ratio 0.1% -> 1% over 5000 requests each is REGRESSED; 0.1% -> 0.14% is SAME', () => {
    const worse = judge(run(latency(0.09, 3000), ratio(50, 5000)), run(latency(0.09, 3000), ratio(5, 5000)));
    const r = row(worse, 'http-5xx-ratio');
    assert.equal(r.outcome, 'REGRESSED', r.reason);
    assert.equal(r.test!.method, 'two-proportion');
    assert.equal(r.tolerance.text, 'worse by more than 0.1pp');
    assert.match(
      verdictMarkdown(worse),
      /\| http-5xx-ratio \| 0\.1% \| 1% \| \+0\.9pp \| worse by more than 0\.1pp \|/,
    );
    const same = judge(run(latency(0.09, 3000), ratio(7, 5000)), run(latency(0.09, 3000), ratio(5, 5000)));
    assert.equal(row(same, 'http-5xx-ratio').outcome, 'SAME');
  });

  it('without a baseline the verdict says the relative criteria were not judged, and stands', () => {
    const v = judge(run(latency(0.28, 3000)), null);
    assert.equal(v.baseline!.status, 'none');
    assert.equal(v.verdict, 'PASS');
    assert.match(verdictMarkdown(v), /## Baseline\n\n\*\*no baseline: relative criteria not judged\.\*\*/);
    assert.match(
      verdictMarkdown(verdictOf(smoke)),
      /no baseline: relative criteria not judged/,
      'nor when the field is absent',
    );
  });

  it('a profile with regression "warn" reads PASS with a warning in the title (exit 0)', () => {
    const v = judge(run(latency(0.28, 3000)), run(latency(0.09, 3000)), 'warn');
    assert.deepEqual([v.verdict, v.release, exitCode(v)], ['PASS', true, 0]);
    assert.match(v.title, /PASS \(WARN: api-latency-p95 worse than the baseline; the profile warns\)/);
    assert.equal(v.baseline!.policy, 'warn');
  });

  it('a failure outranks a regression, and a section added later keeps the baseline in the decision', () => {
    const v = judge(run(latency(0.28, 3000)), run(latency(0.09, 3000)));
    const ok = withSection(v, 'journeys', { title: 'Browser journeys', pass: true, failures: [], details: {} });
    assert.equal(ok.verdict, 'REGRESSED');
    const failed = withSection(v, 'journeys', { title: 'Browser journeys', pass: false, failures: [], details: {} });
    assert.deepEqual([failed.verdict, exitCode(failed)], ['FAIL', 1]);
  });

  it('a baseline without distributions (an older verdict) compares point values and says so, never REGRESSED', () => {
    const base = verdictOf(smoke); // Prometheus p95 170 ms, no distributions
    const current = run(latency(0.28, 3000));
    current.slos.find((s) => s.slo === 'api-latency-p95')!.prometheus!.value = 0.28;
    const v = judge(current, base);
    const r = row(v);
    assert.deepEqual([r.basis, r.outcome], ['point', 'NOT COMPARABLE']);
    assert.match(
      r.reason,
      /field "distributions\.api-latency-p95" is missing: point values only \(\+110 ms\), beyond the tolerance but not tested/,
    );
    assert.match(v.baseline!.note, /point values only for .*api-latency-p95/);
    assert.equal(v.verdict, 'PASS');
  });

  it("a run that wanders with itself over time (blocks 60–220 ms) is judged against that noise, not its requests' count", () => {
    const noisy = [0.06, 0.22, 0.08, 0.2, 0.07, 0.21, 0.09];
    const base = blocked(noisy, 400);
    const cur = blocked(
      noisy.map((p) => p * 1.35),
      400,
    );
    const alone = judge(
      run({ ...cur, blocks: undefined } as SliDistribution),
      run({ ...base, blocks: undefined } as SliDistribution),
    );
    assert.equal(row(alone).outcome, 'REGRESSED', 'requests taken as independent: a regression');
    const r = row(judge(run(cur), run(base), 'fail', 1));
    assert.equal(r.outcome, 'SAME', r.reason);
    assert.match(r.reason, /over 7 and 7 time blocks/);
    assert.ok(r.test!.blocks!.pValue >= 0.01, JSON.stringify(r.test!.blocks));
    const far = row(
      judge(
        run(
          blocked(
            noisy.map((p) => p + 0.3),
            400,
          ),
        ),
        run(base),
      ),
    );
    assert.equal(far.outcome, 'REGRESSED', `every block 300 ms slower: ${far.reason}`);
  });

  it('several baseline runs: their spread is the noise between runs, and a run inside it is SAME', () => {
    const baselines = [0.09, 0.15, 0.22, 0.12, 0.18].map((p, i) => ({
      verdict: run(latency(p, 3000)),
      file: `runs/${i}/verdict.json`,
    }));
    const current = run(latency(0.24, 3000));
    assert.equal(
      row(judge(current, baselines[0]!.verdict)).outcome,
      'REGRESSED',
      'against three runs as fast as the fastest',
    );
    const alone = judge(current, baselines[0]!.verdict, 'fail', 1);
    assert.equal(row(alone).outcome, 'WORSE', 'against the fastest one alone: the noise between runs is unknown');
    assert.deepEqual([alone.verdict, alone.baseline!.regressed], ['PASS', []]);
    assert.match(
      alone.baseline!.note,
      /one baseline run: the noise between runs is not known, so a regression reads WORSE/,
    );
    const pooled = withBaseline(current, compareToBaseline(current, baselines, 'fail'));
    const r = row(pooled);
    assert.equal(r.outcome, 'SAME', r.reason);
    assert.equal(r.test!.between!.runs, 5);
    assert.match(
      r.reason,
      /5 baseline runs 1\d\d(\.\d+)? ms ± \d+(\.\d+)? ms, one more of the same build ≤ \d+(\.\d+)? ms \(99%\)/,
    );
    assert.deepEqual(
      pooled.baseline!.files,
      baselines.map((b) => b.file),
    );
    assert.match(pooled.baseline!.note, /^compared with 5 baseline runs, newest runs\/0\/verdict\.json/);
    const far = row(
      withBaseline(run(latency(0.6, 3000)), compareToBaseline(run(latency(0.6, 3000)), baselines, 'fail')),
    );
    assert.equal(far.outcome, 'REGRESSED', `600 ms is past where one more run would fall: ${far.reason}`);
  });

  it('an SLO the current run did not judge is NOT COMPARABLE, not SAME', () => {
    const v = judge({ ...verdictOf(smoke, { only: ['auth', 'posts'] }), distributions: {} }, run(latency(0.09, 3000)));
    const chat = row(v, 'chat-delivery-p95');
    assert.deepEqual([chat.outcome, chat.reason], ['NOT COMPARABLE', 'not in this run']);
  });
});
