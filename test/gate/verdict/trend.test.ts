// Theil–Sen and Mann–Kendall (src/gate/verdict/trend.ts) against published results and hand-worked
// cases, and the property the soak relies on: a GC sawtooth (rise, drop, repeat) is no trend, the same
// sawtooth on a slowly rising floor is.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MIN_TREND_POINTS, risingSignificantly, thin, trendOf } from '../../../src/gate/verdict/trend.js';

const series = (ys: readonly number[]) => ys.map((y, i) => [i + 1, y] as const);
const close = (a: number, b: number, eps = 1e-9) => assert.ok(Math.abs(a - b) <= eps, `${a} ≠ ${b}`);

describe('trendOf: Mann–Kendall and Theil–Sen', () => {
  it('the published 10-point example: S 5, Var(S) 125, z 0.3578, p 0.7205, Sen slope 0.04', () => {
    // The example of the R package modifiedmk's mmkh(), as its port in Ipaper.jl (slope_mk) documents it:
    // z0 = 0.35777087639996635, pval0 = 0.7205147871362552, slope = 0.04.
    const t = trendOf(series([4.81, 4.17, 4.41, 3.59, 5.87, 3.83, 6.03, 4.89, 4.32, 4.69]))!;
    assert.equal(t.n, 10);
    assert.equal(t.s, 5);
    close(t.varS, 125);
    close(t.z, 0.35777087639996635, 1e-12);
    close(t.p, 0.7205147871362552, 1e-6); // simple-statistics' normal CDF is a table to 1e-5ish
    close(t.slope, 0.04, 1e-12);
    assert.equal(risingSignificantly(t, 0.05), false);
  });

  it('ties take their share from Var(S): (n(n−1)(2n+5) − Σ t(t−1)(2t+5)) / 18', () => {
    // 1..10 with the last five tied in pairs: S counts tied pairs as 0.
    const ys = [1, 2, 3, 4, 5, 6, 6, 7, 7, 8];
    const t = trendOf(series(ys))!;
    assert.equal(t.s, 45 - 2); // 45 pairs, 2 of them tied
    close(t.varS, (10 * 9 * 25 - 2 * (2 * 1 * 9)) / 18);
    close(t.z, (t.s - 1) / Math.sqrt(t.varS));
    assert.ok(t.p < 0.001 && risingSignificantly(t, 0.05));
  });

  it('a perfect line: slope and intercept exact, p tiny; falling is significant but not rising', () => {
    const up = trendOf(series(Array.from({ length: 20 }, (_, i) => 3 + 2 * (i + 1))))!;
    close(up.slope, 2);
    close(up.intercept, 3);
    assert.equal(up.s, 190);
    assert.ok(up.p < 1e-6);
    const down = trendOf(series(Array.from({ length: 20 }, (_, i) => -i)))!;
    assert.ok(down.p < 1e-6 && down.slope < 0);
    assert.equal(risingSignificantly(down, 0.05), false);
  });

  it('Theil–Sen ignores outliers a least-squares fit would follow', () => {
    const ys = Array.from({ length: 30 }, (_, i) => 100 + 0 * i);
    ys[27] = 10_000; // one GC-less spike near the end
    ys[28] = 9_000;
    const t = trendOf(series(ys))!;
    close(t.slope, 0);
    assert.equal(risingSignificantly(t, 0.05), false);
  });

  it('a GC sawtooth (periodic rise and drop, no growth) is no trend; the same on a rising floor is', () => {
    // 12 cycles of 10 samples: memory climbs 40 MiB per cycle, then the collector takes it back.
    const MiB = 2 ** 20;
    const saw = (i: number) => 200 * MiB + (i % 10) * 4 * MiB;
    const flat = trendOf(series(Array.from({ length: 120 }, (_, i) => saw(i))))!;
    assert.equal(risingSignificantly(flat, 0.05), false, JSON.stringify(flat));
    // Whatever slope the sawtooth leaves is far below one cycle's amplitude over the run.
    assert.ok(Math.abs(flat.slope) * 120 < 40 * MiB, `slope ${flat.slope}`);
    const leaking = trendOf(series(Array.from({ length: 120 }, (_, i) => saw(i) + i * 0.5 * MiB)))!;
    assert.ok(risingSignificantly(leaking, 0.05), JSON.stringify(leaking));
    close(leaking.slope / MiB, 0.5, 0.2);
  });

  it('too few points is no verdict (null), never a trend', () => {
    assert.equal(trendOf(series(Array.from({ length: MIN_TREND_POINTS - 1 }, (_, i) => i))), null);
    assert.equal(trendOf(series([1, 2, 3, Number.NaN, 5, 6, 7, 8, 9, 10])), null, 'NaN points are dropped');
  });

  it('thin keeps the first and the last point and at most max', () => {
    const xs = Array.from({ length: 1000 }, (_, i) => i);
    const t = thin(xs, 100);
    assert.equal(t.length, 100);
    assert.equal(t[0], 0);
    assert.equal(t.at(-1), 999);
    assert.deepEqual(thin([1, 2, 3], 10), [1, 2, 3]);
  });
});
