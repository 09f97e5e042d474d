// The false-regression rate of the baseline comparison: N real k6 smoke runs of one build against one
// local stack (after a warm-up run that is not counted: a cold app and empty database are a different
// build's worth of slower), each run compared with every other as its baseline (ordered pairs, so both
// directions of every difference are tested), SLO by SLO. Prints the outcomes and the rate:
//   npx tsx bench/baseline-noise.ts [N=6]   (BENCH_WARMUP=0 counts the cold first run too)
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findK6, K6_MISSING } from '../src/gate/k6-driver/binary.js';
import { runK6 } from '../src/gate/k6-driver/run.js';
import { loadProfile } from '../src/gate/profile-file.js';
import { compareToBaseline, judgeRun, type Verdict } from '../src/gate/verdict/index.js';
import { startLocalStack } from '../src/live/stack.js';

const ROOT = join(import.meta.dirname, '..');
const N = Number(process.argv[2] ?? 6);
const WARMUP = process.env.BENCH_WARMUP !== '0';
const k6 = await findK6(ROOT);
if (!k6) {
  console.error(K6_MISSING);
  process.exit(2);
}
const stack = await startLocalStack({ root: ROOT });
const out = await mkdtemp(join(tmpdir(), 'stressgate-baseline-bench-'));
const profile = await loadProfile(join(ROOT, 'load/profiles/smoke.json'));

async function smokeRun(): Promise<Verdict> {
  const run = await runK6({
    root: ROOT,
    k6: k6!,
    profile,
    target: new URL(stack.app.base),
    out,
    allowedHosts: [],
    testid: `bench-${Date.now().toString(36)}`,
    echo: () => {},
  });
  return judgeRun({
    profile,
    summary: JSON.parse(await readFile(run.summaryFile, 'utf8')),
    runner: { kind: 'k6', generation: k6!.generation },
    start: run.start,
    end: run.end,
    prometheus: stack.prometheus.url,
    firstErrors: run.log.iterationErrors,
    runFailures: run.failures,
  });
}

const ms = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${(v * 1000).toFixed(1)}ms`);
try {
  const runs: Verdict[] = [];
  for (let i = 0; i < N + (WARMUP ? 1 : 0); i++) {
    const v = await smokeRun();
    const api = v.slos.find((s) => s.slo === 'api-latency-p95')?.prometheus?.value;
    console.log(`run ${i}${WARMUP && i === 0 ? ' (warm-up, not counted)' : ''}: ${v.verdict}, API p95 ${ms(api)}`);
    if (!(WARMUP && i === 0)) runs.push(v);
  }
  const tally: Record<string, Record<string, number>> = {};
  let comparisons = 0;
  let regressedPairs = 0;
  for (let c = 0; c < runs.length; c++)
    for (let b = 0; b < runs.length; b++) {
      if (b === c) continue;
      const section = compareToBaseline(runs[c]!, { verdict: runs[b]!, file: `run ${b}` }, 'fail');
      for (const s of section.slos) {
        (tally[s.slo] ??= {})[s.outcome] = (tally[s.slo]![s.outcome] ?? 0) + 1;
        comparisons++;
        if (s.outcome === 'REGRESSED') console.log(`  REGRESSED run ${c} vs ${b}: ${s.slo}: ${s.reason}`);
      }
      if (section.regressed.length) regressedPairs++;
    }
  const pairs = runs.length * (runs.length - 1);
  const regressed = Object.values(tally).reduce((n, t) => n + (t.REGRESSED ?? 0), 0);
  for (const [slo, t] of Object.entries(tally)) console.log(`${slo}: ${JSON.stringify(t)}`);
  console.log(
    `false regressions: ${regressed} of ${comparisons} SLO comparisons (${((100 * regressed) / comparisons).toFixed(1)}%), ` +
      `${regressedPairs} of ${pairs} ordered run pairs with any REGRESSED (${((100 * regressedPairs) / pairs).toFixed(1)}%), ${runs.length} runs`,
  );
} finally {
  await stack.stop();
  await rm(out, { recursive: true, force: true });
}
