// The journeys' judge (src/e2e/): journeys.json validated and re-judged against the SLOs, failing
// closed; budgets from src/slos/; the section joined to the gate verdict.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { budgetMs, p95, summarizeStep } from '../../src/e2e/budgets.js';
import {
  judgeJourneys,
  journeysEvidence,
  journeysMarkdown,
  readJourneys,
  type JourneysFile,
} from '../../src/e2e/journeys.js';
import { plannedMs, rampedUpMs } from '../../src/e2e/under-load.js';
import { loadProfile } from '../../src/gate/profile-file.js';
import { verdictMarkdown, withSection } from '../../src/gate/verdict/index.js';
import { healthySummary, verdictOf } from '../fixtures/verdicts.js';
import { ROOT } from '../helpers.js';
import { millis, re, slos } from '../slo-values.js';

const NOTIFY = slos.notificationDeliveryP95;
const CHAT = slos.chatDeliveryP95;
/** The notification step's time in a passing journey: well within its SLO budget (180 ms of 500). */
const WITHIN = Math.round(millis(NOTIFY) * 0.36);

function file(overrides: Partial<JourneysFile['journeys'][number]> = {}): JourneysFile {
  const step = (name: string, slo: string | null, samples: number[]) => ({
    ...summarizeStep(name, slo, samples),
    samples,
  });
  return {
    version: 1,
    baseUrl: 'http://127.0.0.1:18080',
    grep: '@smoke',
    startedAt: '2026-11-25T10:00:00.000Z',
    finishedAt: '2026-11-25T10:00:30.000Z',
    report: 'report/index.html',
    journeys: [
      {
        id: 'notification',
        title: 'login, post, comment',
        tags: ['@smoke'],
        status: 'passed',
        pass: true,
        durationMs: 4000,
        steps: [
          step('login until realtime connected', null, [400, 450]),
          step('notification badge updated after comment', NOTIFY.id, [WITHIN]),
        ],
        error: null,
        traces: [],
        ...overrides,
      },
    ],
  };
}

describe('journey budgets', () => {
  it('come from the SLOs, in ms', () => {
    assert.equal(budgetMs(NOTIFY.id), NOTIFY.threshold * 1000);
    assert.equal(budgetMs(CHAT.id), CHAT.threshold * 1000);
  });

  it('refuse an unknown SLO and one that is not a latency objective', () => {
    assert.throws(() => budgetMs('nope'), /unknown SLO "nope"/);
    assert.throws(() => budgetMs(slos.http5xxRatio.id), /not a latency objective/);
  });

  it('judge the nearest-rank p95 of the samples, strictly under the threshold like the gate', () => {
    assert.equal(p95([]), null);
    assert.equal(p95([5, 1, 3]), 5);
    assert.equal(p95(Array.from({ length: 20 }, (_, i) => i + 1)), 19);
    const budget = budgetMs(NOTIFY.id);
    assert.equal(summarizeStep('s', NOTIFY.id, [budget - 1]).pass, true);
    assert.equal(summarizeStep('s', NOTIFY.id, [budget]).pass, false);
    assert.equal(summarizeStep('s', NOTIFY.id, []).pass, false, 'no sample is no evidence');
    assert.equal(summarizeStep('s', null, [99_999]).pass, true, 'informational steps are not judged on time');
  });
});

describe('journeys judge', () => {
  it('passes journeys that passed within their budgets', () => {
    const section = judgeJourneys('j.json', file());
    assert.equal(section.pass, true, section.failures.join('\n'));
    assert.deepEqual(section.failures, []);
    assert.equal(section.journeys[0]!.steps[1]!.ms, WITHIN);
    assert.equal(section.report, 'report/index.html');
  });

  it('fails a step over its budget, naming the step, time, budget and SLO', () => {
    const doc = file();
    const over = budgetMs(NOTIFY.id) + 120;
    doc.journeys[0]!.steps[1] = {
      ...summarizeStep('notification badge updated after comment', NOTIFY.id, [over]),
      samples: [over],
      pass: true,
    };
    const section = judgeJourneys('j.json', doc);
    assert.equal(section.pass, false);
    assert.deepEqual(section.failures, [
      `notification @smoke: notification badge updated after comment: ${over} ms >= ${budgetMs(NOTIFY.id)} ms budget (${NOTIFY.id})`,
    ]);
  });

  it('fails a budgeted step without samples, and a passed journey with no budgeted step', () => {
    const noSample = file();
    noSample.journeys[0]!.steps[1]!.samples = [];
    assert.match(
      judgeJourneys('j.json', noSample).failures.join('\n'),
      /notification badge updated after comment: no sample/,
    );
    const informational = file();
    informational.journeys[0]!.steps.pop();
    assert.match(judgeJourneys('j.json', informational).failures.join('\n'), /no budgeted step was measured/);
  });

  it('fails a budget that disagrees with the SLO (stale or edited file)', () => {
    const doc = file();
    doc.journeys[0]!.steps[1]!.budgetMs = 5_000;
    assert.match(
      judgeJourneys('j.json', doc).failures.join('\n'),
      new RegExp(`says budget 5000, but ${NOTIFY.id} has ${budgetMs(NOTIFY.id)}`),
    );
  });

  it('fails a failed journey with its error, and lists over-budget steps once', () => {
    const failed = judgeJourneys(
      'j.json',
      file({ status: 'failed', error: "Error: alice's notification badge shows 1: not seen within 5000 ms\n  at ..." }),
    );
    assert.deepEqual(failed.failures, [
      "notification @smoke: failed: Error: alice's notification badge shows 1: not seen within 5000 ms",
    ]);
    const over = budgetMs(NOTIFY.id) + 1;
    const doc = file({ status: 'failed', error: `Error: 1 step(s) over their SLO budget: ...` });
    doc.journeys[0]!.steps[1]!.samples = [over];
    assert.equal(judgeJourneys('j.json', doc).failures.length, 1);
  });

  it('fails closed on no journeys, a missing file and an invalid one', async () => {
    assert.match(judgeJourneys('j.json', { ...file(), journeys: [] }).failures[0]!, /no journeys ran/);
    const dir = await mkdtemp(join(tmpdir(), 'stressgate-journeys-'));
    try {
      const missing = await readJourneys(join(dir, 'journeys.json'));
      assert.equal(missing.pass, false);
      assert.match(missing.failures[0]!, /journeys\.json is missing/);
      await writeFile(
        join(dir, 'bad.json'),
        JSON.stringify({ ...file(), journeys: [{ ...file().journeys[0], status: 'green' }] }),
      );
      const bad = await readJourneys(join(dir, 'bad.json'));
      assert.equal(bad.pass, false);
      assert.match(bad.failures[0]!, /bad\.json: journeys\.0\.status: /);
      await writeFile(join(dir, 'junk.json'), '{');
      assert.match((await readJourneys(join(dir, 'junk.json'))).failures[0]!, /junk\.json: not valid JSON/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('journeys in the gate verdict', () => {
  let profile: Awaited<ReturnType<typeof loadProfile>>;
  before(async () => (profile = await loadProfile(join(ROOT, 'load/profiles/smoke.json'))));
  const withJourneys = (v: ReturnType<typeof verdictOf>, f: JourneysFile) =>
    withSection(v, 'journeys', journeysEvidence(judgeJourneys('j.json', f)));

  it('a failing journey fails a passing load verdict; passing journeys keep it PASS', () => {
    const load = verdictOf(profile);
    assert.equal(load.verdict, 'PASS');
    assert.equal(withJourneys(load, file()).verdict, 'PASS');
    const failed = withJourneys(load, file({ status: 'failed', error: 'boom' }));
    assert.equal(failed.verdict, 'FAIL');
    assert.ok(
      failed.failures.some((f) => f.source === 'journeys' && /boom/.test(f.reason)),
      JSON.stringify(failed.failures),
    );
    const md = verdictMarkdown(failed);
    assert.match(md, /## Browser journeys \(`journeys`\): FAIL/);
    assert.match(
      md,
      new RegExp(
        re(
          `| notification @smoke | notification badge updated after comment | ${WITHIN} ms | < ${millis(NOTIFY)} ms (${NOTIFY.id}) | PASS |`,
        ),
      ),
    );
    assert.match(md, /- notification @smoke: failed: boom/);
  });

  it('passing journeys never turn a failed load verdict into PASS', () => {
    const summary = healthySummary();
    const load = verdictOf(profile, {
      summary: { metrics: { ...summary.metrics, chat_delivery: { 'p(95)': millis(CHAT) * 1.8, count: 224 } } },
    });
    assert.equal(load.verdict, 'FAIL');
    assert.equal(withJourneys(load, file()).verdict, 'FAIL');
  });

  it('start once every scenario ramped up, and know the planned length', () => {
    assert.equal(rampedUpMs(profile), 3_000);
    assert.equal(plannedMs(profile), 20_000);
  });

  it('render as Markdown with the report link and traces', () => {
    const md = journeysMarkdown(
      judgeJourneys('out/journeys.json', file({ status: 'failed', error: 'x', traces: ['test-results/n/trace.zip'] })),
    );
    assert.match(md, /Playwright report: `out\/report\/index\.html`/);
    assert.match(md, /Traces for notification: `out\/test-results\/n\/trace\.zip`/);
  });
});
