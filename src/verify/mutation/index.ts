// Alert tests prove their own strength: each constant that decides when an alert fires (thresholds,
// floors, ratios, `for`, range windows, label filters) is changed one at a time, and for every such
// mutant `promtool test rules` must fail. A mutant that passes is a change the tests cannot see.
// Each mutant's outcome is kept by the content of its jobs, so an edit re-runs only the mutants of the
// rules (and test cases) it changed.
import { resolve } from 'node:path';
import { parseCommand } from '../../command.js';
import type { Finding } from '../../kernel/findings.js';
import { MUTATION_COMMAND } from '../command.js';
import { PROMTOOL_MISSING_FIX } from '../promtool.js';
import { PromtoolMissing } from '../rule-tests/run.js';
import { progressReporter } from './progress.js';
import type { MutationResult } from './score.js';

const TESTS_DIR = 'infra/prometheus/tests';

/**
 * The score. A mutant "killed" by tests that fail anyway proves nothing: `suitePasses` (the unmutated
 * suite's verdict) must hold, or there is no score. Mutants are judged once per content (score.ts).
 */
export async function checkedMutationScore(
  root: string,
  suitePasses: Promise<boolean>,
): Promise<MutationResult | undefined> {
  const progress = progressReporter();
  try {
    const [result, passes] = await Promise.all([
      import('./score.js').then((m) => m.mutationScore(root, progress)),
      suitePasses,
    ]);
    return passes ? result : undefined;
  } finally {
    progress.done();
  }
}

export const scoreLine = (r: MutationResult) =>
  `alert tests kill ${r.killed}/${r.total} mutants (${r.run} run, ${r.reused} reused)`;

export function survivorFindings(r: MutationResult): Finding[] {
  const findings: Finding[] = r.survivors.map((s) => ({
    rule: 'alert-test-strength',
    file: s.file,
    object: `${s.kind} ${s.rule}`,
    message: s.tested
      ? `mutant survives: ${s.constant} ${s.change}, and every promtool test still passes (${s.testFiles.join(', ')}).`
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
      message:
        'its tests fail on the cut-down rule set the mutation pass builds (the alert and the recording rules it reads), so its mutants are not scored.',
      fix: 'make each test group name the alerts and recording rules it checks (alert_rule_test alertname, promql_expr_test expr), or report this as a bug in src/verify/mutation/',
    });
  }
  return findings;
}

const UNSCORED: Finding = {
  rule: 'alert-test-strength',
  file: TESTS_DIR,
  object: 'alert unit tests',
  message:
    'the tests fail on the unmutated rules (see promtool test rules), so killing mutants proves nothing: not scored.',
  fix: 'make `promtool test rules` pass first',
};

/** The verify step: the score in the step's line, one finding per survivor. */
export async function mutationStep(
  root: string,
  suitePasses: Promise<boolean>,
): Promise<{ findings: Finding[]; summary: string; reused: boolean }> {
  try {
    const r = await checkedMutationScore(root, suitePasses);
    if (!r) return { findings: [UNSCORED], summary: 'alert tests kill ?/? mutants', reused: false };
    return { findings: survivorFindings(r), summary: scoreLine(r), reused: false };
  } catch (err) {
    if (!(err instanceof PromtoolMissing)) throw err;
    return {
      findings: [
        {
          rule: 'promtool',
          file: TESTS_DIR,
          object: 'promtool',
          message: 'promtool is not installed.',
          fix: PROMTOOL_MISSING_FIX,
        },
      ],
      summary: 'alert tests kill ?/? mutants',
      reused: false,
    };
  }
}

/** `stressgate mutation [--root DIR]`: the score and every survivor, computed afresh. */
export async function runMutation(argv: string[]): Promise<number> {
  const parsed = parseCommand(MUTATION_COMMAND, argv);
  if (!parsed.ok) return parsed.exit;
  const root = resolve(parsed.values.root ?? process.cwd());
  const { mutationScore } = await import('./score.js');
  const { testRules } = await import('../rule-tests/index.js');
  const progress = progressReporter();
  const [r, failures] = await Promise.all([
    mutationScore(root, progress).finally(() => progress.done()),
    testRules(root, async () => (await import('../../definitions.js')).app),
  ]);
  if (failures.length) {
    console.log(`${UNSCORED.message}\n${failures.map((f) => `${f.object}: ${f.message}`).join('\n')}`);
    return 1;
  }
  console.log(`${scoreLine(r)} in ${r.ms} ms`);
  for (const s of r.survivors)
    console.log(
      `  survives: ${s.kind} ${s.rule} (${s.file}): ${s.constant} ${s.change}${s.tested ? `, tested in ${s.testFiles.join(', ')}` : ' (no test looks at it)'}`,
    );
  for (const a of r.brokenBaselines) console.log(`  not scored: alert ${a} (its tests fail on the cut-down rule set)`);
  return r.survivors.length || r.brokenBaselines.length ? 1 : 0;
}
