// `--baseline FILE|latest-pass`: the previous run a verdict is compared with. A file is checked before
// the load runs (schema, profile, a passing release verdict), so a wrong one costs no run and exits 2
// naming the file and field. `latest-pass` takes the newest PASS release verdict of the same profile
// kept under artifacts/runs/ (./run-archive.ts); none found is said in the verdict, never skipped.
import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { UsageError } from '../usage-error.js';
import { listRuns, RUNS_DIR } from './run-archive.js';
import { NO_BASELINE } from './verdict/baseline/schema.js';
import { parseVerdict, type Verdict } from './verdict/schema.js';

export interface ResolvedBaseline {
  readonly verdict: Verdict | null;
  readonly file: string | null;
  /** Why there is none, when there is none. */
  readonly note: string;
}

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
  if (!spec) return { verdict: null, file: null, note: `${NO_BASELINE} (no --baseline given)` };
  if (spec === 'latest-pass') {
    let skipped = 0;
    for (const run of await listRuns(artifacts)) {
      if (run.profile !== profile) continue;
      const file = join(run.dir, 'verdict.json');
      const v = await readFile(file, 'utf8')
        .then((t) => parseVerdict(JSON.parse(t), file))
        .catch(() => null);
      if (!v) skipped++;
      else if (v.profile === profile && isBaseline(v)) return { verdict: v, file, note: '' };
    }
    const where = relative(process.cwd(), join(artifacts, RUNS_DIR)) || join(artifacts, RUNS_DIR);
    return {
      verdict: null,
      file: null,
      note: `${NO_BASELINE} (latest-pass: no PASS release verdict of profile ${profile} in ${where}${skipped ? `; ${skipped} unreadable verdict(s) skipped` : ''})`,
    };
  }
  const v = await readBaselineFile(spec);
  if (v.profile !== profile)
    throw new UsageError(
      `--baseline ${spec}: field "profile": the baseline ran profile "${v.profile}", this run "${profile}": not comparable`,
    );
  if (!isBaseline(v))
    throw new UsageError(
      `--baseline ${spec}: field "verdict": ${v.verdict}${v.release ? '' : ' (release: false)'}: a baseline must be a passing release verdict`,
    );
  return { verdict: v, file: spec, note: '' };
}
