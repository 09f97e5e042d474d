// The recorded runs a backtest replays: every directory under the runs dir (artifacts/runs/ by
// default, src/gate/run-archive.ts) with its run.json and metrics file. A run.json that does not
// parse, or a missing metrics file, is an error naming the file: a run silently skipped could hide
// the one run that proves a gate got weaker. A directory without run.json was judged without
// Prometheus (nothing recorded) and is listed as such. verdict.json beside it (the gate archives it
// for baselines) is the authority on which gate alerts failed the run, when present.
import { access, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { listRunDirs } from '../gate/run-archive.js';
import { parseRunRecord, type RunRecord } from '../gate/recording/run-file.js';
import { parseVerdict } from '../gate/verdict/schema.js';
import { UsageError } from '../usage-error.js';

export interface RecordedRun {
  /** The directory's name: `<ISO start with dashes>-<profile>`. */
  readonly id: string;
  readonly dir: string;
  readonly record: RunRecord;
  readonly metricsPath: string;
  readonly verdict: RunRecord['verdict'];
  /** Gate alerts that failed the run, from verdict.json when present, else run.json. */
  readonly failingGateAlerts: readonly string[];
  /** Sources other than gate alerts that failed it (the run fails on those whatever the rules). */
  readonly otherFailures: readonly string[];
}

const exists = (p: string) =>
  access(p).then(
    () => true,
    () => false,
  );

/** The run recorded in `dir`, or null when it has no run.json (judged without Prometheus: nothing recorded). */
export async function readRun(dir: string): Promise<RecordedRun | null> {
  const file = join(dir, 'run.json');
  if (!(await exists(file))) return null;
  const text = await readFile(file, 'utf8');
  let record: RunRecord;
  try {
    record = parseRunRecord(text, file);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const metricsPath = join(dir, record.recorded.metricsFile);
  if (!(await exists(metricsPath)))
    throw new UsageError(`${file}: field "recorded.metricsFile": ${metricsPath} does not exist`);
  let verdict = record.verdict;
  let failures = record.failingGateAlerts;
  let others = record.failedSources.filter((s) => s !== 'gate-alert');
  const verdictFile = join(dir, 'verdict.json');
  if (await exists(verdictFile)) {
    let v;
    try {
      v = parseVerdict(JSON.parse(await readFile(verdictFile, 'utf8')), verdictFile);
    } catch (err) {
      const m = (err as Error).message;
      throw new UsageError(m.startsWith(verdictFile) ? m : `${verdictFile}: not valid JSON: ${m}`);
    }
    verdict = v.verdict;
    failures = [...new Set(v.failures.filter((f) => f.source === 'gate-alert').map((f) => f.subject))].sort();
    others = [...new Set(v.failures.filter((f) => f.source !== 'gate-alert').map((f) => f.source))].sort();
  }
  return {
    id: basename(dir),
    dir,
    record,
    metricsPath,
    verdict,
    failingGateAlerts: failures,
    otherFailures: others,
  };
}

/** Every recorded run under `runsDir`, oldest first, and the directories without a recording. */
export async function readRuns(runsDir: string): Promise<{ runs: RecordedRun[]; unrecorded: string[] }> {
  const runs: RecordedRun[] = [];
  const unrecorded: string[] = [];
  let dirs: string[];
  try {
    dirs = await listRunDirs(runsDir);
  } catch (err) {
    throw new UsageError(
      `--runs ${runsDir}: ${(err as NodeJS.ErrnoException).code === 'ENOTDIR' ? 'not a directory' : (err as Error).message}`,
    );
  }
  for (const dir of dirs) {
    const run = await readRun(dir);
    if (run) runs.push(run);
    else unrecorded.push(basename(dir));
  }
  return { runs, unrecorded };
}
