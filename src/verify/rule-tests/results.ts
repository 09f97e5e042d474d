// promtool outcomes by job content. A job's outcome is a function of its files and of promtool, so the
// key is the digest of both; the promtool binary is identified by its path, size and modification time
// (a different version is a different file).
import { realpathSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { ContentStore, digest } from '../content-store.js';
import type { Job } from './jobs.js';

export type StoredOutcome = 'passed' | 'failed';

/** The promtool on PATH, as `realpath:size:mtime`; undefined when there is none. */
export function promtoolIdentity(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    try {
      const path = realpathSync(join(dir, 'promtool'));
      const s = statSync(path);
      if (s.isFile()) return `${path}:${s.size}:${s.mtimeMs}`;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

export interface JobResults {
  readonly promtool: string;
  get(key: string): StoredOutcome | undefined;
  set(key: string, outcome: StoredOutcome): void;
  save(): Promise<void>;
}

/** The outcomes store for the promtool on PATH. */
export function jobResults(promtool: string, store = new ContentStore<StoredOutcome>('promtool-jobs')): JobResults {
  return { promtool, get: (k) => store.get(k), set: (k, v) => store.set(k, v), save: () => store.save() };
}

/** The digest of everything a job's outcome depends on. The workspace directory name is not part of it. */
export function jobKey(promtool: string, job: Job): string {
  const names = [...job.files.keys()].sort();
  return digest(promtool, ...names.flatMap((n) => [n, job.files.get(n)!]));
}
