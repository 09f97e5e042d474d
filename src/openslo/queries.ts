// An OpenSLO query as catalog series: `sel`, `sum(sel)`, `sum by (...) (sel)` or the same around
// `rate(sel[w])`/`increase(sel[w])` (sloth's `{{.window}}` template too) is one selector of the
// counter the consumer takes the increase of; anything else is raw PromQL, kept as written.
import { metrics, seriesIndex, type Metric } from '../catalog/index.js';
import {
  callArgs,
  functionName,
  parseTree,
  hasSyntaxError,
  selectorOf,
  unwrapParens,
  type LabelMatcher,
  type SyntaxNode,
} from '../kernel/promql.js';

/** A catalog series a query selects: the metric's binding in src/catalog/metrics.ts, its sub-series, matchers. */
export interface SeriesRef {
  readonly metric: Metric;
  readonly binding: string;
  readonly sub?: 'bucket' | 'count' | 'sum';
  readonly matchers: readonly LabelMatcher[];
}

export type QueryShape =
  | { readonly kind: 'series'; readonly ref: SeriesRef }
  | { readonly kind: 'raw'; readonly query: string; readonly why: string };

/** sloth's window placeholder, and any other Go template action, as the window. */
export const fillTemplate = (query: string, window: string) => query.replace(/\{\{\s*\.window\s*\}\}/g, window);

const bindings = new Map<Metric, string>(Object.entries(metrics).map(([name, m]) => [m as Metric, name] as const));

/** The one vector selector a query counts, if it is of the simple shape. */
function plainSelector(query: string): SyntaxNode | undefined {
  const tree = parseTree(query);
  if (hasSyntaxError(tree)) return undefined;
  let node = unwrapParens(tree.topNode.firstChild ?? tree.topNode);
  if (node.name === 'AggregateExpr' && functionName(node, query) === 'sum') {
    const args = callArgs(node).filter((n) => n.name !== '(' && n.name !== ')' && n.name !== ',');
    if (args.length !== 1) return undefined;
    node = unwrapParens(args[0]!);
  }
  if (node.name === 'FunctionCall' && ['rate', 'increase'].includes(functionName(node, query))) {
    const args = callArgs(node).filter((n) => n.name === 'MatrixSelector');
    if (args.length !== 1) return undefined;
    node = args[0]!.getChild('VectorSelector') ?? args[0]!;
  }
  return node.name === 'VectorSelector' ? node : undefined;
}

export function queryShape(query: string): QueryShape {
  const node = plainSelector(query);
  if (!node) return { kind: 'raw', query, why: 'not a single counter selector (sum of one selector, or of its rate)' };
  const sel = selectorOf(node, query);
  const info = seriesIndex().get(sel.metric);
  if (!info) return { kind: 'raw', query, why: `${sel.metric || 'the selector'} is not in the catalog` };
  const metric = info.metric;
  const suffix = sel.metric.slice(metric.name.length);
  const sub = suffix === '_bucket' ? 'bucket' : suffix === '_count' ? 'count' : suffix === '_sum' ? 'sum' : undefined;
  const allowed = new Set([...info.labelNames, 'job', 'instance']);
  const foreign = sel.matchers.find((m) => !allowed.has(m.label));
  if (foreign) return { kind: 'raw', query, why: `${sel.metric} has no label ${foreign.label} in the catalog` };
  const binding = bindings.get(metric)!;
  return { kind: 'series', ref: { metric, binding, ...(sub ? { sub } : {}), matchers: sel.matchers } };
}

/** `query` with every counter selector turned into its rate over `window`: the raw escape hatch's expression. */
export function rateOf(query: string, window: string): string {
  const tree = parseTree(query);
  const spans: Array<[number, number]> = [];
  tree.iterate({
    enter: (ref) => {
      if (ref.name === 'MatrixSelector') return false;
      if (ref.name === 'VectorSelector') spans.push([ref.from, ref.to]);
      return undefined;
    },
  });
  let out = query;
  for (const [from, to] of spans.reverse())
    out = `${out.slice(0, from)}rate(${out.slice(from, to)}[${window}])${out.slice(to)}`;
  return out;
}

const negate: Record<LabelMatcher['op'], LabelMatcher['op']> = { '=': '!=', '!=': '=', '=~': '!~', '!~': '=~' };

/**
 * The bad events of good/total as one selector: total's matchers and the one matcher good adds,
 * negated (`code!~"5.."` good is `code=~"5.."` bad). Undefined when good differs in more than one.
 */
export function badFromGood(good: SeriesRef, total: SeriesRef): SeriesRef | undefined {
  if (good.metric !== total.metric || good.sub !== total.sub) return undefined;
  const key = (m: LabelMatcher) => `${m.label}${m.op}${m.value}`;
  const totalKeys = new Set(total.matchers.map(key));
  if (!good.matchers.every((m) => totalKeys.has(key(m)) || !total.matchers.some((t) => t.label === m.label)))
    return undefined;
  const extra = good.matchers.filter((m) => !totalKeys.has(key(m)));
  if (extra.length !== 1) return undefined;
  const m = extra[0]!;
  return { ...total, matchers: [...total.matchers, { label: m.label, op: negate[m.op], value: m.value }] };
}
