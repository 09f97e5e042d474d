// The baseline comparison on real runs: one local stack (PostgreSQL, Redis, the reference app, a real
// Prometheus scraping it every second), the real k6 smoke profile run four times on the same build: the
// fourth against the first three pooled must not read REGRESSED. Then a run with the reference app's
// latency fault (every /api/* request 300 ms slower) against the same three: REGRESSED on api-latency-p95,
// from the buckets both runs kept in their verdicts. Without k6 the suite is skipped with a message
// (under CI=true a missing k6 fails, as in test/gate/k6-driver/smoke.test.ts).
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { findK6, K6_MISSING, type K6Binary } from '../../../../src/gate/k6-driver/binary.js';
import { runK6 } from '../../../../src/gate/k6-driver/run.js';
import { loadProfile } from '../../../../src/gate/profile-file.js';
import {
  compareToBaseline,
  judgeRun,
  parseVerdict,
  verdictMarkdown,
  withBaseline,
  type Verdict,
} from '../../../../src/gate/verdict/index.js';
import { startLocalStack, type LocalStack } from '../../../../src/live/stack.js';
import { ROOT } from '../../../helpers.js';

const k6 = await findK6(ROOT);
const CI = process.env.CI === 'true';
const skip = k6 || CI ? false : `no k6 found (${K6_MISSING.split('\n')[0]}); set K6_BIN to run the real baseline pair`;
if (!k6 && CI) it('k6 is installed (required under CI=true)', () => assert.fail(K6_MISSING));

describe('baseline on real runs: two k6 smoke runs of one build, then one with a latency fault', { skip }, () => {
  let stack: LocalStack;
  let out: string;
  const runs: Verdict[] = [];
  before(async () => {
    stack = await startLocalStack({ root: ROOT, faults: true });
    out = await mkdtemp(join(tmpdir(), 'stressgate-baseline-'));
  });
  after(async () => {
    await stack?.stop();
    if (out) await rm(out, { recursive: true, force: true });
  });

  const smokeRun = async (): Promise<Verdict> => {
    const profile = await loadProfile(join(ROOT, 'load/profiles/smoke.json'));
    const run = await runK6({
      root: ROOT,
      k6: k6 as K6Binary,
      profile,
      target: new URL(stack.app.base),
      out,
      allowedHosts: [],
      testid: `baseline-${Date.now().toString(36)}`,
      echo: () => {},
    });
    const verdict = await judgeRun({
      profile,
      summary: JSON.parse(await readFile(run.summaryFile, 'utf8')),
      runner: { kind: 'k6', generation: (k6 as K6Binary).generation },
      start: run.start,
      end: run.end,
      prometheus: stack.prometheus.url,
      firstErrors: run.log.iterationErrors,
      runFailures: run.failures,
    });
    return parseVerdict(JSON.parse(JSON.stringify(verdict)));
  };
  const fault = (body: object) =>
    fetch(`${stack.app.base}/internal/faults`, {
      method: body ? 'POST' : 'DELETE',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }).then((r) => assert.equal(r.status, 200));

  it('each run keeps its distributions: the API histogram buckets and the ratio counts, with the SLI series', async () => {
    runs.push(await smokeRun());
    const d = runs[0]!.distributions!;
    const api = d['api-latency-p95']!;
    assert.equal(api.kind, 'histogram');
    if (api.kind !== 'histogram') return;
    assert.equal(api.counts.length, api.le.length + 1);
    const events = runs[0]!.slos.find((s) => s.slo === 'api-latency-p95')!.prometheus!.samples;
    const counted = api.counts.reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(counted - events) <= 0.1 * events, `buckets hold ${counted}, the run ${events} events`);
    const ratio = d['http-5xx-ratio']!;
    assert.ok(ratio.kind === 'ratio' && ratio.total > 0, JSON.stringify(ratio));
    assert.ok((api.series?.points.length ?? 0) >= 5, JSON.stringify(api.series));
  });

  // Three baseline runs, as --baseline latest-pass pools them: their spread is the noise between runs,
  // without which no comparison can tell a busy machine from a slower build (one run gives WORSE at most).
  const pooled = (n = 3) => runs.slice(0, n).map((verdict, i) => ({ verdict, file: `run-${i + 1}/verdict.json` }));

  it('a fourth run of the same build against the first three pooled: no SLO REGRESSED', async () => {
    while (runs.length < 4) runs.push(await smokeRun());
    const section = compareToBaseline(runs[3]!, pooled(), 'fail');
    const v = withBaseline(runs[3]!, section);
    process.stdout.write(
      `# same build:\n${verdictMarkdown(v).split('## Baseline')[1]!.split('##')[0]!.replace(/^/gm, '# ')}\n`,
    );
    assert.equal(section.status, 'compared');
    assert.ok(
      section.slos.every((s) => s.basis === 'distribution' && s.test),
      JSON.stringify(section.slos),
    );
    assert.deepEqual(section.regressed, [], JSON.stringify(section.slos.map((s) => [s.slo, s.outcome, s.reason])));
    assert.notEqual(v.verdict, 'REGRESSED');
  });

  it('a run with every API request 300 ms slower against the four clean runs pooled: api-latency-p95 REGRESSED', async () => {
    await fault({ latencyMs: 300 });
    try {
      runs.push(await smokeRun());
    } finally {
      await fault({ latencyMs: 0 });
    }
    const faulty = runs.at(-1)!;
    // All four clean runs: the more baseline runs, the tighter where one more of the same build would fall.
    const section = compareToBaseline(faulty, pooled(4), 'fail');
    const api = section.slos.find((s) => s.slo === 'api-latency-p95')!;
    process.stdout.write(`# latency fault: ${api.outcome}: ${api.reason}\n`);
    assert.equal(api.outcome, 'REGRESSED', api.reason);
    assert.ok(api.test!.confidence > 0.99 && api.change!.absolute > 0.05, JSON.stringify(api));
    const v = withBaseline(faulty, section);
    // A slower run may also breach the absolute bound (FAIL outranks REGRESSED); never PASS.
    assert.ok(['REGRESSED', 'FAIL'].includes(v.verdict), v.title);
  });
});
