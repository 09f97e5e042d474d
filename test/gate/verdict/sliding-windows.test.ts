// The window arithmetic of ./windows.ts on its own: the length a run can hold, the grid landing on the
// steady phase's end, which phase a window belongs to, and the judgement: a steady-phase breach fails
// naming the window, a ramp breach is reported (strict only with strictRamps), a window short of
// events is NOT MEASURED and fails only when the whole steady phase has nothing measured.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { join } from 'node:path';
import { loadProfile } from '../../../src/gate/profile-file.js';
import { PromClient } from '../../../src/kernel/prometheus-client.js';
import { ROOT } from '../../helpers.js';
import {
  judgeWindowPoints,
  judgeWindows,
  phaseOfWindow,
  windowEnds,
  windowSeconds,
  type AbsolutePhase,
  type WindowPoint,
} from '../../../src/gate/verdict/sliding-windows.js';
import { decide } from '../../../src/gate/verdict/decide.js';
import { slos } from '../../../src/slos/index.js';

const T0 = 1_800_000_000;
// The smoke profile on the clock: 3 s ramp-up, 15 s steady, ramp-down until 23 s.
const PHASES: AbsolutePhase[] = [
  { phase: 'ramp-up', start: T0, end: T0 + 3 },
  { phase: 'steady', start: T0 + 3, end: T0 + 18 },
  { phase: 'ramp-down', start: T0 + 18, end: T0 + 23 },
];

const judge = (points: WindowPoint[], o: { strictRamps?: boolean; phaseValue?: number | null } = {}) =>
  judgeWindowPoints({
    slo: 'http-5xx-ratio',
    title: 'HTTP 5xx ratio',
    boundText: "the SLO's rate<0.005",
    bound: 0.005,
    seconds: 10,
    step: 2,
    minEvents: 200,
    strictRamps: o.strictRamps ?? false,
    phases: PHASES,
    phaseValues: new Map(PHASES.map((p) => [p.phase, { value: o.phaseValue ?? 0.001, events: 1000 }])),
    points,
  });

/** A point per window end, clean (0.1%) unless `bad` says otherwise. */
const points = (bad: Record<number, number> = {}, events = 500): WindowPoint[] =>
  windowEnds(PHASES, 10, 2).map((end) => ({ end, value: bad[end - T0] ?? 0.001, events }));

describe('sliding windows', () => {
  it("each SLO's judge window defaults to its SLI's, and a window needs ten bad events at the threshold", () => {
    assert.equal(slos.http5xxRatio.judgeWindow, '5m');
    assert.equal(slos.apiLatencyP95.judgeWindow, '10m');
    assert.equal(slos.http5xxRatio.windowMinEvents, 2000);
    assert.equal(slos.authFailureRatio.windowMinEvents, 1000);
    assert.equal(slos.apiLatencyP95.windowMinEvents, 200);
  });

  it('the length: the SLO window capped to a third of the steady phase, floored at 10 s or 5 scrapes, never past the steady phase', () => {
    assert.equal(windowSeconds(300, 15, 1), 10, 'smoke: 15 s steady');
    assert.equal(windowSeconds(300, 75, 1), 25, 'an 80 s run');
    assert.equal(windowSeconds(300, 600, 15), 200, 'moderate: 10m steady, 15 s scrapes');
    assert.equal(windowSeconds(300, 7200, 15), 300, 'soak: the SLO window itself');
    assert.equal(windowSeconds(300, 6, 1), 6, 'never longer than the steady phase');
    assert.equal(windowSeconds(300, 600, 30), 200);
    assert.equal(windowSeconds(300, 90, 30), 90, 'five 30 s scrapes do not fit: the steady phase');
  });

  it('window ends: a grid of the step landing exactly on the steady end, from the first full window to the run end', () => {
    const ends = windowEnds(PHASES, 10, 2).map((t) => t - T0);
    assert.deepEqual(ends, [10, 12, 14, 16, 18, 20, 22]);
    assert.deepEqual(
      ends.map((t) => phaseOfWindow(PHASES, T0 + t, 10)),
      ['ramp-up', 'ramp-up', 'steady', 'steady', 'steady', 'ramp-down', 'ramp-down'],
    );
  });

  it('a clean run: every window PASS, the worst named', () => {
    const { windows, failures } = judge(points({ 16: 0.004 }));
    assert.deepEqual(failures, []);
    assert.equal(windows.worst?.phase, 'steady');
    assert.equal(windows.worst?.value, 0.004);
    assert.equal(windows.worst?.end, new Date((T0 + 16) * 1000).toISOString());
    assert.deepEqual(
      windows.phases.map((p) => [p.phase, p.strict, p.outcome, p.worst?.outcome]),
      [
        ['ramp-up', false, 'PASS', 'PASS'],
        ['steady', true, 'PASS', 'PASS'],
        ['ramp-down', false, 'PASS', 'PASS'],
      ],
    );
  });

  it('a breach in one steady window fails, naming the window, its value and events, though the phase is under the bound', () => {
    const { windows, failures } = judge(points({ 18: 0.02 }));
    assert.equal(failures.length, 1);
    const [f] = failures;
    assert.equal(f!.source, 'window');
    assert.equal(f!.subject, 'http-5xx-ratio');
    const start = new Date((T0 + 8) * 1000).toISOString();
    const end = new Date((T0 + 18) * 1000).toISOString();
    assert.equal(
      f!.reason,
      `HTTP 5xx ratio was 0.02 over the steady-phase 10 s window ${start} – ${end} (500 events), above 0.005 (the SLO's rate<0.005)`,
    );
    assert.equal(windows.phases[1]!.outcome, 'PASS', 'the phase as a whole is under the bound');
    assert.equal(windows.phases[1]!.worst?.outcome, 'FAIL');
    assert.equal(decide(failures, {}, []).verdict, 'FAIL');
  });

  it('a ramp breach is reported, not failing; with strictRamps it fails', () => {
    const ramp = points({ 22: 0.5 });
    const loose = judge(ramp);
    assert.deepEqual(loose.failures, []);
    assert.equal(loose.windows.worst?.phase, 'ramp-down');
    assert.equal(loose.windows.phases[2]!.worst?.outcome, 'FAIL');
    const strict = judge(ramp, { strictRamps: true });
    assert.equal(strict.failures.length, 1);
    assert.match(strict.failures[0]!.reason, /over the ramp-down-phase 10 s window/);
  });

  it('a window short of events is NOT MEASURED (never worst, never failing); a steady phase without any event fails', () => {
    const few = points({ 16: 0.5 }).map((p) => (p.end === T0 + 16 ? { ...p, events: 150 } : p));
    const r = judge(few);
    assert.deepEqual(r.failures, [], 'a high value on 150 events is not judged');
    assert.notEqual(r.windows.worst?.value, 0.5);
    const thin = (events: number) =>
      judgeWindowPoints({
        ...{ slo: 'x', title: 'X', boundText: 'b', bound: 0.005, seconds: 10, step: 2, minEvents: 200 },
        strictRamps: false,
        phases: PHASES,
        phaseValues: new Map(PHASES.map((p) => [p.phase, { value: events ? 0.001 : null, events }])),
        points: points({}, Math.min(events, 40)),
      });
    assert.deepEqual(thin(120).failures, [], 'too thin to slide over: the whole run judges it');
    assert.equal(thin(120).windows.phases[1]!.outcome, 'NOT MEASURED');
    assert.equal(thin(0).failures.length, 1);
    assert.match(thin(0).failures[0]!.reason, /NOT MEASURED: no events in the steady phase/);
  });

  it('a steady phase over the bound as a whole fails even when no single window was measured above it', () => {
    const r = judge(
      points().map((p) => ({ ...p, value: null })),
      { phaseValue: 0.01 },
    );
    assert.equal(r.failures.length, 1);
    assert.match(r.failures[0]!.reason, /over the steady phase .* above 0.005/);
  });
});

describe('a steady phase the scrape interval cannot cut into windows', () => {
  it('at 15 s scrapes a 15 s steady phase is not judged: said, not failed (and no Prometheus is asked)', async () => {
    const profile = await loadProfile(join(ROOT, 'load/profiles/smoke.json'));
    const unasked = new PromClient('http://127.0.0.1:1');
    const start = new Date(T0 * 1000);
    const input = {
      profile,
      start,
      end: new Date(start.getTime() + 23_000),
      bounds: [{ slo: 'http-5xx-ratio', bound: 0.005, text: 'rate<0.005' }],
    };
    const coarse = await judgeWindows(unasked, { ...input, scrapeSeconds: 15 });
    assert.deepEqual([coarse.slos, coarse.failures], [[], []]);
    assert.match(
      coarse.notJudged!,
      /^not judged: the steady phase \(15 s\) holds fewer than 5 scrapes at 15 s; the SLOs are judged over the whole run/,
    );
    // At 1 s scrapes the same run is cut into windows: Prometheus is asked (and here unreachable).
    await assert.rejects(judgeWindows(unasked, { ...input, scrapeSeconds: 1 }));
  });
});
