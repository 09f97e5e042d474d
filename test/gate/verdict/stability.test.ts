// The soak's judgement (src/gate/verdict/stability-judge.ts, stability.ts) on synthetic windows: a GC
// sawtooth on a flat floor passes, a leak under it fails naming metric, slope and bound; a 5xx ratio
// rising slowly under the SLO fails on its trend; too few windows is NOT MEASURED (a failure); a smoke
// run is not judged at all, a soak is, after its warm-up; a failure makes the verdict FAIL.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decide } from '../../../src/gate/verdict/decide.js';
import { judgeStability, type StabilityInput, type StabilityPoint } from '../../../src/gate/verdict/stability-judge.js';
import { stabilityMarkdownLines } from '../../../src/gate/verdict/stability-markdown.js';
import { stabilitySpan, windowed } from '../../../src/gate/verdict/stability.js';
import { loadProfile } from '../../../src/gate/profile-file.js';
import { withHoldDuration } from '../../../src/load-contract/profile.js';
import { STABILITY, stabilityWindowSeconds } from '../../../src/slos/stability.js';
import { slos } from '../../../src/slos/index.js';
import { join } from 'node:path';
import { ROOT } from '../../helpers.js';

const MiB = 2 ** 20;
const T0 = 1_800_000_000;
const W = 10;
const N = 12;

/** Raw 1 s samples of a GC sawtooth (a 20 MiB climb every 4 s, then collected) on `floor(t)`. */
const sawtooth = (floor: (t: number) => number) =>
  Array.from({ length: N * W }, (_, i) => [T0 + i + 1, floor(i) + ((i % 4) / 3) * 20 * MiB] as const);

const flat = (v: number) => Array.from({ length: N }, (_, k) => ({ t: T0 + (k + 1) * W, value: v }));

function input(over: Partial<StabilityInput['series']> = {}): StabilityInput {
  const mem = windowed(
    sawtooth(() => 150 * MiB),
    T0,
    T0 + N * W,
    W,
    'floor',
  );
  return {
    span: { start: T0, end: T0 + N * W },
    windowSeconds: W,
    durationSeconds: 180,
    spanOffsetSeconds: 40,
    warmupSeconds: 30,
    reason: 'a soak profile',
    series: {
      'resident-memory': mem,
      'heap-used': windowed(
        sawtooth(() => 60 * MiB),
        T0,
        T0 + N * W,
        W,
        'floor',
      ),
      'cpu-per-request': flat(0.0004),
      'event-loop-lag-p99': flat(0.012),
      'error-ratio': flat(0),
      ...over,
    } as StabilityInput['series'],
  };
}

describe('the stability judgement', () => {
  it('a GC sawtooth on a flat floor: every metric PASS, no failure', () => {
    const { judgement, failures } = judgeStability(input());
    assert.deepEqual(failures, []);
    assert.equal(judgement.pass, true);
    const rss = judgement.metrics.find((m) => m.id === 'resident-memory')!;
    assert.equal(rss.windows, N);
    assert.equal(rss.start, 150 * MiB, 'the floor: what is left after each collection');
    assert.equal(rss.significant, false);
  });

  it('a leak of 1 MiB/s under the sawtooth: FAIL naming the metric, its slope and the bound', () => {
    const leak = windowed(
      sawtooth((i) => 150 * MiB + i * MiB),
      T0,
      T0 + N * W,
      W,
      'floor',
    );
    const { judgement, failures } = judgeStability(input({ 'resident-memory': leak }));
    assert.equal(judgement.pass, false);
    assert.equal(failures.length, 1, JSON.stringify(failures));
    const f = failures[0]!;
    assert.equal(f.source, 'stability');
    assert.equal(f.subject, 'resident-memory');
    assert.match(f.reason, /Resident memory \(RSS\) rises 3600 MiB\/h/);
    assert.match(
      f.reason,
      /180 MiB over the profile's 3 min, above the bound of 64 MiB \(a rise of 25% of 1\d\d MiB \(at most 256 MiB\) \(at least 64 MiB\)/,
    );
  });

  it('a rise past 25% of the start but under the floor is heap sizing, not a leak; past the floor it fails', () => {
    // 150 MiB RSS rising steadily: 45 MiB over the 3 min profile is past 25% (37.5 MiB) and under 64 MiB.
    const rising = (mibPerSecond: number) =>
      windowed(
        sawtooth((i) => 150 * MiB + i * mibPerSecond * MiB),
        T0,
        T0 + N * W,
        W,
        'floor',
      );
    const under = judgeStability(input({ 'resident-memory': rising(0.25) }));
    const rss = under.judgement.metrics.find((m) => m.id === 'resident-memory')!;
    assert.equal(rss.significant, true);
    assert.ok(rss.rise! > 0.25 * rss.start! && rss.rise! < 64 * MiB, `${rss.rise! / MiB} MiB`);
    assert.equal(rss.limit, 64 * MiB);
    assert.deepEqual(under.failures, []);
    const over = judgeStability(input({ 'resident-memory': rising(0.4) }));
    assert.deepEqual(
      over.failures.map((f) => f.subject),
      ['resident-memory'],
    );
  });

  it('a small significant rise within its bound passes: significance alone is not a failure', () => {
    const slow = windowed(
      sawtooth((i) => 150 * MiB + i * 0.05 * MiB),
      T0,
      T0 + N * W,
      W,
      'floor',
    );
    const { judgement } = judgeStability(input({ 'resident-memory': slow }));
    const rss = judgement.metrics.find((m) => m.id === 'resident-memory')!;
    assert.equal(rss.significant, true);
    assert.equal(rss.outcome, 'PASS', rss.reason);
  });

  it('a 5xx ratio rising 0.1 percentage points a minute, under the SLO in every window: FAIL on the trend', () => {
    const rising = Array.from({ length: N }, (_, k) => ({ t: T0 + (k + 1) * W, value: (0.001 * (k + 1) * W) / 60 }));
    assert.ok(rising.every((p) => p.value < slos.http5xxRatio.threshold));
    const { failures } = judgeStability(input({ 'error-ratio': rising }));
    assert.deepEqual(
      failures.map((f) => f.subject),
      ['error-ratio'],
    );
    assert.match(failures[0]!.reason, /HTTP 5xx ratio rises 6%\/h .*above the bound of 0\.25%/);
  });

  it('CPU per request rising a third over the run fails; the same CPU spread over more requests does not', () => {
    const costly = Array.from({ length: N }, (_, k) => ({ t: T0 + (k + 1) * W, value: 0.0004 * (1 + k / 20) }));
    const { failures } = judgeStability(input({ 'cpu-per-request': costly }));
    assert.deepEqual(
      failures.map((f) => f.subject),
      ['cpu-per-request'],
    );
  });

  // A busier machine under closed-loop load: requests fall from 700/s to 425/s, the process's CPU is
  // 0.3 cores that are not per request plus 0.5 ms a request, so CPU per request rises 30%.
  const at = (k: number) => T0 + (k + 1) * W;
  const reqs = (k: number) => 700 - 25 * k;
  const sharing = Array.from({ length: N }, (_, k) => ({ t: at(k), value: (0.3 + 0.0005 * reqs(k)) / reqs(k) }));
  const cores = (f: (k: number) => number) => Array.from({ length: N }, (_, k) => ({ t: at(k), value: f(k) }));

  it("CPU per request rising while the process's CPU falls: fewer requests sharing fixed work, reported and not failed", () => {
    const { judgement, failures } = judgeStability({
      ...input({ 'cpu-per-request': sharing }),
      numerators: { 'cpu-per-request': cores((k) => 0.3 + 0.0005 * reqs(k)) },
    });
    assert.deepEqual(failures, []);
    const cpu = judgement.metrics.find((m) => m.id === 'cpu-per-request')!;
    assert.equal(cpu.outcome, 'PASS');
    assert.equal(cpu.significant, true);
    assert.match(cpu.excused ?? '', /above the bound .*while the process's CPU fell 2\d% over the judged span/);
    assert.ok(cpu.numerator && cpu.numerator.slopePerHour! < 0, JSON.stringify(cpu.numerator));
    assert.match(stabilityMarkdownLines(judgement).join('\n'), /\*\*CPU seconds per request\*\*: not failed: /);
  });

  it('the same rise fails when the CPU held or grew, and when the CPU was not measured (fail closed)', () => {
    for (const numerators of [
      { 'cpu-per-request': cores(() => 0.65) },
      { 'cpu-per-request': cores((k) => 0.65 + 0.01 * k) },
      {},
    ]) {
      const { failures } = judgeStability({ ...input({ 'cpu-per-request': sharing }), numerators });
      assert.deepEqual(
        failures.map((f) => f.subject),
        ['cpu-per-request'],
        JSON.stringify(numerators),
      );
      assert.match(failures[0]!.reason, /CPU seconds per request rises .* above the bound/);
    }
  });

  it('event-loop lag over its bound in one window fails, trend or not', () => {
    const lag: StabilityPoint[] = flat(0.012).map((p, k) => (k === 5 ? { ...p, value: 0.35 } : p));
    const { failures } = judgeStability(input({ 'event-loop-lag-p99': lag }));
    assert.match(failures.map((f) => f.reason).join(), /reached 350 ms in a window, above the bound of 200 ms/);
  });

  it('fewer windows than a trend test needs is NOT MEASURED, which fails', () => {
    const { judgement, failures } = judgeStability(input({ 'heap-used': flat(1).slice(0, 4) }));
    assert.equal(judgement.metrics.find((m) => m.id === 'heap-used')!.outcome, 'NOT MEASURED');
    assert.match(failures[0]!.reason, /NOT MEASURED: 4 windows/);
    assert.equal(decide(failures, {}, []).verdict, 'FAIL');
  });

  it('the judgement round-trips through the verdict schema and renders as a table', () => {
    const { judgement } = judgeStability(input());
    const lines = stabilityMarkdownLines(judgement).join('\n');
    assert.match(lines, /\| Resident memory \(RSS\) \| 12 \| 150 MiB \|/);
    assert.ok(STABILITY.metrics.every((m) => lines.includes(`| ${m.title} |`)));
  });
});

describe('which runs are judged, over which span', () => {
  it('a smoke run is not judged (no stability section); a soak is, after its warm-up', async () => {
    const smoke = await loadProfile(join(ROOT, 'load/profiles/smoke.json'));
    const start = new Date(T0 * 1000);
    const s = stabilitySpan({ profile: smoke, start, end: new Date(start.getTime() + 21_000) });
    assert.equal(s.judged, false);
    const soak = await loadProfile(join(ROOT, 'load/profiles/soak.json'));
    const full = stabilitySpan({ profile: soak, start, end: new Date(start.getTime() + 120 * 60_000) });
    assert.ok(full.judged);
    assert.equal(full.warmup, 600, 'a 115 min steady phase: 10 minutes of warm-up (the cap)');
    assert.equal(full.start, T0 + 180 + 600);
    assert.equal(full.end, T0 + 180 + 115 * 60);
    assert.equal(stabilityWindowSeconds(full.end - full.start, 15), 210);
    const short = withHoldDuration(soak, '8m');
    const c = stabilitySpan({ profile: short, start, end: new Date(start.getTime() + 480_000) });
    assert.ok(c.judged, 'a compressed soak is still a soak');
    assert.equal(c.warmup, 30, 'at least 30 s');
  });

  it('a long steady phase of another profile is judged too', async () => {
    const smoke = await loadProfile(join(ROOT, 'load/profiles/smoke.json'));
    const long = withHoldDuration(smoke, '40m');
    const start = new Date(T0 * 1000);
    assert.equal(stabilitySpan({ profile: long, start, end: new Date(start.getTime() + 2_400_000) }).judged, true);
  });

  it('windowed: floors and medians per window, windows without samples left out', () => {
    const samples = [
      [T0 + 1, 5],
      [T0 + 2, 3],
      [T0 + 11, 9],
      [T0 + 12, 7],
      [T0 + 13, 8],
      [T0 + 31, 1],
    ] as const;
    assert.deepEqual(windowed(samples, T0, T0 + 40, 10, 'floor'), [
      { t: T0 + 10, value: 3 },
      { t: T0 + 20, value: 7 },
      { t: T0 + 40, value: 1 },
    ]);
    assert.deepEqual(windowed(samples, T0, T0 + 40, 10, 'median')[1], { t: T0 + 20, value: 8 });
  });
});
