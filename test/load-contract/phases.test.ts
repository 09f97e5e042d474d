// A run's phases from its profile's stages: the steady phase is the intersection of the scenarios'
// holds, ramps before and after; a profile without holds is steady throughout; holds that never
// overlap are refused when the profile is loaded, naming the file and field.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadProfile } from '../../src/gate/profile-file.js';
import { plannedEndMs, plannedVusAt, runPhases, steadySpan, steadyVus } from '../../src/load-contract/phases.js';
import { parseProfile, ProfileError, withHoldDuration, type Profile } from '../../src/load-contract/profile.js';
import { ROOT } from '../helpers.js';

const profile = (scenarios: Profile['scenarios']): Profile =>
  parseProfile('/x/p.json', {
    name: 'p',
    description: 'a test profile for phases',
    maxDuration: '10m',
    scenarios,
    checks: { minPassRate: 0.99 },
  });

describe('run phases', () => {
  it('smoke: 3 s ramp-up, 15 s steady, 2 s ramp-down (or until the run really ended), 18 steady VUs', async () => {
    const smoke = await loadProfile(join(ROOT, 'load/profiles/smoke.json'));
    assert.deepEqual(runPhases(smoke), [
      { phase: 'ramp-up', startMs: 0, endMs: 3000 },
      { phase: 'steady', startMs: 3000, endMs: 18000 },
      { phase: 'ramp-down', startMs: 18000, endMs: 20000 },
    ]);
    assert.equal(runPhases(smoke, undefined, 26_500)[2]!.endMs, 26_500);
    assert.equal(steadyVus(smoke), 18);
    assert.equal(steadyVus(smoke, ['auth', 'posts']), 7);
    assert.equal(plannedVusAt(smoke, 1500, ['auth']), 2, 'half-way up a 0 -> 4 ramp');
    assert.equal(plannedEndMs(withHoldDuration(smoke, '80s')), 80_000);
  });

  it('several scenarios: steady is the intersection of their holds, staggered starts included', () => {
    const p = profile({
      auth: {
        stages: [
          { duration: '10s', target: 5 },
          { duration: '60s', target: 5, hold: true },
          { duration: '5s', target: 0 },
        ],
      },
      posts: {
        startTime: '20s',
        stages: [
          { duration: '10s', target: 3 },
          { duration: '30s', target: 3, hold: true },
          { duration: '5s', target: 0 },
        ],
      },
    });
    assert.deepEqual(steadySpan(p), { startMs: 30_000, endMs: 60_000 });
    assert.deepEqual(
      runPhases(p).map((x) => [x.phase, x.startMs, x.endMs]),
      [
        ['ramp-up', 0, 30_000],
        ['steady', 30_000, 60_000],
        ['ramp-down', 60_000, 75_000],
      ],
    );
    assert.equal(steadyVus(p), 8);
    // Judged alone, posts has its own steady phase.
    assert.deepEqual(steadySpan(p, ['posts']), { startMs: 30_000, endMs: 60_000 });
    assert.deepEqual(steadySpan(p, ['auth']), { startMs: 10_000, endMs: 70_000 });
  });

  it('no hold at all: the whole run is steady (judged strictly throughout)', () => {
    const p = profile({
      auth: {
        stages: [
          { duration: '10s', target: 5 },
          { duration: '10s', target: 0 },
        ],
      },
    });
    assert.deepEqual(runPhases(p), [{ phase: 'steady', startMs: 0, endMs: 20_000 }]);
  });

  it('holds that never overlap: no steady phase, refused on load naming the file and field', async () => {
    const scenarios = {
      auth: {
        stages: [
          { duration: '10s', target: 5, hold: true },
          { duration: '5s', target: 0 },
        ],
      },
      posts: { startTime: '20s', stages: [{ duration: '10s', target: 3, hold: true }] },
    };
    assert.equal(steadySpan(profile(scenarios)), null);
    assert.throws(() => runPhases(profile(scenarios)), /hold stages never overlap/);
    const dir = await mkdtemp(join(tmpdir(), 'stressgate-phases-'));
    try {
      const good = JSON.parse(await readFile(join(ROOT, 'load/profiles/smoke.json'), 'utf8'));
      const file = join(dir, 'smoke.json');
      await writeFile(file, JSON.stringify({ ...good, scenarios }));
      await assert.rejects(loadProfile(file), (err: Error) => {
        assert.ok(err instanceof ProfileError);
        assert.match(err.message, new RegExp(`${file}: field "scenarios": .*no steady phase`));
        return true;
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('strictRamps is a boolean in the profile schema', () => {
    const base = { name: 'p', description: 'a test profile', maxDuration: '1m', checks: { minPassRate: 1 } };
    const scenarios = { auth: { stages: [{ duration: '10s', target: 1 }] } };
    assert.equal(parseProfile('/x/p.json', { ...base, scenarios, strictRamps: true }).strictRamps, true);
    assert.throws(
      () => parseProfile('/x/p.json', { ...base, scenarios, strictRamps: 'yes' }),
      /p\.json: field "strictRamps"/,
    );
  });
});
