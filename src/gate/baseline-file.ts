// `--baseline FILE[,FILE…]|latest-pass`: the previous runs a verdict is compared with. Files are
// checked before the load runs (schema, profile, a passing release verdict), so a wrong one costs no
// run and exits 2 naming the file and field. `latest-pass` takes the newest PASS release verdicts of
// the same profile kept under artifacts/runs/ (./run-archive.ts), up to BASELINE_RUNS: their spread is
// the noise between runs. None found is said in the verdict, never skipped.
import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { UsageError } from '../usage-error.js';
import { listRuns, RUNS_DIR } from './run-archive.js';
import { NO_BASELINE } from './verdict/baseline/schema.js';
import { parseVerdict, type Verdict } from './verdict/schema.js';

export interface ResolvedBaseline {
  /** The newest baseline run, and every one, newest first (empty: none). */
  readonly verdict: Verdict | null;
  readonly file: string | null;
  readonly runs: readonly { readonly verdict: Verdict; readonly file: string }[];
  /** Why there is none, when there is none. */
  readonly note: string;
}

/** Passing runs `latest-pass` pools: enough for their spread to mean something, recent enough to matter. */
export const BASELINE_RUNS = 5;

const found = (runs: ResolvedBaseline['runs']): ResolvedBaseline => ({
  verdict: runs[0]!.verdict,
  file: runs[0]!.file,
  runs,
  note: '',
});

const isBaseline = (v: Verdict) => v.verdict === 'PASS' && v.release;

async function readBaselineFile(file: string): Promise<Verdict> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new UsageError(
      `--baseline ${file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`--baseline ${file}: not valid JSON (${(err as Error).message})`);
  }
  try {
    return parseVerdict(data, file);
  } catch (err) {
    throw new UsageError(`--baseline ${(err as Error).message}`);
  }
}

export async function resolveBaseline(spec: string, artifacts: string, profile: string): Promise<ResolvedBaseline> {
  if (!spec) return { verdict: null, file: null, runs: [], note: `${NO_BASELINE} (no --baseline given)` };
  if (spec === 'latest-pass') {
    let skipped = 0;
    const runs: { verdict: Verdict; file: string }[] = [];
    for (const run of await listRuns(artifacts)) {
      if (run.profile !== profile || runs.length >= BASELINE_RUNS) continue;
      const file = join(run.dir, 'verdict.json');
      const v = await readFile(file, 'utf8')
        .then((t) => parseVerdict(JSON.parse(t), file))
        .catch(() => null);
      if (!v) skipped++;
      else if (v.profile === profile && isBaseline(v)) runs.push({ verdict: v, file });
    }
    if (runs.length) return found(runs);
    const where = relative(process.cwd(), join(artifacts, RUNS_DIR)) || join(artifacts, RUNS_DIR);
    return {
      verdict: null,
      file: null,
      runs: [],
      note: `${NO_BASELINE} (latest-pass: no PASS release verdict of profile ${profile} in ${where}${skipped ? `; ${skipped} unreadable verdict(s) skipped` : ''})`,
    };
  }
  const runs: { verdict: Verdict; file: string }[] = [];
  for (const file of spec.split(',').filter(Boolean)) {
    const v = await readBaselineFile(file);
    if (v.profile !== profile)
      throw new UsageError(
        `--baseline ${file}: field "profile": the baseline ran profile "${v.profile}", this run "${profile}": not comparable`,
      );
    if (!isBaseline(v))
      throw new UsageError(
        `--baseline ${file}: field "verdict": ${v.verdict}${v.release ? '' : ' (release: false)'}: a baseline must be a passing release verdict`,
      );
    runs.push({ verdict: v, file });
  }
  return found(runs);
}
