// The mutants of the rule tree: every constant of every alert (and of every recording rule a tested
// alert reads), each with the test groups that can see it, tried in the order most likely to kill it.
// A mutant's jobs (rule-tests/jobs.ts) hold only the rules and groups it needs.
import { closure, dependents, type Model, type Rule, type TestGroup } from '../rule-tests/model.js';
import { focusGroup, groupJob, provablyComplete, type Job } from '../rule-tests/jobs.js';
import { mutationsOf, type Mutation } from './operators.js';

export interface Mutant {
  readonly id: number;
  readonly rule: Rule;
  readonly mutation: Mutation;
  /** `[5m] (2nd of 3)` when the same text occurs more than once in the rule. */
  readonly where: string;
  /**
   * Test groups that look at the mutated rule or at anything that reads it, nearest first: the groups
   * that check the rule itself, then those checking what reads it directly, and so on.
   */
  readonly groups: readonly TestGroup[];
}

const ordinal = (n: number) =>
  `${n}${n % 10 === 1 && n % 100 !== 11 ? 'st' : n % 10 === 2 && n % 100 !== 12 ? 'nd' : n % 10 === 3 && n % 100 !== 13 ? 'rd' : 'th'}`;

/** How far each name is from `rule` along "reads": 0 for the rule itself, 1 for what reads it, ... */
function distances(model: Model, rule: Rule): Map<string, number> {
  const out = new Map([[rule.name, 0]]);
  for (let level = 1, frontier = [rule.name]; frontier.length; level++) {
    const next = model.rules
      .filter((r) => !out.has(r.name) && r.reads.some((n) => frontier.includes(n)))
      .map((r) => r.name);
    for (const n of next) out.set(n, level);
    frontier = [...new Set(next)];
  }
  return out;
}

type Shape = 'fires' | 'quiet' | 'timeline';
/** A group checked at several moments is a timeline; checked once, it expects the alert or not. */
function shape(g: TestGroup): Shape {
  const alertTests = (g.doc.alert_rule_test ?? []) as { eval_time?: string; exp_alerts?: unknown[] }[];
  const exprTests = (g.doc.promql_expr_test ?? []) as { eval_time?: string; exp_samples?: unknown[] }[];
  if (new Set([...alertTests, ...exprTests].map((t) => t.eval_time)).size > 1) return 'timeline';
  return alertTests.some((t) => t.exp_alerts?.length) || exprTests.some((t) => t.exp_samples?.length)
    ? 'fires'
    : 'quiet';
}

/**
 * Among groups at the same distance, what the change suggests: a hold or a window moves *when*, which
 * only a scenario over time sees; a smaller constant or a dropped filter makes a quiet case fire; a
 * larger one silences a firing case.
 */
function preferredShapes(m: Mutation): Shape[] {
  if (m.constant.startsWith('for:') || m.constant.startsWith('[')) return ['timeline', 'quiet', 'fires'];
  return m.change.startsWith('×2') ? ['fires', 'timeline', 'quiet'] : ['quiet', 'timeline', 'fires'];
}

export function planMutants(model: Model): Mutant[] {
  const groups = model.tests.flatMap((t) => t.groups);
  const tested = closure(
    model,
    groups.flatMap((g) => [...g.names]),
  );
  // Alerts are what the tests must prove; recording rules only count where a tested alert reads them.
  const subjects = model.rules.filter((r) => tested.has(r) || r.doc.alert !== undefined);
  const mutants: Mutant[] = [];
  for (const rule of subjects) {
    const distance = distances(model, rule);
    const near = (g: TestGroup) => Math.min(...[...g.names].map((n) => distance.get(n) ?? Infinity));
    const relevant = groups.filter((g) => near(g) < Infinity);
    const mutations = mutationsOf({
      expr: String(rule.doc.expr),
      ...(rule.doc.for !== undefined ? { for: String(rule.doc.for) } : {}),
    });
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
      const prefer = preferredShapes(m);
      const ordered = [...relevant].sort(
        (a, b) => near(a) - near(b) || prefer.indexOf(shape(a)) - prefer.indexOf(shape(b)),
      );
      mutants.push({ id: mutants.length, rule, mutation: m, where, groups: ordered });
    }
  }
  return mutants;
}

/** Stable identity of a mutant across edits elsewhere, for remembering which group killed it. */
export const signature = (m: Mutant) => `${m.rule.file}|${m.rule.name}|${m.where}|${m.mutation.change}`;

/** The mutant's groups in the order to try them: the one that killed it last time first. */
export const killOrder = (m: Mutant, learned?: string): TestGroup[] =>
  [...m.groups].sort((a, b) => Number(String(b.doc.name) === learned) - Number(String(a.doc.name) === learned));

const affectedCache = new WeakMap<Rule, Set<string>>();
/** The names a change to `rule` can change (one set per rule: focused groups are kept per set). */
function affectedBy(model: Model, rule: Rule): Set<string> {
  let s = affectedCache.get(rule);
  if (!s) affectedCache.set(rule, (s = dependents(model, rule)));
  return s;
}

/**
 * Jobs for one mutant with the given groups: one per test file they come from, each group narrowed
 * to the checks that read what the mutant changes (jobs.ts, focusGroup) where that is provably exact.
 */
export function mutantJobs(model: Model, m: Mutant, groups: readonly TestGroup[], tag: string): Job[] {
  const replace = {
    rule: m.rule,
    expr: m.mutation.rule.expr,
    ...(m.mutation.rule.for !== undefined ? { for: m.mutation.rule.for } : {}),
  };
  const affected = affectedBy(model, m.rule);
  return model.tests.flatMap((test, ti) => {
    const mine = groups
      .filter((g) => g.file === test.path)
      .map((g) => (provablyComplete(model, g.names) ? focusGroup(model, g, affected) : g));
    return mine.length ? [groupJob(model, `${tag}${m.id}-${ti}`, test, mine, { replace })] : [];
  });
}
