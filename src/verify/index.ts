// `make observability-verify`: every check in order, one line per step with its time, a summary,
// and a non-zero exit if anything failed.
import type { Construct } from '../constructs/construct.js';
import { errorsOf, findingJson, formatFinding, type FindingFormat, type FindingJson } from '../kernel/findings.js';
import { clearProgress } from './mutation/progress.js';
import { loadResults, resultKey, saveResults, type StoredStep } from './result-cache.js';
import { verifySteps, type StepResult } from './steps.js';

export { verifySteps, type Step } from './steps.js';

/** A reused step's line: what it ran last time was reused whole this time (`(3 run, 63 reused)` → `(0 run, 66 reused)`). */
const reusedSummary = (summary: string) =>
  summary.replace(
    /\((\d+) run, (\d+) reused\)/,
    (_, run: string, reused: string) => `(0 run, ${Number(run) + Number(reused)} reused)`,
  );

const LABEL = { ok: 'ok  ', warn: 'warn', fail: 'FAIL' } as const;

export interface VerifyJson {
  readonly ok: boolean;
  readonly summary: string;
  readonly ms: number;
  readonly steps: readonly {
    readonly name: string;
    readonly status: 'ok' | 'warn' | 'fail';
    readonly summary: string;
    readonly ms: number;
    readonly reused: boolean;
    readonly findings: readonly FindingJson[];
  }[];
}

/**
 * `reuse: false` when the definitions come from elsewhere (`--app`): the cache key vouches only for
 * this package's own code.
 */
export async function runVerify(opts: {
  root: string;
  app: () => Promise<Construct>;
  /** `json`: one document on stdout at the end, every step with its findings (VerifyJson). */
  format: FindingFormat | 'json';
  only?: 'lint';
  reuse?: boolean;
}): Promise<number> {
  const started = performance.now();
  const key = opts.reuse === false ? undefined : resultKey(opts.root);
  const cached = key ? await loadResults(key) : undefined;
  // Steps are independent: run them all at once (tsc and promtool are separate processes) and
  // report in order, each with its own time.
  const results = verifySteps(opts.root, opts.app, opts.only).map((step) => {
    const t0 = performance.now();
    const reuse = step.cacheable ? cached?.[step.name] : undefined;
    const run: Promise<StepResult> = reuse ? Promise.resolve(reuse) : step.run();
    const done = run.then((r) => ({
      ...(Array.isArray(r) ? { findings: r, summary: step.name } : r),
      reused: !!reuse,
      ms: Math.round(performance.now() - t0),
    }));
    // Awaited in order below; until then a failure must not count as unhandled.
    done.catch(() => undefined);
    return { step, done };
  });
  let failed = 0;
  let findingsTotal = 0;
  const fresh: Record<string, StoredStep> = {};
  const steps: VerifyJson['steps'][number][] = [];
  // The mutation pass's progress line (a terminal only) is erased before each line of ours.
  const print = (text: string) => (clearProgress(), console.log(text));
  for (const { step, done } of results) {
    const { findings, summary, ms, reused } = await done;
    if (step.cacheable) fresh[step.name] = { findings, summary };
    const errors = errorsOf(findings).length;
    const status = errors ? 'fail' : findings.length ? 'warn' : ('ok' as const);
    const line = reused ? reusedSummary(summary) : summary;
    if (opts.format === 'json')
      steps.push({ name: step.name, status, summary: line, ms, reused, findings: findings.map(findingJson) });
    else {
      print(`${LABEL[status]} ${line} (${reused ? 'unchanged since the last run' : `${ms} ms`})`);
      for (const f of findings)
        print(opts.format === 'text' ? formatFinding(f, 'text').replace(/^/gm, '     ') : formatFinding(f, 'github'));
    }
    if (errors) failed++;
    findingsTotal += findings.length;
  }
  // Keyed by the code the type-check just vouched for (it may have been re-run this time).
  const after = opts.reuse === false ? undefined : resultKey(opts.root);
  if (after && Object.keys(fresh).length) await saveResults(after, fresh);
  const total = Math.round(performance.now() - started);
  const name = opts.only ?? 'verify';
  const summary = failed
    ? `${name}: FAILED, ${failed} step(s) with ${findingsTotal} finding(s) in ${total} ms`
    : `${name}: all checks passed in ${total} ms`;
  if (opts.format === 'json') {
    const doc: VerifyJson = { ok: !failed, summary, ms: total, steps };
    console.log(JSON.stringify(doc, null, 2));
  } else print(summary);
  return failed ? 1 : 0;
}
