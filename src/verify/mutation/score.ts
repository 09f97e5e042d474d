// The mutation pass itself: plan the mutants, reuse the outcome of every mutant whose jobs are
// byte-identical to a judged one, run the rest through promtool in rounds, score them all.
import { ContentStore, digest } from '../content-store.js';
import { groupJob, provablyComplete, type Job } from '../rule-tests/jobs.js';
import { loadModel, type Model, type TestGroup } from '../rule-tests/model.js';
import { jobKey, jobResults, promtoolIdentity } from '../rule-tests/results.js';
import { PromtoolMissing, runJobs } from '../rule-tests/run.js';
import { testFiles } from '../rule-tests/index.js';
import { killOrder, mutantJobs, planMutants, signature, type Mutant } from './plan.js';
import type { ProgressReporter } from './progress.js';

export interface Survivor {
  readonly file: string;
  readonly rule: string;
  readonly kind: 'alert' | 'recording rule';
  readonly constant: string;
  readonly change: string;
  /** Whether any test group looks at the rule at all. */
  readonly tested: boolean;
  /** The test files whose groups look at it: where a stronger case goes. */
  readonly testFiles: readonly string[];
}

export interface MutationResult {
  readonly total: number;
  readonly killed: number;
  readonly survivors: readonly Survivor[];
  /** Alerts whose cut-down test suite failed unmutated (a harness fault: their mutants are not scored). */
  readonly brokenBaselines: readonly string[];
  /** Mutants run through promtool this time, and mutants whose outcome was reused. */
  readonly run: number;
  readonly reused: number;
  readonly ms: number;
}

const describe = (m: Mutant): Survivor => ({
  file: m.rule.file,
  rule: m.rule.name,
  kind: m.rule.doc.alert !== undefined ? 'alert' : 'recording rule',
  constant: m.where,
  change: m.mutation.change,
  tested: m.groups.length > 0,
  testFiles: [...new Set(m.groups.map((g) => g.file))].sort(),
});

/** A mutant's outcome: the name of the group that killed it, or null when every group passed. */
type Stored = string | null;

/** What a mutant's outcome depends on: promtool, and the files of its jobs with every group that can see it. */
const mutantKey = (model: Model, promtool: string, m: Mutant) =>
  digest(promtool, ...mutantJobs(model, m, m.groups, 'k').map((j) => jobKey(promtool, j)));

/** Unmutated cut-down jobs for the tested alerts whose cut-down set cannot be shown complete: they must pass. */
function baselineJobs(model: Model): { job: Job; alert: string }[] {
  const out: { job: Job; alert: string }[] = [];
  for (const test of model.tests) {
    const alerts = new Set(
      test.groups
        .flatMap((g) => [...g.names])
        .filter((n) => model.rules.some((r) => r.name === n && r.doc.alert !== undefined)),
    );
    for (const alert of alerts) {
      const groups = test.groups.filter((g) => g.names.has(alert));
      if (
        !provablyComplete(
          model,
          groups.flatMap((g) => [...g.names]),
        )
      )
        out.push({ job: groupJob(model, `base${out.length}`, test, groups), alert });
    }
  }
  return out;
}

/** The rounds a mutant's groups are tried in: the likeliest killer, the next one, then all the rest at once. */
const ROUNDS: ((groups: readonly TestGroup[]) => readonly TestGroup[])[] = [
  (gs) => gs.slice(0, 1),
  (gs) => gs.slice(1, 2),
  (gs) => gs.slice(2),
];

/** `progress` is shown the mutants judged and each round's promtool jobs as they go. */
export async function mutationScore(root: string, progress?: ProgressReporter): Promise<MutationResult> {
  const t0 = performance.now();
  const promtool = promtoolIdentity();
  if (!promtool) throw new PromtoolMissing('promtool is not installed');
  const model = await loadModel(root, await testFiles(root));
  const mutants = planMutants(model);
  const outcomes = new ContentStore<Stored>('mutants');
  const killers = new ContentStore<string>('mutant-killers');
  const keys = new Map(mutants.map((m) => [m.id, mutantKey(model, promtool, m)]));
  const killedBy = new Map<number, Stored>();
  for (const m of mutants) {
    const known = outcomes.get(keys.get(m.id)!);
    if (known !== undefined) killedBy.set(m.id, known);
  }
  const reused = killedBy.size;
  const pending = mutants.filter((m) => !killedBy.has(m.id));
  const order = new Map(pending.map((m) => [m.id, killOrder(m, killers.get(signature(m)))]));
  const baselines = pending.length ? baselineJobs(model) : [];
  const baseResults = jobResults(promtool);
  let broken = new Set<string>();
  for (const [i, pick] of ROUNDS.entries()) {
    const alive = pending.filter((m) => !killedBy.has(m.id));
    // One job per group, so that the calls balance across the cores even when few mutants are left.
    const jobs = alive.flatMap((m) =>
      pick(order.get(m.id)!).flatMap((g, gi) =>
        mutantJobs(model, m, [g], `r${i}g${gi}-`).map((job) => ({ job, m, by: String(g.doc.name) })),
      ),
    );
    const batch = [...(i === 0 ? baselines.map((b) => b.job) : []), ...jobs.map((j) => j.job)];
    const show = (jobsDone: number) =>
      progress?.update({
        judged: killedBy.size,
        total: mutants.length,
        round: i + 1,
        rounds: ROUNDS.length,
        jobsDone,
        jobs: batch.length,
      });
    const r = await runJobs(batch, { ...(i === 0 ? { results: baseResults } : {}), onProgress: show });
    if (process.env.SG_DEBUG)
      console.error(`round ${i}: ${jobs.length} jobs, ${Math.round(performance.now() - t0)} ms`);
    if (i === 0) broken = new Set(baselines.filter((b) => r.outcomes.get(b.job.dir) !== 'passed').map((b) => b.alert));
    for (const { job, m, by } of jobs)
      if (r.outcomes.get(job.dir) === 'failed' && !killedBy.has(m.id)) killedBy.set(m.id, by);
  }
  // Mutants of an alert whose baseline is broken cannot be judged: left out of the score, and not stored.
  const scored = mutants.filter((m) => !m.groups.some((g) => [...g.names].some((n) => broken.has(n))));
  for (const m of pending) {
    if (!scored.includes(m)) continue;
    const by = killedBy.get(m.id) ?? null;
    outcomes.set(keys.get(m.id)!, by);
    if (by) killers.set(signature(m), by);
  }
  await Promise.all([outcomes.save(), killers.save(), baseResults.save()]);
  return {
    total: scored.length,
    killed: scored.filter((m) => killedBy.get(m.id) != null).length,
    survivors: scored.filter((m) => killedBy.get(m.id) == null).map(describe),
    brokenBaselines: [...broken].sort(),
    run: pending.length,
    reused,
    ms: Math.round(performance.now() - t0),
  };
}
