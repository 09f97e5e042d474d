// The soak's bounds as data (src/slos/stability.ts): docs/soak.md carries exactly the generated table,
// the warm-up and window length clamp as documented, and which runs are judged.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  formatStability,
  STABILITY,
  stabilityBoundsMarkdown,
  stabilityJudged,
  stabilityWindowSeconds,
  warmupSeconds,
} from '../../src/slos/stability.js';
import { slos } from '../../src/slos/index.js';
import { ROOT } from '../helpers.js';

describe('stability bounds', () => {
  it('docs/soak.md carries the bounds table generated from the data', async () => {
    const doc = await readFile(join(ROOT, 'docs/soak.md'), 'utf8');
    assert.ok(
      doc.includes(stabilityBoundsMarkdown()),
      'regenerate the table in docs/soak.md: stabilityBoundsMarkdown()',
    );
  });

  it('the error trend is bounded by the 5xx SLO itself', () => {
    const e = STABILITY.metrics.find((m) => m.id === 'error-ratio')!;
    assert.equal(e.bound.maxLevel, slos.http5xxRatio.threshold);
    assert.equal(e.bound.maxRise, slos.http5xxRatio.threshold / 2);
  });

  it('warm-up: 10% of the steady phase, at least 30 s, at most 10 min, never over half of it', () => {
    assert.equal(warmupSeconds(115 * 60), 600);
    assert.equal(warmupSeconds(155), 30);
    assert.equal(warmupSeconds(40), 20);
    assert.equal(warmupSeconds(1200), 120);
  });

  it('windows: about 30 over the span, at least 10 s and 5 scrapes', () => {
    assert.equal(stabilityWindowSeconds(125, 1), 10);
    assert.equal(stabilityWindowSeconds(125, 15), 75);
    assert.equal(stabilityWindowSeconds(6300, 15), 210);
  });

  it('soak and stress are judged by name; another profile by a 30-minute steady phase', () => {
    assert.equal(stabilityJudged('soak', 60), true);
    assert.equal(stabilityJudged('stress', 600), true);
    assert.equal(stabilityJudged('smoke', 15), false);
    assert.equal(stabilityJudged('moderate', 29 * 60), false);
    assert.equal(stabilityJudged('moderate', 30 * 60), true);
  });

  it('formats each unit', () => {
    assert.equal(formatStability('bytes', 2.5 * 2 ** 20), '2.5 MiB');
    assert.equal(formatStability('ratio', 0.0025), '0.25%');
    assert.equal(formatStability('seconds', 0.2), '200 ms');
    assert.equal(formatStability('seconds', 0.0004), '400 µs');
  });
});
