// The statistics behind the baseline comparison, on known values: the normal CDF against published
// values, Mann-Whitney U and its p-value against scipy.stats.mannwhitneyu (asymptotic, continuity
// corrected), the two-proportion test against the chi-square of its 2×2 table, Newcombe's interval
// against his 1998 paper, and histogram_quantile's interpolation.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bucketQuantile, quantileChange } from '../../../../src/gate/verdict/baseline/bootstrap.js';
import {
  mannWhitneyBucketed,
  mannWhitneyValues,
  normalCdf,
  normalSf,
  twoProportion,
  wilson,
} from '../../../../src/gate/verdict/baseline/stats.js';

const close = (actual: number, expected: number, rel = 1e-6, what = '') =>
  assert.ok(
    Math.abs(actual - expected) <= rel * Math.max(Math.abs(expected), 1e-300),
    `${what} ${actual} is not within ${rel} of ${expected}`,
  );

describe('normal distribution', () => {
  it('matches the published CDF values, the tails too', () => {
    const known: [number, number][] = [
      [0, 0.5],
      [1, 0.8413447460685429],
      [1.959963984540054, 0.975],
      [-1.5, 0.06680720126885807],
      [3, 0.9986501019683699],
    ];
    for (const [z, p] of known) close(normalCdf(z), p, 2e-7, `Φ(${z})`);
    close(normalSf(5), 2.866515718791933e-7, 2e-7, 'P(Z>5)');
    close(normalCdf(-6), 9.865876450376946e-10, 2e-7, 'Φ(-6)');
  });
});

describe('Mann-Whitney U on bucketed samples', () => {
  it('a classic small example without ties: U = 17, p = 0.0557 (scipy, greater)', () => {
    // x = 19 22 16 29 24 (current), y = 20 11 17 12 (baseline): every value its own bucket.
    const values = [11, 12, 16, 17, 19, 20, 22, 24, 29];
    const x = [19, 22, 16, 29, 24];
    const y = [20, 11, 17, 12];
    const t = mannWhitneyBucketed(
      values.map((v) => (y.includes(v) ? 1 : 0)),
      values.map((v) => (x.includes(v) ? 1 : 0)),
    );
    assert.equal(t.u, 17);
    close(t.pValue, 0.055673443266570206, 1e-5, 'p');
    close(t.probabilityOfSuperiority, 17 / 20);
  });

  it('ties per bucket with the tie correction: U = 1550, p = 0.01584 (scipy on the expanded samples)', () => {
    const t = mannWhitneyBucketed([5, 10, 20, 10, 5], [2, 6, 18, 14, 10]);
    assert.equal(t.u, 1550);
    close(t.pValue, 0.01584025028659717, 1e-5, 'p');
    assert.equal(t.rankBiserial, 2 * (1550 / 2500) - 1);
  });

  it('the same distribution twice is no evidence (p = 0.5 before continuity), and a shift the other way is p > 0.5', () => {
    const same = mannWhitneyBucketed([10, 20, 30], [10, 20, 30]);
    assert.equal(same.probabilityOfSuperiority, 0.5);
    assert.ok(same.pValue > 0.5 && same.pValue < 0.6);
    assert.ok(mannWhitneyBucketed([2, 6, 18, 14, 10], [5, 10, 20, 10, 5]).pValue > 0.9);
  });

  it('on a few values (time blocks) the p-value is exact: 0.0556 and 1/252 (scipy, method exact)', () => {
    close(mannWhitneyValues([20, 11, 17, 12], [19, 22, 16, 29, 24]).pValue, 0.05555555555555555, 1e-12);
    close(mannWhitneyValues([1, 2, 3, 4, 4.5], [5, 6, 7, 8, 9]).pValue, 1 / 252, 1e-12);
    assert.ok(mannWhitneyValues([5, 6, 7, 8, 9], [1, 2, 3, 4, 4.5]).pValue > 0.99);
  });

  it('refuses runs without samples or with different buckets', () => {
    assert.throws(() => mannWhitneyBucketed([0, 0], [1, 2]), /no samples/);
    assert.throws(() => mannWhitneyBucketed([1], [1, 2]), /different buckets/);
  });
});

describe('two proportions', () => {
  it("z matches the 2×2 chi-square (56/70 against 48/80: z = 2.6502, p = 0.00402), Newcombe's interval his paper's 0.0524 to 0.3339", () => {
    const t = twoProportion(48, 80, 56, 70);
    close(t.z, 2.650171951258532, 1e-9, 'z');
    close(t.pValue, 0.004022540684098295, 2e-6, 'p');
    close(t.difference, 0.2, 1e-12);
    assert.deepEqual(
      t.ci.map((v) => Number(v.toFixed(4))),
      [0.0524, 0.3339],
    );
  });

  it('rare events (12 in 10,000 against 30): z = 2.7804, p = 0.00271', () => {
    const t = twoProportion(12, 10_000, 30, 10_000);
    close(t.z, 2.7803812339098495, 1e-9, 'z');
    close(t.pValue, 0.0027147558037188017, 2e-6, 'p');
  });

  it("Wilson's interval stays inside [0, 1] at zero events, and no events in either run is no evidence", () => {
    const [lo, hi] = wilson(0, 100);
    assert.equal(lo, 0);
    assert.ok(hi > 0.03 && hi < 0.04, String(hi));
    assert.equal(twoProportion(0, 100, 0, 100).pValue, 1);
  });
});

describe('quantiles from buckets', () => {
  const le = [0.1, 0.2, 0.3, 0.5];
  it('interpolates within the bucket as histogram_quantile does, and reads +Inf as the highest finite bound', () => {
    // 100 samples: 50 ≤ 0.1, 30 in (0.1, 0.2], 15 in (0.2, 0.3], 5 in (0.3, 0.5]: p95 is the 15th of 15 in (0.2, 0.3].
    close(bucketQuantile(0.95, { le, counts: [50, 30, 15, 5, 0] })!, 0.3);
    close(bucketQuantile(0.5, { le, counts: [50, 30, 15, 5, 0] })!, 0.1);
    close(bucketQuantile(0.9, { le, counts: [50, 30, 15, 5, 0] })!, 0.2 + 0.1 * (10 / 15));
    assert.equal(bucketQuantile(0.95, { le, counts: [10, 0, 0, 0, 90] }), 0.5);
    assert.equal(bucketQuantile(0.95, { le, counts: [0, 0, 0, 0, 0] }), null);
  });

  it('the bootstrap interval holds the observed change, is the same every time, and narrows with more samples', () => {
    const small = quantileChange(0.95, { le, counts: [50, 30, 15, 5, 0] }, { le, counts: [40, 30, 20, 10, 0] })!;
    const again = quantileChange(0.95, { le, counts: [50, 30, 15, 5, 0] }, { le, counts: [40, 30, 20, 10, 0] })!;
    assert.deepEqual(small, again);
    assert.ok(small.ci[0] <= small.change && small.change <= small.ci[1], JSON.stringify(small));
    const big = quantileChange(
      0.95,
      { le, counts: [5000, 3000, 1500, 500, 0] },
      { le, counts: [4000, 3000, 2000, 1000, 0] },
    )!;
    assert.ok(big.ci[1] - big.ci[0] < (small.ci[1] - small.ci[0]) / 3, `${big.ci} vs ${small.ci}`);
    assert.ok(big.ci[0] > 0, 'ten times the samples: the shift is beyond the noise');
  });
});
