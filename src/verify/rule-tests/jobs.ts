// From the model to promtool jobs: a job is a self-contained workspace directory (a test file and the
// rule files it loads) that one `promtool test rules` call can judge. A job holds only the test groups
// it is about and only the rules they read, so it costs a fraction of the full suite, and its files
// are all its result depends on: their bytes (with promtool's identity) are its cache key.
import { parsePromDuration as parseDuration } from '../../kernel/duration.js';
import {
  closure,
  exprFacts,
  namesIn,
  type Model,
  type Rule,
  type RuleDoc,
  type TestFile,
  type TestGroup,
} from './model.js';

export interface Job {
  /** Directory name in the workspace. */
  readonly dir: string;
  /** File name → YAML text; `test.yml` is the promtool test file. */
  readonly files: ReadonlyMap<string, string>;
  /** A rough cost (test groups × evaluation steps × rules), to balance the parallel promtool calls. */
  readonly cost: number;
}

/** One rule's text replaced (a mutant): its expression and its hold (`for: undefined` removes it). */
export interface Replacement {
  readonly rule: Rule;
  readonly expr: string;
  readonly for?: string;
}

/** A file name for a rule file in a job: its project path, flattened (stable when other files come and go). */
const jobFileName = (path: string) => path.replace(/^infra\/prometheus\//, '').replace(/\//g, '_');

/** Rule files holding only `rules` (original order and groups kept), with one rule's text replaced. */
function ruleFilesFor(model: Model, rules: ReadonlySet<Rule>, replace?: Replacement): Map<string, string> {
  const files = new Map<string, string>();
  for (const file of model.ruleFiles) {
    const groups = file.groups.flatMap((g, gi) => {
      const kept = model.rules.filter((r) => r.file === file.path && r.groupIndex === gi && rules.has(r));
      if (!kept.length) return [];
      const docs = kept.map((r): RuleDoc => {
        if (r !== replace?.rule) return r.doc;
        const { for: _hold, ...rest } = r.doc;
        return { ...rest, expr: replace.expr, ...(replace.for !== undefined ? { for: replace.for } : {}) };
      });
      return [{ ...g, rules: docs }];
    });
    // JSON is YAML, and serialises many times faster: these files are only for promtool.
    if (groups.length) files.set(jobFileName(file.path), JSON.stringify({ groups }));
  }
  return files;
}

const evalSeconds = (g: TestGroup) => {
  const times = [
    ...((g.doc.alert_rule_test ?? []) as { eval_time?: string }[]),
    ...((g.doc.promql_expr_test ?? []) as { eval_time?: string }[]),
  ].map((t) => t.eval_time ?? '0s');
  return Math.max(60, ...times.map((t) => parseDuration(t) ?? 1200));
};

/**
 * Whether the cut-down rule set provably behaves like the full one for these names: every rule in it
 * names the series it reads (so the closure holds every recording rule it needs) and no annotation
 * runs a query of its own.
 */
export function provablyComplete(model: Model, names: Iterable<string>): boolean {
  return [...closure(model, names)].every(
    (r) => !exprFacts(String(r.doc.expr)).blind && !/\bquery\b/.test(JSON.stringify(r.doc.annotations ?? {})),
  );
}

type Check = { readonly expr?: string; readonly alertname?: string };

/** The metric name an input series is written with (`foo{a="b"}` → foo); undefined for `{__name__=...}`. */
const seriesMetric = (series: string) => /^\s*([a-zA-Z_:][a-zA-Z0-9_:]*)/.exec(series)?.[1];

/**
 * The group with only the checks that look at `focus` (the names a mutant changes), and only the input
 * series that the rules they need and the checks themselves read. A check left out reads nothing the
 * mutant changes, so it evaluates as it does unmutated, where it passes: the group fails with the
 * mutant if and only if the focused group does. That holds where the rules involved name every metric
 * they read (provablyComplete); elsewhere the group is used whole.
 */
const focused = new WeakMap<TestGroup, WeakMap<ReadonlySet<string>, TestGroup>>();

export function focusGroup(model: Model, group: TestGroup, focus: ReadonlySet<string>): TestGroup {
  let byFocus = focused.get(group);
  if (!byFocus) focused.set(group, (byFocus = new WeakMap()));
  let out = byFocus.get(focus);
  if (!out) byFocus.set(focus, (out = narrow(model, group, focus)));
  return out;
}

function narrow(model: Model, group: TestGroup, focus: ReadonlySet<string>): TestGroup {
  const alerts = ((group.doc.alert_rule_test ?? []) as Check[]).filter((t) => focus.has(String(t.alertname)));
  const exprs = ((group.doc.promql_expr_test ?? []) as Check[]).filter((t) =>
    namesIn(String(t.expr)).some((n) => focus.has(n)),
  );
  const names = new Set([...alerts.map((t) => String(t.alertname)), ...exprs.flatMap((t) => namesIn(String(t.expr)))]);
  const reads = new Set([...names, ...[...closure(model, names)].flatMap((r) => r.reads)]);
  const series = ((group.doc.input_series ?? []) as { series: string }[]).filter((s) => {
    const metric = seriesMetric(String(s.series));
    return metric === undefined || reads.has(metric);
  });
  const { alert_rule_test: _a, promql_expr_test: _p, input_series: _i, ...rest } = group.doc;
  const doc = {
    ...rest,
    ...(series.length ? { input_series: series } : {}),
    ...(alerts.length ? { alert_rule_test: alerts } : {}),
    ...(exprs.length ? { promql_expr_test: exprs } : {}),
  };
  return { ...group, doc, names };
}

const texts = new WeakMap<TestGroup, string>();
const groupText = (g: TestGroup): string => {
  let t = texts.get(g);
  if (t === undefined) texts.set(g, (t = JSON.stringify(g.doc)));
  return t;
};

/**
 * A job for some groups of one test file: the rules their checks read (and the replaced rule), or,
 * with `allRules`, every rule the test file loads (when the cut-down set cannot be shown to behave
 * like the full one).
 */
export function groupJob(
  model: Model,
  dir: string,
  test: TestFile,
  groups: readonly TestGroup[],
  opts: { replace?: Replacement; allRules?: boolean } = {},
): Job {
  const rules = opts.allRules
    ? new Set(model.rules.filter((r) => test.ruleFiles.includes(r.file)))
    : closure(
        model,
        groups.flatMap((g) => [...g.names]),
      );
  if (opts.replace) rules.add(opts.replace.rule);
  const files = ruleFilesFor(model, rules, opts.replace);
  // group_eval_order may only name groups that exist in the cut-down files.
  const present = new Set(
    [...rules].map((r) => model.ruleFiles.find((f) => f.path === r.file)!.groups[r.groupIndex]!.name),
  );
  const order = test.settings.group_eval_order as string[] | undefined;
  const settings = order ? { ...test.settings, group_eval_order: order.filter((g) => present.has(g)) } : test.settings;
  // As JSON.stringify({ ...settings, rule_files, tests }) would write it, with each group's text kept
  // (a mutant's jobs repeat the same groups hundreds of times).
  const head = JSON.stringify({ ...settings, rule_files: [...files.keys()] }).slice(0, -1);
  files.set('test.yml', `${head},"tests":[${groups.map(groupText).join(',')}]}`);
  return { dir, files, cost: groups.reduce((n, g) => n + evalSeconds(g) * Math.max(1, rules.size), 0) };
}

/** Every test group of the suite as its own job, cut down where that provably changes nothing. */
export function suiteJobs(model: Model): { job: Job; test: TestFile; group: TestGroup }[] {
  return model.tests.flatMap((test) =>
    test.groups.map((group) => ({
      job: groupJob(model, `t${model.tests.indexOf(test)}-${group.index}`, test, [group], {
        allRules: !provablyComplete(model, group.names),
      }),
      test,
      group,
    })),
  );
}
