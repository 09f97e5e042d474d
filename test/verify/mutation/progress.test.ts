// The mutation pass's progress: one line redrawn in place on a terminal, nothing on CI or into a pipe.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  clearProgress,
  formatProgress,
  progressReporter,
  type MutationProgress,
  type Terminal,
} from '../../../src/verify/mutation/progress.js';

const state: MutationProgress = { judged: 120, total: 312, round: 2, rounds: 3, jobsDone: 45, jobs: 96 };

/** A stream that records what is written to it; `isTTY` as a terminal's or a pipe's. */
const stream = (isTTY: boolean) => {
  const written: string[] = [];
  return { written, terminal: { isTTY, write: (t: string) => written.push(t) } satisfies Terminal };
};

test('the line says mutants judged of all, the round, its promtool jobs and the seconds elapsed', () => {
  assert.equal(
    formatProgress(state, 17_900),
    'mutation: 120/312 mutants judged · round 2/3: 45/96 promtool jobs · 17 s',
  );
  assert.equal(
    formatProgress({ ...state, judged: 0, jobsDone: 0 }, 0),
    'mutation: 0/312 mutants judged · round 2/3: 0/96 promtool jobs · 0 s',
  );
});

test('into a pipe, or on CI, the reporter writes nothing at all', () => {
  for (const [isTTY, env] of [
    [false, {}],
    [true, { CI: 'true' }],
    [false, { CI: 'true' }],
  ] as const) {
    const s = stream(isTTY);
    const r = progressReporter(s.terminal, env);
    r.update(state);
    r.clear();
    r.done();
    assert.deepEqual(s.written, [], `isTTY ${isTTY}, CI ${'CI' in env ? env.CI : 'unset'}`);
  }
});

test('on a terminal it draws the line in place, erases it for other output, and at the end', () => {
  const s = stream(true);
  let clock = 0;
  const r = progressReporter(s.terminal, {}, () => clock);
  clock = 3_000;
  r.update(state);
  assert.deepEqual(s.written, [`\r${formatProgress(state, 3_000)}\x1b[K`]);
  r.update({ ...state, jobsDone: 46 });
  assert.equal(s.written.length, 1, 'a redraw within 100 ms waits');
  clock = 3_200;
  r.update({ ...state, jobsDone: 47 });
  assert.equal(s.written.at(-1), `\r${formatProgress({ ...state, jobsDone: 47 }, 3_200)}\x1b[K`);
  clearProgress();
  assert.equal(s.written.at(-1), '\r\x1b[K', 'verify erases it before printing a line of its own');
  const count = s.written.length;
  r.done();
  assert.equal(s.written.length, count, 'nothing left to erase');
  clearProgress();
  assert.equal(s.written.length, count, 'a finished reporter is no longer the one on screen');
});
