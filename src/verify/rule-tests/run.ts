// Runs promtool over many jobs at once: every job's files go into one temporary workspace, the jobs
// are split into as many `promtool test rules a/test.yml b/test.yml ...` calls as there are CPUs
// (balanced by cost), and each file's verdict is read from promtool's per-file output. A job judged
// before on byte-identical files by the same promtool is not run again (results.ts).
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Job } from './jobs.js';
import { jobKey, type JobResults } from './results.js';

export type Outcome = 'passed' | 'failed' | 'not run';

export class PromtoolMissing extends Error {}

/** Splits jobs into `n` lists of about equal cost (longest first, each to the lightest list). */
export function balance<T extends { cost: number }>(jobs: readonly T[], n: number): T[][] {
  const lists = Array.from({ length: Math.max(1, n) }, () => ({ cost: 0, jobs: [] as T[] }));
  for (const j of [...jobs].sort((a, b) => b.cost - a.cost)) {
    const lightest = lists.reduce((a, b) => (b.cost < a.cost ? b : a));
    lightest.jobs.push(j);
    lightest.cost += j.cost;
  }
  return lists.map((l) => l.jobs).filter((l) => l.length);
}

/** promtool prints `Unit Testing:  <file>` per file, then `  SUCCESS` on stdout when every group passed. */
export function parseOutcomes(stdout: string): Map<string, Outcome> {
  const outcomes = new Map<string, Outcome>();
  const sections = stdout.split(/^Unit Testing:\s+/m).slice(1);
  for (const section of sections) {
    const [file = '', ...rest] = section.split('\n');
    outcomes.set(file.trim(), rest.some((l) => l.trim() === 'SUCCESS') ? 'passed' : 'failed');
  }
  return outcomes;
}

/** `onFile` is told of each file promtool starts on (it prints `Unit Testing:` as it goes): progress. */
function promtool(cwd: string, files: string[], onFile?: () => void): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'promtool',
      ['test', 'rules', ...files],
      { cwd, maxBuffer: 256 << 20 },
      (err, stdout, stderr) => {
        // Exit 1 is expected: a failing test (or a killed mutant) is an outcome, not an error.
        if (err && (err as NodeJS.ErrnoException).code === 'ENOENT')
          reject(new PromtoolMissing('promtool is not installed'));
        else resolve({ stdout, stderr });
      },
    );
    if (onFile)
      child.stdout?.on('data', (chunk: Buffer) =>
        chunk
          .toString()
          .match(/^Unit Testing:/gm)
          ?.forEach(onFile),
      );
  });
}

export interface RunOptions {
  /** Results of earlier runs: a job whose key is there is not run again, and new outcomes are added. */
  readonly results?: JobResults;
  /** promtool's failure report for each failed job (run again alone: a batch's stderr is not per file). */
  readonly explain?: boolean;
  readonly parallel?: number;
  /** Told how many of the jobs are done (reused ones at once, the rest as promtool reaches them). */
  readonly onProgress?: (done: number) => void;
}

export interface RunResult {
  readonly outcomes: Map<string, Outcome>;
  /** By job dir, for failed jobs when `explain` was set. */
  readonly reports: Map<string, string>;
  readonly run: number;
  readonly reused: number;
}

export async function runJobs(jobs: readonly Job[], opts: RunOptions = {}): Promise<RunResult> {
  const outcomes = new Map<string, Outcome>();
  const reports = new Map<string, string>();
  const keys = new Map<string, string>();
  const todo: Job[] = [];
  for (const job of jobs) {
    const key = opts.results ? jobKey(opts.results.promtool, job) : undefined;
    const known = key ? opts.results!.get(key) : undefined;
    if (key) keys.set(job.dir, key);
    // A failure is never taken from the cache: it is run again, to report it afresh.
    if (known === 'passed' || (known === 'failed' && !opts.explain)) outcomes.set(job.dir, known);
    else todo.push(job);
  }
  let done = jobs.length - todo.length;
  opts.onProgress?.(done);
  if (!todo.length) return { outcomes, reports, run: 0, reused: jobs.length };
  const dir = await mkdtemp(join(tmpdir(), 'stressgate-promtool-'));
  try {
    await Promise.all(
      todo.map(async (job) => {
        await mkdir(join(dir, job.dir));
        await Promise.all([...job.files].map(([name, text]) => writeFile(join(dir, job.dir, name), text)));
      }),
    );
    if (process.env.SG_DEBUG) console.error(`runJobs ${todo.length} start ${Math.round(performance.now())}`);
    const outputs = await Promise.all(
      balance(todo, opts.parallel ?? availableParallelism()).map((list) =>
        promtool(
          dir,
          list.map((j) => `${j.dir}/test.yml`),
          opts.onProgress && (() => opts.onProgress!(++done)),
        ),
      ),
    );
    if (process.env.SG_DEBUG) console.error(`runJobs ${todo.length} end ${Math.round(performance.now())}`);
    const found = new Map<string, Outcome>();
    for (const out of outputs)
      for (const [file, v] of parseOutcomes(out.stdout)) found.set(file.replace(/\/test\.yml$/, ''), v);
    for (const job of todo) {
      const outcome = found.get(job.dir) ?? 'not run';
      outcomes.set(job.dir, outcome);
      const key = keys.get(job.dir);
      if (key && outcome !== 'not run') opts.results!.set(key, outcome);
    }
    if (opts.explain) {
      const failed = todo.filter((j) => outcomes.get(j.dir) !== 'passed');
      await Promise.all(
        failed.map(async (j) =>
          reports.set(
            j.dir,
            (({ stdout, stderr }) => `${stdout}${stderr}`.trim())(await promtool(join(dir, j.dir), ['test.yml'])),
          ),
        ),
      );
    }
    return { outcomes, reports, run: todo.length, reused: jobs.length - todo.length };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
