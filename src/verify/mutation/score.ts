// The mutation pass itself: plan the mutants, run them through promtool in two rounds, score them.
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CACHE_DIR } from '../typecheck.js';
import { loadModel } from './model.js';
import { killOrder, planBaselines, planJobs, planMutants, signature, type Mutant } from './plan.js';
import { runJobs } from './run.js';

export const TESTS_DIR = 'infra/prometheus/tests';

export interface Survivor {
  readonly file: string;
  readonly rule: string;
  readonly kind: 'alert' | 'recording rule';
  readonly constant: string;
  readonly change: string;
  /** Whether any test group looks at the rule at all. */
  readonly tested: boolean;
}

export interface MutationResult {
  readonly total: number;
  readonly killed: number;
  readonly survivors: readonly Survivor[];
  /** Alerts whose cut-down test suite failed unmutated (a harness fault: their mutants are not scored). */
  readonly brokenBaselines: readonly string[];
  readonly ms: number;
}

const describe = (m: Mutant): Survivor => ({
  file: m.rule.file,
  rule: m.rule.name,
  kind: m.rule.doc.alert !== undefined ? 'alert' : 'recording rule',
  constant: m.where,
  change: m.mutation.change,
  tested: m.groups.length > 0,
});

const KILLS = join(CACHE_DIR, 'mutation-kills.json');

/**
 * Two rounds of promtool: each mutant against the one group most likely to kill it (with the
 * baselines), then the survivors against all their other groups. Most mutants die in the first.
 */
export async function mutationScore(root: string): Promise<MutationResult> {
  const t0 = performance.now();
  const testFiles = (await readdir(join(root, TESTS_DIR)).catch(() => [] as string[])).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => `${TESTS_DIR}/${f}`);
  const model = await loadModel(root, testFiles);
  const mutants = planMutants(model);
  const learned = JSON.parse(await readFile(KILLS, 'utf8').catch(() => '{}')) as Record<string, string>;
  const order = new Map(mutants.map((m) => [m.id, killOrder(m, learned[signature(m)])]));
  const baselines = planBaselines(model);
  const first = planJobs(model, mutants, (m) => order.get(m.id)!.slice(0, 1), 'a');
  const round1 = await runJobs([...baselines, ...first]);
  const killedBy = new Map<number, string>();
  for (const j of first) if (round1.get(j.dir) === 'failed') killedBy.set((j.subject as { mutant: number }).mutant, String(order.get((j.subject as { mutant: number }).mutant)![0]!.doc.name));
  const rest = planJobs(model, mutants.filter((m) => !killedBy.has(m.id)), (m) => order.get(m.id)!.slice(1), 'b');
  const round2 = await runJobs(rest);
  for (const j of rest) if (round2.get(j.dir) === 'failed') killedBy.set((j.subject as { mutant: number }).mutant, '');
  const broken = new Set(baselines.filter((j) => round1.get(j.dir) !== 'passed').map((j) => (j.subject as { baseline: string }).baseline));
  // Remember the first-round killers; a second-round kill is remembered as "not the first group".
  const kills = Object.fromEntries(mutants.filter((m) => killedBy.get(m.id)).map((m) => [signature(m), killedBy.get(m.id)!]));
  await mkdir(CACHE_DIR, { recursive: true });
  await writeFile(KILLS, JSON.stringify({ ...learned, ...kills }));
  // Mutants of an alert whose baseline is broken cannot be judged: leave them out of the score.
  const scored = mutants.filter((m) => !m.groups.some((g) => [...g.names].some((n) => broken.has(n))));
  return {
    total: scored.length,
    killed: scored.filter((m) => killedBy.has(m.id)).length,
    survivors: scored.filter((m) => !killedBy.has(m.id)).map(describe),
    brokenBaselines: [...broken].sort(),
    ms: Math.round(performance.now() - t0),
  };
}

