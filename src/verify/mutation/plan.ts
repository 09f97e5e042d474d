// From the model to promtool jobs: one job per mutant (and per test file it touches), holding only
// the rules the relevant test groups need and only those groups, so each mutant costs a fraction of
// the full suite. An unmutated baseline per tested alert proves the cut-down sets still pass.
import { parsePromDuration as parseDuration } from '../../kernel/duration.js';
import { selectors } from '../../kernel/promql.js';
import { closure, dependents, type Model, type Rule, type TestFile, type TestGroup } from './model.js';
import { mutationsOf, type Mutation } from './operators.js';

export interface Mutant {
  readonly id: number;
  readonly rule: Rule;
  readonly mutation: Mutation;
  /** `[5m] (2nd of 3)` when the same text occurs more than once in the rule. */
  readonly where: string;
  /** Test groups that look at the mutated rule or at anything that reads it. */
  readonly groups: readonly TestGroup[];
}

export interface Job {
  /** Directory name in the workspace. */
  readonly dir: string;
  /** File name → YAML text; `test.yml` is the promtool test file. */
  readonly files: ReadonlyMap<string, string>;
  /** The mutant it tests, or the alert whose cut-down suite it checks unmutated. */
  readonly subject: { readonly mutant: number } | { readonly baseline: string };
  /** A rough cost (test groups × evaluation steps), to balance the parallel promtool calls. */
  readonly cost: number;
}

const ordinal = (n: number) => `${n}${n % 10 === 1 && n % 100 !== 11 ? 'st' : n % 10 === 2 && n % 100 !== 12 ? 'nd' : n % 10 === 3 && n % 100 !== 13 ? 'rd' : 'th'}`;

export function planMutants(model: Model): Mutant[] {
  const groups = model.tests.flatMap((t) => t.groups);
  const tested = closure(model, groups.flatMap((g) => [...g.names]));
  // Alerts are what the tests must prove; recording rules only count where a tested alert reads them.
  const subjects = model.rules.filter((r) => tested.has(r) || r.doc.alert !== undefined);
  const mutants: Mutant[] = [];
  for (const rule of subjects) {
    const affected = dependents(model, rule);
    const relevant = groups.filter((g) => [...g.names].some((n) => affected.has(n)));
    const mutations = mutationsOf({ expr: String(rule.doc.expr), ...(rule.doc.for !== undefined ? { for: String(rule.doc.for) } : {}) });
    const seen = new Map<string, number>();
    const counts = new Map<string, number>();
    for (const m of mutations) counts.set(m.constant, (counts.get(m.constant) ?? 0) + 1);
    for (const m of mutations) {
      // Each constant has two or three mutations; number the occurrences, not the mutations.
      const perConstant = m.constant.startsWith('for:') ? 3 : m.change.endsWith('dropped') ? 1 : 2;
      const total = (counts.get(m.constant) ?? 0) / perConstant;
      const index = Math.floor((seen.get(m.constant) ?? 0) / perConstant) + 1;
      seen.set(m.constant, (seen.get(m.constant) ?? 0) + 1);
      const where = total > 1 ? `${m.constant} (${ordinal(index)} of ${total})` : m.constant;
      mutants.push({ id: mutants.length, rule, mutation: m, where, groups: relevant });
    }
  }
  return mutants;
}

/** Rule files holding only `rules` (original order and groups kept), with one rule's text replaced. */
function ruleFilesFor(model: Model, rules: ReadonlySet<Rule>, replace?: { rule: Rule; mutation: Mutation }): Map<string, string> {
  const files = new Map<string, string>();
  model.ruleFiles.forEach((file, fi) => {
    const groups = file.groups.flatMap((g, gi) => {
      const kept = model.rules.filter((r) => r.file === file.path && r.groupIndex === gi && rules.has(r));
      if (!kept.length) return [];
      const docs = kept.map((r) => {
        if (r !== replace?.rule) return r.doc;
        const { for: _hold, ...rest } = r.doc;
        const m = replace.mutation.rule;
        return { ...rest, expr: m.expr, ...(m.for !== undefined ? { for: m.for } : {}) };
      });
      return [{ ...g, rules: docs }];
    });
    // JSON is YAML, and serialises many times faster: these files are only for promtool.
    if (groups.length) files.set(`rules-${fi}.yml`, JSON.stringify({ groups }));
  });
  return files;
}

const evalSeconds = (g: TestGroup) => {
  const times = [...((g.doc.alert_rule_test ?? []) as { eval_time?: string }[]), ...((g.doc.promql_expr_test ?? []) as { eval_time?: string }[])].map((t) => t.eval_time ?? '0s');
  return Math.max(60, ...times.map((t) => parseDuration(t) ?? 1200));
};

function job(model: Model, dir: string, test: TestFile, groups: readonly TestGroup[], subject: Job['subject'], replace?: { rule: Rule; mutation: Mutation }): Job {
  const rules = closure(model, groups.flatMap((g) => [...g.names]));
  if (replace) rules.add(replace.rule);
  const files = ruleFilesFor(model, rules, replace);
  // group_eval_order may only name groups that exist in the cut-down files.
  const present = new Set([...rules].map((r) => model.ruleFiles.find((f) => f.path === r.file)!.groups[r.groupIndex]!.name));
  const order = test.settings.group_eval_order as string[] | undefined;
  const settings = order ? { ...test.settings, group_eval_order: order.filter((g) => present.has(g)) } : test.settings;
  const testDoc = { ...settings, rule_files: [...files.keys()], tests: groups.map((g) => g.doc) };
  files.set('test.yml', JSON.stringify(testDoc));
  return { dir, files, subject, cost: groups.reduce((n, g) => n + evalSeconds(g) * Math.max(1, rules.size), 0) };
}

/**
 * Whether the cut-down rule set provably behaves like the full one for these names: every rule in it
 * names the series it reads (so the closure holds every recording rule it needs) and no annotation
 * runs a query of its own. Where that cannot be shown, a baseline job checks it by running.
 */
export function provablyComplete(model: Model, names: Iterable<string>): boolean {
  return [...closure(model, names)].every((r) => {
    const blind = selectors(String(r.doc.expr)).some((s) => !s.metric || ((s.metric === 'ALERTS' || s.metric === 'ALERTS_FOR_STATE') && !s.matchers.some((m) => m.label === 'alertname' && m.op === '=')));
    return !blind && !/\bquery\b/.test(JSON.stringify(r.doc.annotations ?? {}));
  });
}

/** Unmutated jobs for tested alerts whose cut-down suite is not provably complete: it must still pass. */
export function planBaselines(model: Model): Job[] {
  const jobs: Job[] = [];
  for (const test of model.tests) {
    const alerts = new Set(test.groups.flatMap((g) => [...g.names]).filter((n) => model.rules.some((r) => r.name === n && r.doc.alert !== undefined)));
    for (const alert of alerts) {
      const groups = test.groups.filter((g) => g.names.has(alert));
      if (!provablyComplete(model, groups.flatMap((g) => [...g.names]))) jobs.push(job(model, `b${jobs.length}`, test, groups, { baseline: alert }));
    }
  }
  return jobs;
}

/** Stable identity of a mutant across runs, for remembering which group killed it. */
export const signature = (m: Mutant) => `${m.rule.file}|${m.rule.name}|${m.where}|${m.mutation.change}`;

type Shape = 'fires' | 'quiet' | 'timeline';
/** A group checked at several moments is a timeline; checked once, it expects the alert or not. */
function shape(g: TestGroup): Shape {
  const alertTests = (g.doc.alert_rule_test ?? []) as { eval_time?: string; exp_alerts?: unknown[] }[];
  const exprTests = (g.doc.promql_expr_test ?? []) as { eval_time?: string; exp_samples?: unknown[] }[];
  if (new Set([...alertTests, ...exprTests].map((t) => t.eval_time)).size > 1) return 'timeline';
  return alertTests.some((t) => t.exp_alerts?.length) || exprTests.some((t) => t.exp_samples?.length) ? 'fires' : 'quiet';
}

/**
 * The order to try a mutant's groups in, most likely killer first: the group that killed it last
 * time; otherwise by what the change does (a hold or a window moves *when*, which only a scenario
 * over time sees; a smaller constant or a dropped filter makes a quiet case fire; a larger one
 * silences a firing case).
 */
export function killOrder(m: Mutant, learned?: string): TestGroup[] {
  const c = m.mutation.change;
  const prefer: Shape[] = m.mutation.constant.startsWith('for:') || m.mutation.constant.startsWith('[')
    ? ['timeline', 'quiet', 'fires']
    : c.startsWith('×2') ? ['fires', 'timeline', 'quiet'] : ['quiet', 'timeline', 'fires'];
  const rank = (g: TestGroup) => (String(g.doc.name) === learned ? -1 : prefer.indexOf(shape(g)));
  return [...m.groups].sort((a, b) => rank(a) - rank(b));
}

/** Jobs for `mutants`, each with the given groups (grouped by the test file they come from). */
export function planJobs(model: Model, mutants: readonly Mutant[], groupsOf: (m: Mutant) => readonly TestGroup[], tag: string): Job[] {
  const jobs: Job[] = [];
  for (const test of model.tests) {
    for (const m of mutants) {
      const groups = groupsOf(m).filter((g) => g.file === test.path);
      if (groups.length) jobs.push(job(model, `${tag}${m.id}-${jobs.length}`, test, groups, { mutant: m.id }, { rule: m.rule, mutation: m.mutation }));
    }
  }
  return jobs;
}
