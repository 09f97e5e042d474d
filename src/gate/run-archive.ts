// Every gate run is kept as artifacts/runs/<start, ISO with dashes>-<profile>/ (verdict.json here;
// the backtest writes metrics.om and run.json beside it), so `--baseline latest-pass` can find the
// newest passing run of a profile, and CI can keep one as the next run's baseline. One naming, here.
import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const RUNS_DIR = 'runs';

/** `2026-12-07T02-10-00Z-smoke`: sortable, a valid file name everywhere (no colons). */
export function runDirName(start: Date, profile: string): string {
  return `${start
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/:/g, '-')}-${profile}`;
}

export const runDir = (artifacts: string, start: Date, profile: string): string =>
  join(artifacts, RUNS_DIR, runDirName(start, profile));

export interface ArchivedRun {
  readonly dir: string;
  readonly name: string;
  readonly start: Date;
  readonly profile: string;
}

const NAME = /^(\d{4}-\d{2}-\d{2}T\d{2})-(\d{2})-(\d{2})Z-([a-z][a-z0-9-]*)$/;

/** The runs kept under artifacts/runs/, newest first; names that are not runs are left out. */
export async function listRuns(artifacts: string): Promise<ArchivedRun[]> {
  const root = join(artifacts, RUNS_DIR);
  if (!existsSync(root)) return [];
  const runs: ArchivedRun[] = [];
  for (const entry of await readdir(root, { withFileTypes: true })) {
    const m = entry.isDirectory() ? NAME.exec(entry.name) : null;
    if (!m) continue;
    const start = new Date(`${m[1]}:${m[2]}:${m[3]}Z`);
    if (!Number.isNaN(start.getTime()))
      runs.push({ dir: join(root, entry.name), name: entry.name, start, profile: m[4]! });
  }
  return runs.sort((a, b) => b.start.getTime() - a.start.getTime() || b.name.localeCompare(a.name));
}

/**
 * Every run directory directly under `runsDir` (a copied-in artifact's `runs/`, whatever its names),
 * oldest first: names sort by start time. The backtest reads these; a bad run.json is its error.
 */
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

/** Writes `file` in the run's directory atomically (aside, then renamed); returns its path. */
export async function archiveFile(
  artifacts: string,
  start: Date,
  profile: string,
  file: string,
  body: string,
): Promise<string> {
  const dir = runDir(artifacts, start, profile);
  await mkdir(dir, { recursive: true });
  const path = join(dir, file);
  await writeFile(`${path}.tmp-${process.pid}`, body);
  await rename(`${path}.tmp-${process.pid}`, path);
  return path;
}
