// Where each gate run is archived: artifacts/runs/<ISO start with dashes>-<profile>/. The recorder
// (./recording/) writes metrics.om[.gz] and run.json there, the verdict its verdict.json; the
// backtest and the baselines read them back. One naming, so every reader finds every writer's files.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

export const RUNS_DIR = 'runs';

/** `2026-12-07T01:52:18.123Z` → `2026-12-07T01-52-18-123Z`: sortable, and a valid file name everywhere. */
export const runId = (start: Date, profile: string): string =>
  `${start.toISOString().replace(/[:.]/g, '-')}-${profile}`;

/** The archive directory of the run that started at `start` with `profile`, under the artifacts dir. */
export function runDir(artifacts: string, start: Date, profile: string): string {
  return join(artifacts, RUNS_DIR, runId(start, profile));
}

/** Run directories directly under `runsDir`, oldest first (their names sort by start time). */
export async function listRunDirs(runsDir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(runsDir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const dirs: string[] = [];
  for (const name of names.filter((n) => !n.startsWith('.')).sort()) {
    if ((await stat(join(runsDir, name))).isDirectory()) dirs.push(join(runsDir, name));
  }
  return dirs;
}

/** Archived runs under the artifacts dir (`<artifacts>/runs/*`), oldest first. */
export function listRuns(artifacts: string): Promise<string[]> {
  return listRunDirs(join(artifacts, RUNS_DIR));
}
