// PromQL as the lint sees it: parsed with the Prometheus project's own lezer grammar, reduced to
// the facts the rules check (selectors, the functions around them, aggregation labels).
import { parser } from '@prometheus-io/lezer-promql';

/** The parser's node type, without depending on @lezer/common directly. */
type SyntaxNode = ReturnType<typeof parser.parse>['topNode'];

export interface LabelMatcher {
  readonly label: string;
  readonly op: '=' | '!=' | '=~' | '!~';
  readonly value: string;
}

export interface SelectorUse {
  readonly metric: string;
  readonly matchers: readonly LabelMatcher[];
  /** The function a range selector is passed to (`rate`, `increase`, ...), if any. */
  readonly rangeFunction?: string;
}

export interface QuantileUse {
  readonly phi: number | undefined;
  /** Problems with the second argument; empty when it is `agg by (..., le) (rate(x_bucket[w]))`. */
  readonly problems: readonly string[];
  /** The `_bucket` series it reads, when the shape is right. */
  readonly bucketSeries?: string;
}

export interface ParsedExpr {
  readonly error?: string;
  readonly selectors: readonly SelectorUse[];
  readonly quantiles: readonly QuantileUse[];
  /** Functions applied directly to a range of a series: `deriv`, `delta`, ... with that series. */
  readonly rangeCalls: readonly { fn: string; metric: string }[];
  /** Every label named in a `by (...)` grouping. */
  readonly groupingLabels: readonly string[];
}

const MATCH_OPS: Record<string, LabelMatcher['op']> = { EqlSingle: '=', Neq: '!=', EqlRegex: '=~', NeqRegex: '!~' };

/** Grafana template variables, replaced so the expression parses as Prometheus will run it. */
export function substituteGrafanaVariables(expr: string): string {
  return expr
    .replace(/\$\{?__(rate_interval|interval|range)(?::[^}]*)?\}?/g, '5m')
    .replace(/\$\{[A-Za-z_]\w*(?::[^}]*)?\}/g, '.*')
    .replace(/\$[A-Za-z_]\w*/g, '.*');
}

const unquote = (s: string) => {
  try {
    return s.startsWith('`') ? s.slice(1, -1) : (JSON.parse(s.startsWith("'") ? `"${s.slice(1, -1).replace(/"/g, '\\"')}"` : s) as string);
  } catch {
    return s.slice(1, -1);
  }
};

function children(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) out.push(c);
  return out;
}

/** Strips parentheses: `(x)` is x. */
function unwrap(node: SyntaxNode): SyntaxNode {
  while (node.name === 'ParenExpr' && node.firstChild) node = children(node).find((c) => c.name !== '(' && c.name !== ')') ?? node;
  return node;
}

export function parsePromQL(expr: string): ParsedExpr {
  const tree = parser.parse(expr);
  const text = (n: SyntaxNode) => expr.slice(n.from, n.to);
  let error: string | undefined;
  const selectors: SelectorUse[] = [];
  const quantiles: QuantileUse[] = [];
  const rangeCalls: { fn: string; metric: string }[] = [];
  const groupingLabels: string[] = [];

  const selectorOf = (vs: SyntaxNode, rangeFunction?: string): SelectorUse => {
    const id = vs.getChild('Identifier');
    const matchers: LabelMatcher[] = [];
    let metric = id ? text(id) : '';
    for (const m of vs.getChild('LabelMatchers')?.getChildren('UnquotedLabelMatcher') ?? []) {
      const op = MATCH_OPS[m.getChild('MatchOp')?.firstChild?.name ?? ''] ?? '=';
      const label = text(m.getChild('LabelName')!);
      const value = unquote(text(m.getChild('StringLiteral')!));
      if (label === '__name__' && op === '=') metric = value;
      else matchers.push({ label, op, value });
    }
    return { metric, matchers, ...(rangeFunction ? { rangeFunction } : {}) };
  };

  const functionName = (call: SyntaxNode) => text(call.getChild('FunctionIdentifier')!);
  const args = (call: SyntaxNode) => children(call.getChild('FunctionCallBody') ?? call).filter((c) => !['(', ')', ','].includes(c.name));

  tree.iterate({
    enter: (ref) => {
      const node = ref.node;
      if (node.type.isError && error === undefined) error = `syntax error at character ${node.from + 1}: "${expr.slice(Math.max(0, node.from - 10), node.from + 10)}"`;
      if (node.name === 'GroupingLabels' && node.parent?.getChild('By')) {
        for (const l of node.getChildren('LabelName')) groupingLabels.push(text(l));
      }
      if (node.name === 'VectorSelector') {
        const range = node.parent?.name === 'MatrixSelector' ? node.parent : undefined;
        const call = range?.parent?.parent?.name === 'FunctionCall' ? range.parent.parent : undefined;
        const use = selectorOf(node, call ? functionName(call) : undefined);
        selectors.push(use);
        if (call && ['deriv', 'delta', 'idelta', 'predict_linear'].includes(functionName(call))) rangeCalls.push({ fn: functionName(call), metric: use.metric });
      }
      if (node.name === 'FunctionCall' && functionName(node) === 'histogram_quantile') quantiles.push(quantileUse(node));
    },
  });

  function quantileUse(call: SyntaxNode): QuantileUse {
    const [phiNode, argNode] = args(call);
    const phi = phiNode && /^[\d.]+$/.test(text(phiNode)) ? Number(text(phiNode)) : undefined;
    const problems: string[] = [];
    if (!argNode) return { phi, problems: ['histogram_quantile needs two arguments'] };
    const agg = unwrap(argNode);
    if (agg.name !== 'AggregateExpr') return { phi, problems: ['its second argument must be an aggregation over buckets, e.g. sum by (le) (rate(x_bucket[5m]))'] };
    const modifier = agg.getChild('AggregateModifier');
    const labels = modifier?.getChild('GroupingLabels')?.getChildren('LabelName').map(text) ?? [];
    const keepsLe = modifier?.getChild('By') ? labels.includes('le') : modifier?.getChild('Without') ? !labels.includes('le') : false;
    if (!keepsLe) problems.push('the aggregation must keep the `le` label (by (..., le))');
    const inner = args(agg).map(unwrap)[0];
    const innerCall = inner?.name === 'FunctionCall' ? inner : undefined;
    const fn = innerCall ? functionName(innerCall) : undefined;
    const vs = innerCall ? args(innerCall).map(unwrap)[0]?.getChild('VectorSelector') : undefined;
    if (!innerCall || !['rate', 'increase', 'irate'].includes(fn!) || !vs) {
      problems.push('it must aggregate rate(...) or increase(...) of a _bucket series');
      return { phi, problems };
    }
    const metric = selectorOf(vs).metric;
    if (!metric.endsWith('_bucket')) problems.push(`it reads ${metric}, which is not a _bucket series`);
    return { phi, problems, bucketSeries: metric };
  }

  return { ...(error ? { error } : {}), selectors, quantiles, rangeCalls, groupingLabels };
}
