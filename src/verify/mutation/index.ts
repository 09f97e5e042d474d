// Alert tests prove their own strength: each constant that decides when an alert fires (thresholds,
// floors, ratios, `for`, range windows, label filters) is changed one at a time, and for every such
// mutant `promtool test rules` must fail. A mutant that passes is a change the tests cannot see.
// The score is cached by the content of everything it depends on, so an unchanged tree costs nothing.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { delimiter, dirname, join, posix, resolve } from 'node:path';
import type { Finding } from '../../kernel/findings.js';
import { PROMTOOL_MISSING_FIX } from '../promtool.js';
import { CACHE_DIR } from '../typecheck.js';
import { PromtoolMissing } from './run.js';
import type { MutationResult } from './score.js';

// Scoring (yaml, the PromQL parser, planning) loads only when the cache misses.
const TESTS_DIR = 'infra/prometheus/tests';

/** The promtool binary on PATH (its size and mtime stand in for its version in the cache key). */
async function promtoolStamp(): Promise<string> {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const s = await stat(join(dir, 'promtool')).catch(() => undefined);
    if (s?.isFile()) return `${join(dir, 'promtool')}:${s.size}:${s.mtimeMs}`;
  }
  throw new PromtoolMissing('promtool is not installed');
}

/** This pass's own source and every module it imports (relative imports, followed to the end). */
async function sourceClosure(entry: string): Promise<string[]> {
  const seen = new Set<string>();
  const queue = [entry];
  while (queue.length) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = await readFile(file, 'utf8');
    for (const m of text.matchAll(/(?:from|import\()\s*['"](\.{1,2}\/[^'"]+)\.js['"]/g)) {
      const dep = posix.join(dirname(file), `${m[1]}.ts`);
      if (existsSync(dep)) queue.push(dep);
    }
  }
  return [...seen].sort();
}

/** Everything the score depends on: the rule and test files, promtool, and the code that computes it. */
async function cacheKey(root: string): Promise<string> {
  const hash = createHash('sha256').update(await promtoolStamp());
  const prom = join(root, 'infra/prometheus');
  const own = await sourceClosure(join(import.meta.dirname, 'score.ts'));
  const ruleFiles = (await readdir(prom).catch(() => [] as string[])).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => join(prom, f));
  const tests = (await readdir(join(prom, 'tests')).catch(() => [] as string[])).sort().map((f) => join(prom, 'tests', f));
  for (const f of [...own, ...ruleFiles, ...tests]) hash.update(f.slice(f.lastIndexOf('/'))).update('\0').update(await readFile(f));
  return hash.digest('hex');
}

const CACHE = join(CACHE_DIR, 'mutation.json');

/**
 * The score, from the cache when nothing it depends on has changed. A mutant "killed" by tests that
 * fail anyway proves nothing: `suitePasses` (the unmutated suite's verdict) must hold, or there is no
 * score, and nothing is cached.
 */
export async function cachedMutationScore(root: string, suitePasses: Promise<boolean>): Promise<(MutationResult & { cached: boolean }) | undefined> {
  const key = await cacheKey(root);
  const hit = JSON.parse(await readFile(CACHE, 'utf8').catch(() => 'null')) as { key: string; result: MutationResult } | null;
  if (hit?.key === key) return { ...hit.result, cached: true };
  const [result, passes] = await Promise.all([import('./score.js').then((m) => m.mutationScore(root)), suitePasses]);
  if (!passes) return undefined;
  await mkdir(CACHE_DIR, { recursive: true });
  await writeFile(CACHE, JSON.stringify({ key, result }));
  return { ...result, cached: false };
}

export const scoreLine = (r: MutationResult) => `alert tests kill ${r.killed}/${r.total} mutants`;

export function survivorFindings(r: MutationResult): Finding[] {
  const findings: Finding[] = r.survivors.map((s) => ({
    rule: 'alert-test-strength',
    file: s.file,
    object: `${s.kind} ${s.rule}`,
    message: s.tested
      ? `mutant survives: ${s.constant} ${s.change}, and every promtool test still passes.`
      : `mutant survives: ${s.constant} ${s.change}; no test looks at this ${s.kind}.`,
    fix:
      s.kind === 'alert'
        ? `add a case to ${s.rule}'s tests in src/alerts/ that fails with this change (a boundary case either side of the constant, a \`for\` boundary, or the excluded series), then \`make synth\``
        : `add a case to the tests of an alert reading ${s.rule} (src/alerts/) that fails with this change, then \`make synth\``,
  }));
  for (const alert of r.brokenBaselines) {
    findings.push({
      rule: 'alert-test-strength',
      file: TESTS_DIR,
      object: `alert ${alert}`,
      message: "its tests fail on the cut-down rule set the mutation pass builds (the alert and the recording rules it reads), so its mutants are not scored.",
      fix: 'make each test group name the alerts and recording rules it checks (alert_rule_test alertname, promql_expr_test expr), or report this as a bug in src/verify/mutation/',
    });
  }
  return findings;
}

const UNSCORED: Finding = {
  rule: 'alert-test-strength',
  file: TESTS_DIR,
  object: 'alert unit tests',
  message: 'the tests fail on the unmutated rules (see promtool test rules), so killing mutants proves nothing: not scored.',
  fix: 'make `promtool test rules` pass first',
};

/** The verify step: the score in the step's line, one finding per survivor. */
export async function mutationStep(root: string, suitePasses: Promise<boolean>): Promise<{ findings: Finding[]; summary: string; reused: boolean }> {
  try {
    const r = await cachedMutationScore(root, suitePasses);
    if (!r) return { findings: [UNSCORED], summary: 'alert tests kill ?/? mutants', reused: false };
    return { findings: survivorFindings(r), summary: scoreLine(r), reused: r.cached };
  } catch (err) {
    if (!(err instanceof PromtoolMissing)) throw err;
    return { findings: [{ rule: 'promtool', file: TESTS_DIR, object: 'promtool', message: 'promtool is not installed.', fix: PROMTOOL_MISSING_FIX }], summary: 'alert tests kill ?/? mutants', reused: false };
  }
}

/** `stressgate mutation [--root DIR]`: the score and every survivor, computed afresh. */
export async function runMutation(argv: string[]): Promise<number> {
  const i = argv.indexOf('--root');
  const root = resolve(i >= 0 && argv[i + 1] ? argv[i + 1]! : process.cwd());
  const { mutationScore } = await import('./score.js');
  const { testRules } = await import('../promtool.js');
  const [r, failures] = await Promise.all([mutationScore(root), testRules(root, async () => (await import('../../definitions.js')).app)]);
  if (failures.length) {
    console.log(`${UNSCORED.message}\n${failures.map((f) => `${f.object}: ${f.message}`).join('\n')}`);
    return 1;
  }
  console.log(`${scoreLine(r)} in ${r.ms} ms`);
  for (const s of r.survivors) console.log(`  survives: ${s.kind} ${s.rule} (${s.file}): ${s.constant} ${s.change}${s.tested ? '' : ' (no test looks at it)'}`);
  for (const a of r.brokenBaselines) console.log(`  not scored: alert ${a} (its tests fail on the cut-down rule set)`);
  return r.survivors.length || r.brokenBaselines.length ? 1 : 0;
}
