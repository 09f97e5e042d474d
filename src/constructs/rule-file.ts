// A rule file of its own beside recording-rules.yml and alerts.yml, with its own promtool test file.
// Rules whose windows reach back days (error-budget burn rates) need tests that span days; promtool
// evaluates every rule of the loaded files at every evaluation step, so those tests get their own
// file and their own (coarse) evaluation interval instead of slowing the gate alerts' tests.
import { z } from 'zod';
import type { Duration, Expr } from '../promql/expr.js';
import type { InputSeries } from './alert-cases.js';
import { Construct } from './construct.js';
import { duration, exprOrText, inputs, number, positiveDuration, text } from './props.js';

const ruleFileSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/, 'rule file ids are file names: use lower-case letters, digits and dashes'),
  source: text('name what the file holds (its source module)', 3),
  testEvaluationInterval: positiveDuration,
  alertCasesInOneGroup: z.boolean().optional(),
});

const exprTestSchema = z.object({
  title: text('say what the test checks', 3),
  interval: positiveDuration,
  inputs,
  evalTime: duration,
  checks: z
    .array(
      z.object({
        expr: exprOrText,
        labels: z.string().regex(/^\{.*\}$/, 'write the expected labels in PromQL notation, e.g. {job="api"}'),
        value: number('give the expected value'),
      }),
    )
    .min(1, 'give at least one check'),
});

export interface RuleFileProps {
  /** What the file holds; the generated file's header names its source module. */
  readonly source: string;
  /** promtool's `evaluation_interval` for the file's tests. */
  readonly testEvaluationInterval: Duration;
  /**
   * Test each alert's cases in one promtool test group, one case per evaluation step, instead of a
   * group per case: promtool builds a fresh TSDB for every group, which costs more than the test.
   * Every case must then be an instant: eval time 0s and one sample per input series.
   */
  readonly alertCasesInOneGroup?: boolean;
}

/** Rule groups created under a RuleFile are written to `infra/prometheus/<id>.yml`. */
export class RuleFile extends Construct {
  constructor(
    scope: Construct,
    id: string,
    readonly props: RuleFileProps,
  ) {
    super(scope, id);
    this.addPropsValidation(ruleFileSchema, { id, ...props });
  }
  get fileName(): string {
    return `${this.id}.yml`;
  }
}

/** One `promql_expr_test` expectation: the expression yields exactly this sample. */
export interface ExprCheck {
  readonly expr: Expr | string;
  /** Labels of the expected sample in PromQL notation, e.g. `{job="api"}`. */
  readonly labels: string;
  readonly value: number;
}

export interface ExprTestProps {
  readonly title: string;
  readonly interval: Duration;
  readonly inputs: readonly InputSeries[];
  readonly evalTime: Duration;
  readonly checks: readonly ExprCheck[];
}

/** A promtool test group of expression checks (recording rules' values), rendered into its RuleFile's tests. */
export class ExprTest extends Construct {
  constructor(
    scope: RuleFile,
    id: string,
    readonly props: ExprTestProps,
  ) {
    super(scope, id);
    this.addPropsValidation(exprTestSchema, props);
  }
}
