// Semantic diff of the generated Prometheus rules and Grafana dashboards, base git ref vs working
// tree, for PR review (`stressgate diff`, `make alerts-diff`). Exit codes: 0 no changes, 1 changes
// (what counts is set by --fail-on), 2 bad usage, git error or unreadable file.
import { resolve } from 'node:path';
import { commandHelp, parseCommand } from '../command.js';
import { UsageError } from '../usage-error.js';
import { DIFF_COMMAND } from './command.js';
import { diffDashboards } from './dashboards.js';
import { diffFiles } from './files.js';
import { diffKubernetes } from './kubernetes.js';
import { DIFF_OPENSLO_FILE, GitError, loadFromGit, loadFromWorkingTree, resolveBase } from './load.js';
import { renderMarkdown } from './markdown.js';
import { diffSloParts } from './slo-parts.js';
import { FAIL_ON, outcome, type FailOn } from './outcome.js';
import { buildReport, renderJson } from './report.js';
import { diffRuleFiles } from './rules.js';
import type { DiffReport } from './types.js';
import { DiffInputError } from './util.js';

export { diffDashboards, type DashboardSet } from './dashboards.js';
export { diffKubernetes, type ManifestSet } from './kubernetes.js';
export { diffK6Thresholds, k6Verdict, parseK6Threshold, profilesOf } from './k6-thresholds.js';
export { readSloFacts, sloLoadMapOf } from './slo-facts.js';
export { diffSlos } from './slos.js';
export { diffSloParts } from './slo-parts.js';
export { detectKind, diffFiles, type FileKind } from './files.js';
export { parseYamlDocuments, parseYamlText } from './yaml-text.js';
export { diffRuleFiles, GATE_LABEL, GATE_VALUE, SEVERITIES, type RuleFileSet } from './rules.js';
export {
  DEFAULT_BASE,
  DIFF_DASHBOARD_DIR,
  DIFF_KUBERNETES_DIR,
  DIFF_OPENSLO_FILE,
  DIFF_RULE_FILES,
  GitError,
  loadFromGit,
  loadFromWorkingTree,
  resolveBase,
  type LoadedFiles,
} from './load.js';
export {
  diffThresholds,
  extractNumbers,
  extractThresholds,
  numberValue,
  referencedMetrics,
  thresholdVerdict,
} from './thresholds.js';
export { buildReport, renderJson } from './report.js';
export { renderMarkdown } from './markdown.js';
export { DiffInputError } from './util.js';
export { FAIL_ON, outcome, type FailOn, type Outcome } from './outcome.js';
export type * from './types.js';

export { DIFF_COMMAND } from './command.js';
export const DIFF_HELP = commandHelp(DIFF_COMMAND);

export type DiffFormat = 'markdown' | 'json';

export interface DiffOptions {
  /** Project root; `--root` overrides it. Default: the current directory. */
  readonly root?: string;
  /** Where the report goes (default: process.stdout). */
  readonly out?: (text: string) => void;
  /** Where errors go (default: process.stderr). */
  readonly err?: (text: string) => void;
}

/** Compares a base ref with the working tree under `root`. Throws GitError / DiffInputError. */
export async function diffAgainst(root: string, base?: string): Promise<DiffReport> {
  const resolved = await resolveBase(root, base);
  const [old, now] = await Promise.all([loadFromGit(root, resolved.commit), loadFromWorkingTree(root)]);
  const rules = diffRuleFiles(old.rules, now.rules);
  return buildReport({
    base: resolved,
    rules,
    dashboards: diffDashboards(old.dashboards, now.dashboards),
    kubernetes: diffKubernetes(old.kubernetes, now.kubernetes),
    ...diffSloParts({ ...old, opensloName: `${resolved.commit.slice(0, 12)}:${DIFF_OPENSLO_FILE}` }, now, rules),
  });
}

/**
 * The `diff` command. `argv` are its options (a leading `diff` is ignored). Prints the report and
 * returns the exit code: 0 nothing to fail on, 1 what `--fail-on` names was found (default: any
 * change), 2 usage / git / input error.
 */
export async function runDiff(argv: string[], opts: DiffOptions = {}): Promise<number> {
  const out = opts.out ?? ((s: string) => void process.stdout.write(s));
  const err = opts.err ?? ((s: string) => void process.stderr.write(s));
  let parsed;
  try {
    parsed = parseCommand(DIFF_COMMAND, argv, { out, err });
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    err(`stressgate diff: ${e.message}\n`);
    return 2;
  }
  if (!parsed.ok) return parsed.exit;
  const { values } = parsed;
  let { positionals } = parsed;
  if (positionals[0] === 'diff') positionals = positionals.slice(1);
  if (positionals.length !== 0 && positionals.length !== 2) {
    err(
      `stressgate diff: expected no paths (diff against --base) or two (diff OLD NEW), got ${positionals.length}; see 'stressgate diff --help'\n`,
    );
    return 2;
  }
  if (positionals.length === 2 && values.base !== undefined) {
    err(
      `stressgate diff: --base compares against a git ref; it does not go with OLD NEW paths; see 'stressgate diff --help'\n`,
    );
    return 2;
  }
  const format = values.format as DiffFormat;
  const failOn = values['fail-on'] as FailOn;
  const root = resolve(values.root ?? opts.root ?? process.cwd());
  let report: DiffReport;
  try {
    report =
      positionals.length === 2
        ? await diffFiles(positionals[0]!, positionals[1]!, root)
        : await diffAgainst(root, values.base);
  } catch (e) {
    if (e instanceof GitError || e instanceof DiffInputError) {
      err(`stressgate diff: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  out(format === 'json' ? renderJson(report) : renderMarkdown(report));
  const { code, line } = outcome(report, failOn);
  err(`${line}\n`);
  return code;
}
