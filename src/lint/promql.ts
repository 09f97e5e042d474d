// PromQL as the lint sees it: parsed with the Prometheus project's own lezer grammar and reduced
// to the facts the rules check (selectors and the functions around them, quantiles, the labels an
// expression's result keeps). Node names come from the grammar (print `tree.toString()` to see them).
import {
  callArgs as argsOf,
  functionName,
  parseTree,
  selectorOf as kernelSelectorOf,
  unquote,
  unwrapParens,
  rangeWindowOf,
  type LabelMatcher,
  type SyntaxNode,
} from '../kernel/promql.js';

export { substituteGrafanaVariables, substituteWithOriginal, type Substituted } from './grafana-variables.js';

export interface SelectorUse {
  /** Empty when the selector names no metric (`{job="x"}`) or matches `__name__` by regex. */
  readonly metric: string;
  readonly matchers: readonly LabelMatcher[];
  /** The function this selector's range (`x[5m]`, `x[5m:1m]`) is passed to, if any. */
  readonly rangeFunction?: string;
}

export interface QuantileUse {
  /** φ when it is a number literal. */
  readonly phi?: number;
  /** What is wrong with the second argument's shape; empty when it is `agg by (le) (rate(x_bucket[w]))`. */
  readonly problems: readonly string[];
  /** The series under the rate/increase, when the shape is right. */
  readonly bucketSeries?: string;
}

/** A range (`x[5m]`, `expr[1h:1m]`) and the function it is passed to. */
export interface RangeUse {
  readonly fn?: string;
  /** The selected metric; empty for a subquery over an expression. */
  readonly metric: string;
  /** The window as written (a Grafana variable's name where the expression used one). */
  readonly window: string;
  /** The window in seconds as Prometheus will run it (variables substituted). */
  readonly seconds?: number;
  /** A subquery's resolution in seconds, when it sets one. */
  readonly step?: number;
  readonly subquery: boolean;
}

export interface ParsedExpr {
  /** Syntax error, or a range/instant vector in the wrong place (the lezer grammar does not type-check). */
  readonly error?: string;
  readonly selectors: readonly SelectorUse[];
  readonly quantiles: readonly QuantileUse[];
  readonly ranges: readonly RangeUse[];
  /**
   * Labels the result can carry, when they can be told from the text: every `by (...)` label plus
   * `group_left/right (...)` and `label_replace/label_join` targets. Undefined when unknown
   * (no `by`, or a `without` that keeps labels we cannot list).
   */
  readonly resultLabels?: readonly string[];
}

/** Functions whose argument at the given index is a range vector. */
const RANGE_ARG: Record<string, number> = {
  rate: 0,
  irate: 0,
  increase: 0,
  resets: 0,
  changes: 0,
  deriv: 0,
  delta: 0,
  idelta: 0,
  predict_linear: 0,
  holt_winters: 0,
  double_exponential_smoothing: 0,
  absent_over_time: 0,
  present_over_time: 0,
  avg_over_time: 0,
  min_over_time: 0,
  max_over_time: 0,
  sum_over_time: 0,
  count_over_time: 0,
  stddev_over_time: 0,
  stdvar_over_time: 0,
  last_over_time: 0,
  mad_over_time: 0,
  quantile_over_time: 1,
  ts_of_max_over_time: 0,
  ts_of_min_over_time: 0,
  ts_of_last_over_time: 0,
  first_over_time: 0,
  ts_of_first_over_time: 0,
};

/** Nodes that wrap an expression without changing what it selects. */
const TRANSPARENT = new Set(['ParenExpr', 'OffsetExpr', 'StepInvariantExpr']);

/** The function call that takes `node` (through parentheses, offset, @) as an argument, and at which index. */
function enclosingCall(node: SyntaxNode): { call: SyntaxNode; index: number } | undefined {
  let n = node;
  while (n.parent && TRANSPARENT.has(n.parent.name)) n = n.parent;
  const body = n.parent;
  if (body?.name !== 'FunctionCallBody' || body.parent?.name !== 'FunctionCall') return undefined;
  return { call: body.parent, index: argsOf(body.parent).findIndex((a) => a.from === n.from && a.to === n.to) };
}

/** `original` maps a span of `expr` back to the text as written, for expressions with substituted variables. */
export function parsePromQL(
  expr: string,
  original: (from: number, to: number) => string = (from, to) => expr.slice(from, to),
): ParsedExpr {
  if (!expr.trim()) return { error: 'the expression is empty', selectors: [], quantiles: [], ranges: [] };
  const tree = parseTree(expr);
  const text = (n: SyntaxNode) => expr.slice(n.from, n.to);
  const fnName = (call: SyntaxNode) => functionName(call, expr);
  // Syntax errors win over type errors: after one, the tree around it is a guess.
  let syntaxError: string | undefined;
  let typeError: string | undefined;
  const selectors: SelectorUse[] = [];
  const quantiles: QuantileUse[] = [];
  const ranges: RangeUse[] = [];
  const labels = new Set<string>();
  let labelsUnknown = false;
  let sawBy = false;

  const where = (at: number) =>
    at >= expr.length
      ? 'at the end of the expression'
      : `at character ${at + 1} (near "${expr.slice(Math.max(0, at - 15), at + 15).replace(/\s+/g, ' ')}")`;
  const fail = (at: number, what: string) => {
    typeError ??= `${what} ${where(at)}`;
  };

  const selectorOf = (vs: SyntaxNode): Omit<SelectorUse, 'rangeFunction'> => {
    const { metric, matchers } = kernelSelectorOf(vs, expr);
    return { metric, matchers };
  };

  /** The number a literal (possibly negated, parenthesised) stands for. */
  const numberOf = (node: SyntaxNode | undefined): number | undefined => {
    if (!node) return undefined;
    node = unwrapParens(node);
    if (node.name === 'UnaryExpr') {
      const v = numberOf(node.lastChild ?? undefined);
      return v === undefined ? undefined : text(node.getChild('UnaryOp') ?? node).startsWith('-') ? -v : v;
    }
    if (node.name !== 'NumberDurationLiteral') return undefined;
    const v = Number(text(node));
    return Number.isFinite(v) ? v : undefined;
  };

  const quantileUse = (call: SyntaxNode): QuantileUse => {
    const [phiNode, argNode] = argsOf(call);
    const phi = numberOf(phiNode);
    const base = phi === undefined ? {} : { phi };
    if (!argNode) return { ...base, problems: ['needs two arguments, φ and the bucket rates'] };
    const agg = unwrapParens(argNode);
    if (agg.name !== 'AggregateExpr') {
      return {
        ...base,
        problems: [
          'its second argument must be an aggregation over bucket rates, e.g. sum by (le) (rate(x_bucket[5m]))',
        ],
      };
    }
    const problems: string[] = [];
    const modifier = agg.getChild('AggregateModifier');
    const grouped = modifier?.getChild('GroupingLabels')?.getChildren('LabelName').map(text) ?? [];
    const keepsLe = modifier?.getChild('By')
      ? grouped.includes('le')
      : modifier?.getChild('Without')
        ? !grouped.includes('le')
        : false;
    if (!keepsLe) problems.push('its aggregation drops the `le` label');
    // Parametric aggregations (topk, quantile, ...) take the vector last.
    const inner = unwrapParens(argsOf(agg).at(-1) ?? agg);
    const innerFn = inner.name === 'FunctionCall' ? fnName(inner) : undefined;
    let range = innerFn ? argsOf(inner)[0] : undefined;
    while (range && TRANSPARENT.has(range.name) && range.firstChild) range = range.firstChild;
    const vs = range?.name === 'MatrixSelector' ? unwrapParens(range.firstChild ?? range) : undefined;
    if (!innerFn || !['rate', 'increase'].includes(innerFn) || vs?.name !== 'VectorSelector') {
      problems.push('it must aggregate rate(...) or increase(...) of a histogram _bucket series');
      return { ...base, problems };
    }
    return { ...base, problems, bucketSeries: selectorOf(vs).metric };
  };

  tree.iterate({
    enter: (ref) => {
      const node = ref.node;
      if (node.type.isError) syntaxError ??= `syntax error ${where(node.from)}`;
      switch (node.name) {
        case 'VectorSelector': {
          let up: SyntaxNode = node;
          while (up.parent && TRANSPARENT.has(up.parent.name)) up = up.parent;
          const range =
            up.parent?.name === 'MatrixSelector' || up.parent?.name === 'SubqueryExpr' ? up.parent : undefined;
          const call = range ? enclosingCall(range) : undefined;
          selectors.push({ ...selectorOf(node), ...(call ? { rangeFunction: fnName(call.call) } : {}) });
          break;
        }
        case 'MatrixSelector':
        case 'SubqueryExpr': {
          // A range vector is only valid as the range argument of a function.
          const call = enclosingCall(node);
          if (!call || RANGE_ARG[fnName(call.call)] !== call.index) {
            fail(
              node.from,
              `range vector "${text(node)}" where an instant vector is expected (wrap it in rate(), increase() or *_over_time())`,
            );
          }
          const window = rangeWindowOf(node, expr);
          if (window) {
            const inner = unwrapParens(node.firstChild ?? node);
            const vs = inner.name === 'VectorSelector' ? inner : undefined;
            ranges.push({
              ...(call ? { fn: fnName(call.call) } : {}),
              metric: vs && node.name === 'MatrixSelector' ? selectorOf(vs).metric : '',
              window: original(window.node.from, window.node.to),
              ...(window.seconds !== undefined ? { seconds: window.seconds } : {}),
              ...(window.step?.seconds !== undefined ? { step: window.step.seconds } : {}),
              subquery: node.name === 'SubqueryExpr',
            });
          }
          break;
        }
        case 'FunctionCall': {
          const fn = fnName(node);
          const index = RANGE_ARG[fn];
          if (index !== undefined) {
            let arg = argsOf(node)[index];
            while (arg && TRANSPARENT.has(arg.name) && arg.firstChild) arg = arg.firstChild;
            if (arg && arg.name !== 'MatrixSelector' && arg.name !== 'SubqueryExpr' && !arg.type.isError) {
              fail(arg.from, `${fn}() needs a range vector such as x[5m], got "${text(arg)}"`);
            }
          }
          if (fn === 'histogram_quantile') quantiles.push(quantileUse(node));
          if (fn === 'label_replace' || fn === 'label_join') {
            const dst = argsOf(node)[1];
            if (dst?.name === 'StringLiteral') labels.add(unquote(text(dst)));
          }
          break;
        }
        case 'AggregateModifier': {
          const grouped = node.getChild('GroupingLabels')?.getChildren('LabelName').map(text) ?? [];
          if (node.getChild('Without')) labelsUnknown = true;
          else {
            sawBy = true;
            grouped.forEach((l) => labels.add(l));
          }
          break;
        }
        case 'MatchingModifierClause': {
          // group_left(extra) / group_right(extra) copy the extra labels onto the result.
          const group = node.getChild('GroupLeft') ?? node.getChild('GroupRight');
          const extra = group && node.getChildren('GroupingLabels').find((g) => g.from > group.from);
          extra?.getChildren('LabelName').forEach((l) => labels.add(text(l)));
          break;
        }
      }
    },
  });

  // A quantile's result has no `le`: histogram_quantile consumes it.
  const top = unwrapParens(tree.topNode.firstChild ?? tree.topNode);
  if (top.name === 'FunctionCall' && fnName(top) === 'histogram_quantile') labels.delete('le');
  const resultLabels = sawBy && !labelsUnknown ? [...labels].sort() : undefined;
  const error = syntaxError ?? typeError;
  return {
    ...(error !== undefined ? { error } : {}),
    selectors,
    quantiles,
    ranges,
    ...(resultLabels ? { resultLabels } : {}),
  };
}
