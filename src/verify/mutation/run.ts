// Runs promtool over many jobs at once: every job's files go into one temporary workspace, the jobs
// are split into as many `promtool test rules a/test.yml b/test.yml ...` calls as there are CPUs
// (balanced by cost), and each file's verdict is read from promtool's per-file output.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Job } from './plan.js';

export type Verdict = 'passed' | 'failed' | 'not run';

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
export function parseVerdicts(stdout: string): Map<string, Verdict> {
  const verdicts = new Map<string, Verdict>();
  const sections = stdout.split(/^Unit Testing:\s+/m).slice(1);
  for (const section of sections) {
    const [file = '', ...rest] = section.split('\n');
    verdicts.set(file.trim(), rest.some((l) => l.trim() === 'SUCCESS') ? 'passed' : 'failed');
  }
  return verdicts;
}

function promtool(cwd: string, files: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('promtool', ['test', 'rules', ...files], { cwd, maxBuffer: 256 << 20 }, (err, stdout) => {
      // Exit 1 is expected: killed mutants fail their tests.
      if (err && (err as NodeJS.ErrnoException).code === 'ENOENT') reject(new PromtoolMissing('promtool is not installed'));
      else resolve(stdout);
    });
  });
}

export async function runJobs(jobs: readonly Job[], parallel = availableParallelism()): Promise<Map<string, Verdict>> {
  const dir = await mkdtemp(join(tmpdir(), 'stressgate-mutants-'));
  try {
    await Promise.all(
      jobs.map(async (job) => {
        await mkdir(join(dir, job.dir));
        await Promise.all([...job.files].map(([name, text]) => writeFile(join(dir, job.dir, name), text)));
      }),
    );
    const outputs = await Promise.all(balance(jobs, parallel).map((list) => promtool(dir, list.map((j) => `${j.dir}/test.yml`))));
    const verdicts = new Map<string, Verdict>();
    for (const out of outputs) for (const [file, v] of parseVerdicts(out)) verdicts.set(file.replace(/\/test\.yml$/, ''), v);
    return new Map(jobs.map((j) => [j.dir, verdicts.get(j.dir) ?? 'not run']));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
