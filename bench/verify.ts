// Verify's wall time against its floor, measured side by side in one run: the machine is shared and
// noisy, so each round runs the floor, a fresh-clone verify (no caches) and a warm verify back to
// back, and the ratios are taken per round. The floor is what verify cannot avoid: one tsx start and
// the three promtool calls (check config, check rules, test rules), run as verify runs them
// (concurrently). A third verify per round keeps only the mutation score cached, to show what the
// mutation pass adds to a fresh run; the pass is also timed alone, with nothing cached or learned.
import { execFile } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { CACHE_DIR } from '../src/verify/typecheck.js';
import { scoreLine } from '../src/verify/mutation/index.js';
import { mutationScore } from '../src/verify/mutation/score.js';
import { PROMETHEUS_CONFIG } from '../src/synth/prometheus-config.js';
import { RULE_FILES } from '../src/synth/prometheus-rules.js';

const ROOT = resolve(import.meta.dirname, '..');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const run = promisify(execFile);

async function wall(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

const tsx = (args: string[]) => run(process.execPath, ['--import', 'tsx', resolve(ROOT, 'src/cli.ts'), ...args], { cwd: ROOT, maxBuffer: 64 << 20 });
const promtool = (args: string[]) => run('promtool', args, { cwd: ROOT, maxBuffer: 64 << 20 });

const floor = () =>
  wall(async () => {
    await tsx(['help']);
    await Promise.all([
      promtool(['check', 'config', PROMETHEUS_CONFIG]),
      promtool(['check', 'rules', '--lint=all', '--lint-fatal', RULE_FILES.recording, RULE_FILES.alerts]),
      promtool(['test', 'rules', RULE_FILES.tests, RULE_FILES.scenarios]),
    ]);
  });
/** A fresh clone: no type-check stamp or tsbuildinfo, no step results, no mutation score, nothing learned. */
const fresh = () => wall(async () => (await rm(CACHE_DIR, { recursive: true, force: true }), await tsx(['verify'])));
/** The same, but with the mutation score still cached: what the mutation pass adds to a fresh run. */
const MUTATION_CACHE = ['mutation.json', 'mutation-kills.json'];
const freshButMutation = () =>
  wall(async () => {
    const keep = await Promise.all(MUTATION_CACHE.map((f) => readFile(join(CACHE_DIR, f)).catch(() => undefined)));
    await rm(CACHE_DIR, { recursive: true, force: true });
    await mkdir(CACHE_DIR, { recursive: true });
    await Promise.all(MUTATION_CACHE.map((f, i) => (keep[i] ? writeFile(join(CACHE_DIR, f), keep[i]!) : undefined)));
    await tsx(['verify']);
  });
const warm = () => wall(() => tsx(['verify']));

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (x: number) => `${x.toFixed(0).padStart(5)} ms`;

await warm(); // a first run so that the OS caches are as warm for every round
const rows: { floor: number; fresh: number; freshMut: number; warm: number }[] = [];
for (let i = 0; i < ROUNDS; i++) {
  const f1 = await floor();
  const fr = await fresh();
  const f2 = await floor();
  const fm = await freshButMutation();
  const f3 = await floor();
  const wa = await warm();
  rows.push({ floor: (f1 + f2 + f3) / 3, fresh: fr, freshMut: fm, warm: wa });
}
const rFresh = median(rows.map((r) => r.fresh / r.floor));
const rFreshMut = median(rows.map((r) => r.freshMut / r.floor));
const rWarm = median(rows.map((r) => r.warm / r.floor));
await rm(CACHE_DIR, { recursive: true, force: true });
const mutation = await mutationScore(ROOT);

console.log(`stressgate verify benchmark (${ROUNDS} rounds, each: floor, fresh verify, floor, fresh verify with the mutation score kept, floor, warm verify; ratios per round, median)`);
console.log(`floor (tsx start + 3 promtool calls) ${ms(median(rows.map((r) => r.floor)))}`);
console.log(`fresh-clone verify (no caches)       ${ms(median(rows.map((r) => r.fresh)))}  = ${rFresh.toFixed(2)}x floor   (goal <= 5000 ms: ${median(rows.map((r) => r.fresh)) <= 5000 ? 'met' : 'MISSED'})`);
console.log(`  of which the mutation pass: fresh with its score cached ${ms(median(rows.map((r) => r.freshMut)))}  = ${rFreshMut.toFixed(2)}x floor`);
console.log(`warm verify                          ${ms(median(rows.map((r) => r.warm)))}  = ${rWarm.toFixed(2)}x floor   (goal <= 1.30x: ${rWarm <= 1.3 ? 'met' : 'MISSED'})`);
console.log(`mutation pass, cold (in-process)     ${ms(mutation.ms)}  ${scoreLine(mutation)}`);
