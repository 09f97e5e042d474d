// Semantic diff of the generated Prometheus rules and Grafana dashboards, base git ref vs working
// tree, for PR review (`stressgate diff`, `make alerts-diff`). Exit codes: 0 no changes, 1 changes
// (what counts is set by --fail-on), 2 bad usage, git error or unreadable file.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { diffDashboards } from './dashboards.js';
import { diffFiles } from './files.js';
import { diffKubernetes } from './kubernetes.js';
import { GitError, loadFromGit, loadFromWorkingTree, resolveBase } from './load.js';
import { renderMarkdown } from './markdown.js';
import { FAIL_ON, outcome, type FailOn } from './outcome.js';
import { buildReport, renderJson } from './report.js';
import { diffRuleFiles } from './rules.js';
import type { DiffReport } from './types.js';
import { DiffInputError } from './util.js';

export { diffDashboards, type DashboardSet } from './dashboards.js';
export { diffKubernetes, type ManifestSet } from './kubernetes.js';
export { detectKind, diffFiles, type FileKind } from './files.js';
export { parseYamlDocuments, parseYamlText } from './yaml-text.js';
export { diffRuleFiles, GATE_LABEL, GATE_VALUE, SEVERITIES, type RuleFileSet } from './rules.js';
export {
  DEFAULT_BASE,
  DIFF_DASHBOARD_DIR,
  DIFF_KUBERNETES_DIR,
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

export const DIFF_HELP = `stressgate diff [--base REF] [--format markdown|json] [--fail-on changes|weaker|never] [--root DIR]
stressgate diff OLD NEW [--format markdown|json] [--fail-on changes|weaker|never]

Compares the generated rule files (infra/prometheus/{recording-rules,alerts}.yml) and dashboards
(infra/grafana/provisioning/dashboards/*.json) at a git ref with the working tree, and prints what
changed: alerts and recording rules by name (expression, thresholds, for, labels, annotations),
dashboards by uid (panels, queries, units, layout) and the Kubernetes manifests (infra/kubernetes/)
by kind and name (TestRun parallelism, arguments, env, resources; PrometheusRule groups; embedded
dashboards; ConfigMap keys). Gate alerts (label gate: release) that got weaker are listed first.

With two paths, compares those two files instead (any team's): two rule files, two dashboards
(JSON) or two files of Kubernetes manifests (PrometheusRule, GrafanaDashboard, ...), told apart by
their content. Every alert is judged there (weaker, review, stricter), gate label or not.

Options:
  --base REF       git ref to compare against (default: origin/main, or HEAD when it does not exist)
  --format F       markdown (default; for PR comments) | json (the DiffReport structure)
  --fail-on WHAT   what exits 1: changes (default: any change), weaker (only gate alerts that got
                   weaker), never (the diff ran: exit 0 whatever it found)
  --root DIR       project root (default: current directory)

The report goes to stdout; one line on stderr says what was found and what the exit status means.
Exit codes: 0 nothing to fail on, 1 what --fail-on names was found, 2 bad usage, git error or
unreadable file.`;

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
  return buildReport({
    base: resolved,
    rules: diffRuleFiles(old.rules, now.rules),
    dashboards: diffDashboards(old.dashboards, now.dashboards),
    kubernetes: diffKubernetes(old.kubernetes, now.kubernetes),
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
  let values: { base?: string; format?: string; 'fail-on'?: string; root?: string; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        base: { type: 'string' },
        format: { type: 'string', default: 'markdown' },
        'fail-on': { type: 'string', default: 'changes' },
        root: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    err(`diff: ${(e as Error).message}\n\n${DIFF_HELP}\n`);
    return 2;
  }
  if (positionals[0] === 'diff') positionals = positionals.slice(1);
  if (values.help) {
    out(`${DIFF_HELP}\n`);
    return 0;
  }
  if (positionals.length !== 0 && positionals.length !== 2) {
    err(
      `diff: expected no paths (diff against --base) or two (diff OLD NEW), got ${positionals.length}\n\n${DIFF_HELP}\n`,
    );
    return 2;
  }
  if (positionals.length === 2 && values.base !== undefined) {
    err(`diff: --base compares against a git ref; it does not go with OLD NEW paths\n`);
    return 2;
  }
  const format = values.format;
  if (format !== 'markdown' && format !== 'json') {
    err(`diff: --format must be markdown or json, not "${format}"\n`);
    return 2;
  }
  const failOn = values['fail-on'] as FailOn;
  if (!FAIL_ON.includes(failOn)) {
    err(`diff: --fail-on must be ${FAIL_ON.join(', ')}, not "${failOn}"\n`);
    return 2;
  }
  const root = resolve(values.root ?? opts.root ?? process.cwd());
  let report: DiffReport;
  try {
    report =
      positionals.length === 2
        ? await diffFiles(positionals[0]!, positionals[1]!, root)
        : await diffAgainst(root, values.base);
  } catch (e) {
    if (e instanceof GitError || e instanceof DiffInputError) {
      err(`diff: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  out(format === 'json' ? renderJson(report) : renderMarkdown(report));
  const { code, line } = outcome(report, failOn);
  err(`${line}\n`);
  return code;
}
