// The rule files and promtool test files as the mutation pass needs them: which rule reads which
// recording rule, which test group exercises which rule, and the smallest rule set a group needs.
import { readFile } from 'node:fs/promises';
import { posix } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { selectors } from '../../kernel/promql.js';

export interface RuleDoc {
  readonly record?: string;
  readonly alert?: string;
  readonly expr: string;
  readonly for?: string;
  readonly [key: string]: unknown;
}

export interface Rule {
  /** Position in the tree: `file#group#index`, unique even when two alerts share a name. */
  readonly key: string;
  readonly file: string;
  readonly groupIndex: number;
  readonly doc: RuleDoc;
  readonly name: string;
  /** Recording-rule names its expression selects. */
  readonly reads: readonly string[];
}

export interface RuleFileDoc {
  readonly path: string;
  readonly groups: readonly { readonly name: string; readonly interval?: string; readonly rules: readonly RuleDoc[]; readonly [key: string]: unknown }[];
}

export interface TestGroup {
  readonly file: string;
  readonly index: number;
  readonly doc: Record<string, unknown>;
  /** Alert and recording-rule names the group's checks look at. */
  readonly names: ReadonlySet<string>;
}

export interface TestFile {
  readonly path: string;
  /** Top-level settings besides rule_files and tests (evaluation_interval, group_eval_order, ...). */
  readonly settings: Record<string, unknown>;
  readonly ruleFiles: readonly string[];
  readonly groups: readonly TestGroup[];
}

export interface Model {
  readonly ruleFiles: readonly RuleFileDoc[];
  readonly rules: readonly Rule[];
  readonly tests: readonly TestFile[];
}

/** Names a PromQL expression selects, and alert names it filters ALERTS on. */
function namesIn(expr: string): string[] {
  return selectors(expr).flatMap((s) => (s.metric === 'ALERTS' || s.metric === 'ALERTS_FOR_STATE' ? s.matchers.filter((m) => m.label === 'alertname' && m.op === '=').map((m) => m.value) : [s.metric]));
}

/** Reads the test files and every rule file they load (project-relative paths). */
export async function loadModel(root: string, testFiles: readonly string[]): Promise<Model> {
  const read = async (path: string) => parseYaml(await readFile(posix.join(root, path), 'utf8')) as Record<string, unknown>;
  const tests: TestFile[] = [];
  const rulePaths = new Set<string>();
  for (const path of testFiles) {
    const { rule_files: ruleFiles = [], tests: groups = [], ...settings } = (await read(path)) as { rule_files?: string[]; tests?: Record<string, unknown>[] };
    const resolved = ruleFiles.map((f) => posix.normalize(posix.join(posix.dirname(path), f)));
    resolved.forEach((f) => rulePaths.add(f));
    tests.push({
      path,
      settings,
      ruleFiles: resolved,
      groups: groups.map((doc, index) => {
        const alerts = ((doc.alert_rule_test ?? []) as { alertname: string }[]).map((t) => String(t.alertname));
        const exprs = ((doc.promql_expr_test ?? []) as { expr: string }[]).flatMap((t) => namesIn(String(t.expr)));
        return { file: path, index, doc, names: new Set([...alerts, ...exprs]) };
      }),
    });
  }
  const ruleFiles: RuleFileDoc[] = [];
  const rules: Rule[] = [];
  // In the order the test files load them (a Set keeps insertion order).
  for (const path of rulePaths) {
    const doc = (await read(path)) as { groups?: RuleFileDoc['groups'] };
    const groups = doc.groups ?? [];
    ruleFiles.push({ path, groups });
    groups.forEach((g, gi) =>
      (g.rules ?? []).forEach((r, ri) => {
        rules.push({ key: `${path}#${gi}#${ri}`, file: path, groupIndex: gi, doc: r, name: String(r.alert ?? r.record), reads: namesIn(String(r.expr)) });
      }),
    );
  }
  return { ruleFiles, rules, tests };
}

/** The rules named, and every recording rule they read, transitively. */
export function closure(model: Model, names: Iterable<string>): Set<Rule> {
  const out = new Set<Rule>();
  const queue = [...names];
  const seen = new Set<string>();
  while (queue.length) {
    const name = queue.pop()!;
    if (seen.has(name)) continue;
    seen.add(name);
    for (const r of model.rules.filter((x) => x.name === name)) {
      out.add(r);
      queue.push(...r.reads);
    }
  }
  return out;
}

/** Names whose value changes when `rule` changes: its own and every rule that reads it, transitively. */
export function dependents(model: Model, rule: Rule): Set<string> {
  const out = new Set([rule.name]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const r of model.rules) {
      if (!out.has(r.name) && r.reads.some((n) => out.has(n))) {
        out.add(r.name);
        grew = true;
      }
    }
  }
  return out;
}
