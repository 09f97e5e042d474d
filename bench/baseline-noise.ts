// The false-regression rate of the baseline comparison: N real k6 smoke runs of one build against one
// local stack (after a warm-up run that is not counted: a cold app and empty database are a different
// build's worth of slower), each run compared with every other as its one baseline (ordered pairs, so
// both directions of every difference are tested), and with up to five others pooled (what
// `--baseline latest-pass` does), SLO by SLO. Prints the outcomes and both rates:
//   npx tsx bench/baseline-noise.ts [N=6]   (BENCH_WARMUP=0 counts the cold first run too;
//   BENCH_KEEP=DIR keeps each run's verdict there, to compare them again offline)
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
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
    const label = WARMUP ? (i === 0 ? 'warm-up (not counted)' : `run ${i - 1}`) : `run ${i}`;
    console.log(`${label}: ${v.verdict}, API p95 ${ms(api)}`);
    if (!(WARMUP && i === 0)) runs.push(v);
    if (process.env.BENCH_KEEP) {
      await mkdir(process.env.BENCH_KEEP, { recursive: true });
      await writeFile(join(process.env.BENCH_KEEP, `run-${i}.json`), JSON.stringify(v));
    }
  }
  // One baseline run: every ordered pair. Several (what latest-pass pools): each run against the others.
  const tally: Record<string, Record<string, number>> = {};
  let comparisons = 0;
  let regressed = 0;
  let regressedPairs = 0;
  for (let c = 0; c < runs.length; c++)
    for (let b = 0; b < runs.length; b++) {
      if (b === c) continue;
      const section = compareToBaseline(runs[c]!, { verdict: runs[b]!, file: `run ${b}` }, 'fail');
      for (const s of section.slos) {
        (tally[s.slo] ??= {})[s.outcome] = (tally[s.slo]![s.outcome] ?? 0) + 1;
        comparisons++;
        if (s.outcome === 'REGRESSED')
          (regressed++, console.log(`  REGRESSED run ${c} vs ${b}: ${s.slo}: ${s.reason}`));
      }
      if (section.regressed.length) regressedPairs++;
    }
  for (const [slo, t] of Object.entries(tally)) console.log(`${slo}: ${JSON.stringify(t)}`);
  const pairs = runs.length * (runs.length - 1);
  const pct = (a: number, b: number) => `${((100 * a) / b).toFixed(1)}%`;
  console.log(
    `one baseline run: ${regressed} false regressions in ${comparisons} SLO comparisons (${pct(regressed, comparisons)}), ` +
      `${regressedPairs} of ${pairs} ordered run pairs with any REGRESSED (${pct(regressedPairs, pairs)})`,
  );
  const k = Math.min(5, runs.length - 1);
  let pooled = 0;
  let pooledRuns = 0;
  for (let c = 0; c < runs.length; c++) {
    const others = runs.filter((_, i) => i !== c).slice(0, k);
    const section = compareToBaseline(
      runs[c]!,
      others.map((verdict, i) => ({ verdict, file: `run ${i}` })),
      'fail',
    );
    pooled += section.regressed.length;
    if (section.regressed.length) pooledRuns++;
    for (const s of section.slos.filter((x) => x.outcome === 'REGRESSED'))
      console.log(`  REGRESSED run ${c} vs ${k} others: ${s.slo}: ${s.reason}`);
  }
  console.log(
    `${k} baseline runs pooled: ${pooled} false regressions in ${runs.length * runs[0]!.slos.length} SLO comparisons (${pct(pooled, runs.length * runs[0]!.slos.length)}), ` +
      `${pooledRuns} of ${runs.length} runs with any REGRESSED (${pct(pooledRuns, runs.length)}); ${runs.length} runs`,
  );
} finally {
  await stack.stop();
  await rm(out, { recursive: true, force: true });
}
