// The rule files and promtool test files as data, for verify's unit-test step and the mutation pass:
// which rule reads which recording rule, which test group exercises which rule, and the smallest rule
// set a group needs.
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
  readonly groups: readonly {
    readonly name: string;
    readonly interval?: string;
    readonly rules: readonly RuleDoc[];
    readonly [key: string]: unknown;
  }[];
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

/** What the jobs need of an expression; parsed once per distinct text (the same checks recur in every mutant's jobs). */
interface ExprFacts {
  /** Names it selects, and alert names it filters ALERTS on. */
  readonly names: readonly string[];
  /** Whether some selector names no metric, or reads ALERTS without an alertname: what it reads is not known by name. */
  readonly blind: boolean;
}

const facts = new Map<string, ExprFacts>();

export function exprFacts(expr: string): ExprFacts {
  let f = facts.get(expr);
  if (!f) {
    const found = selectors(expr);
    const isAlerts = (metric: string) => metric === 'ALERTS' || metric === 'ALERTS_FOR_STATE';
    f = {
      names: found.flatMap((s) =>
        isAlerts(s.metric)
          ? s.matchers.filter((m) => m.label === 'alertname' && m.op === '=').map((m) => m.value)
          : [s.metric],
      ),
      blind: found.some(
        (s) => !s.metric || (isAlerts(s.metric) && !s.matchers.some((m) => m.label === 'alertname' && m.op === '=')),
      ),
    };
    facts.set(expr, f);
  }
  return f;
}

export const namesIn = (expr: string): readonly string[] => exprFacts(expr).names;

/**
 * Parsed files by their text: verify's unit-test step and the mutation pass read the same files in one
 * process. The documents are never modified (jobs copy what they change).
 */
const parsed = new Map<string, Record<string, unknown>>();

/** Reads the test files and every rule file they load (project-relative paths). */
export async function loadModel(root: string, testFiles: readonly string[]): Promise<Model> {
  const read = async (path: string) => {
    const text = await readFile(posix.join(root, path), 'utf8');
    let doc = parsed.get(text);
    if (!doc) parsed.set(text, (doc = parseYaml(text) as Record<string, unknown>));
    return doc;
  };
  const tests: TestFile[] = [];
  const rulePaths = new Set<string>();
  for (const path of testFiles) {
    const {
      rule_files: ruleFiles = [],
      tests: groups = [],
      ...settings
    } = (await read(path)) as { rule_files?: string[]; tests?: Record<string, unknown>[] };
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
        rules.push({
          key: `${path}#${gi}#${ri}`,
          file: path,
          groupIndex: gi,
          doc: r,
          name: String(r.alert ?? r.record),
          reads: namesIn(String(r.expr)),
        });
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
  for (let grew = true; grew;) {
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
