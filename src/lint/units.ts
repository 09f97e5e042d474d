// What unit a PromQL expression's values are in, worked out from the catalog: a p95 over a
// `_seconds` histogram is in seconds, a ratio of two rates is a ratio, rate() of a counter is per
// second, a `_bytes` gauge is bytes. Multiplying by a number literal changes the scale (`* 1000`
// turns seconds into milliseconds). Undefined wherever the expression does not say.
import type { SeriesInfo } from '../catalog/index.js';
import { children as kids, hasSyntaxError, parseTree, type SyntaxNode } from '../kernel/promql.js';

/** `factor`: a ratio over a constant share, such as an error ratio over its budget (a burn rate): a multiple, 1 = all of it. */
export type Base = 'seconds' | 'bytes' | 'count' | 'ratio' | 'factor' | 'bool' | 'scalar';

export interface Quantity {
  readonly base: Base;
  /** A rate: the base unit per second. */
  readonly perSecond: boolean;
  /** The value is in `scale` × the base unit: 1e-3 for milliseconds, 0.01 for percent. */
  readonly scale: number;
  /** How the unit follows from the expression, for messages. */
  readonly why: string;
  /** A number literal's value. */
  readonly value?: number;
}

export interface UnitSources {
  readonly series: ReadonlyMap<string, SeriesInfo>;
  /** A recording rule's expression, to follow series that are rules. */
  readonly recordExpr: (record: string) => string | undefined;
}

const SAME_AS_ARG = new Set([
  'increase',
  'delta',
  'idelta',
  'avg_over_time',
  'min_over_time',
  'max_over_time',
  'sum_over_time',
  'last_over_time',
  'stddev_over_time',
  'mad_over_time',
  'abs',
  'ceil',
  'floor',
  'round',
  'clamp',
  'clamp_min',
  'clamp_max',
  'sort',
  'sort_desc',
  'label_replace',
  'label_join',
  'scalar',
  'predict_linear',
]);
const PER_SECOND = new Set(['rate', 'irate', 'deriv']);
const COUNTS = new Set(['count_over_time', 'changes', 'resets']);
const BOOLS = new Set(['absent', 'absent_over_time', 'present_over_time']);
const KEEP_AGG = new Set([
  'sum',
  'min',
  'max',
  'avg',
  'topk',
  'bottomk',
  'quantile',
  'stddev',
  'limitk',
  'limit_ratio',
]);
const COMPARISONS = new Set(['Eql', 'Neq', 'Gtr', 'Lss', 'Gte', 'Lte']);
const WRAPPERS = new Set(['ParenExpr', 'OffsetExpr', 'StepInvariantExpr', 'MatrixSelector', 'SubqueryExpr']);

const q = (base: Base, why: string, extra: Partial<Quantity> = {}): Quantity => ({
  base,
  perSecond: false,
  scale: 1,
  why,
  ...extra,
});

export function inferUnit(
  expr: string,
  sources: UnitSources,
  seen: ReadonlySet<string> = new Set(),
): Quantity | undefined {
  const tree = parseTree(expr);
  if (hasSyntaxError(tree)) return undefined;
  const text = (n: SyntaxNode) => expr.slice(n.from, n.to);

  const selector = (vs: SyntaxNode): Quantity | undefined => {
    const name = vs.getChild('Identifier') ? text(vs.getChild('Identifier')!) : '';
    const info = sources.series.get(name);
    if (info) {
      const unit = info.metric.spec.unit;
      if (name.endsWith('_bucket') || name.endsWith('_count')) return q('count', `${name} counts observations`);
      return q(unit, unit === 'count' ? `${name} is a count` : `${info.metric.name} is in ${unit}`);
    }
    if (name === 'ALERTS') return q('count', 'ALERTS');
    const recorded = seen.has(name) ? undefined : sources.recordExpr(name);
    if (recorded === undefined) return undefined;
    const inner = inferUnit(recorded, sources, new Set([...seen, name]));
    return inner && { ...inner, why: `${name} records ${inner.why}` };
  };

  const visit = (n: SyntaxNode): Quantity | undefined => {
    if (WRAPPERS.has(n.name) || n.name === 'PromQL') return n.firstChild ? visit(n.firstChild) : undefined;
    switch (n.name) {
      case 'NumberDurationLiteral': {
        const value = Number(text(n));
        return Number.isFinite(value) ? q('scalar', text(n), { value }) : undefined;
      }
      case 'VectorSelector':
        return selector(n);
      case 'UnaryExpr': {
        const inner = n.lastChild ? visit(n.lastChild) : undefined;
        return inner && inner.value !== undefined && text(n).trim().startsWith('-')
          ? { ...inner, value: -inner.value }
          : inner;
      }
      case 'FunctionCall':
        return call(n);
      case 'AggregateExpr': {
        const op = text(n.getChild('AggregateOp') ?? n);
        const args = kids(n.getChild('FunctionCallBody') ?? n);
        if (op === 'count' || op === 'count_values') return q('count', `${op}() counts series`);
        if (op === 'group') return q('bool', 'group() is 1 per group');
        return KEEP_AGG.has(op) && args.length ? visit(args.at(-1)!) : undefined;
      }
      case 'BinaryExpr':
        return binary(n);
      default:
        return undefined;
    }
  };

  const call = (n: SyntaxNode): Quantity | undefined => {
    const fn = text(n.getChild('FunctionIdentifier') ?? n);
    const args = kids(n.getChild('FunctionCallBody') ?? n);
    if (fn === 'histogram_quantile') {
      // The quantile is in the unit of the histogram whose buckets it reads.
      const bucket = findSelector(
        args[1],
        (name) =>
          (sources.series.get(name)?.metric.type === 'histogram' && name.endsWith('_bucket')) ||
          sources.series.get(name)?.metric.type === 'native-histogram',
      );
      const metric = bucket ? sources.series.get(bucket)!.metric : undefined;
      return metric && q(metric.spec.unit, `histogram_quantile over ${bucket}, a _${metric.spec.unit} histogram`);
    }
    if (PER_SECOND.has(fn)) {
      const inner = args[0] ? visit(args[0]) : undefined;
      return inner && !inner.perSecond && inner.base !== 'scalar'
        ? { ...inner, perSecond: true, why: `${fn}() of ${inner.why}, per second` }
        : undefined;
    }
    if (COUNTS.has(fn)) return q('count', `${fn}() counts samples`);
    if (BOOLS.has(fn)) return q('bool', `${fn}() is 1 or absent`);
    if (fn === 'time' || fn === 'timestamp') return q('seconds', `${fn}() is a Unix time in seconds`);
    if (fn === 'vector') return args[0] ? visit(args[0]) : undefined;
    if (fn === 'quantile_over_time') return args[1] ? visit(args[1]) : undefined;
    return SAME_AS_ARG.has(fn) && args[0] ? visit(args[0]) : undefined;
  };

  const findSelector = (node: SyntaxNode | undefined, want: (name: string) => boolean): string | undefined => {
    if (!node) return undefined;
    let found: string | undefined;
    tree.iterate({
      from: node.from,
      to: node.to,
      enter: (ref) => {
        if (
          found ||
          ref.from < node.from ||
          ref.to > node.to ||
          ref.name !== 'Identifier' ||
          ref.node.parent?.name !== 'VectorSelector'
        )
          return;
        if (want(expr.slice(ref.from, ref.to))) found = expr.slice(ref.from, ref.to);
      },
    });
    return found;
  };

  const binary = (n: SyntaxNode): Quantity | undefined => {
    const parts = kids(n);
    const op =
      parts.find(
        (p) => !['MatchingModifierClause', 'BoolModifier'].includes(p.name) && p !== parts[0] && p !== parts.at(-1),
      )?.name ?? '';
    const l = parts[0] ? visit(parts[0]) : undefined;
    const r = parts.length > 1 ? visit(parts.at(-1)!) : undefined;
    if (COMPARISONS.has(op))
      return n.getChild('BoolModifier') ? q('bool', 'a comparison with bool') : l && l.base !== 'scalar' ? l : r;
    if (op === 'And' || op === 'Unless') return l;
    if (op === 'Or') return l ?? r;
    if (!l || !r) return undefined;
    const scalar = (x: Quantity) => x.base === 'scalar' && x.value !== undefined;
    switch (op) {
      case 'Mul': {
        // A plain number times a literal: the literal may carry the unit (a period in seconds), which the expression does not say.
        // A factor times a literal: the literal carries a unit the expression does not say (a period in seconds).
        if (scalar(r) && r.value !== 0)
          return l.base === 'factor' ? undefined : { ...l, scale: l.scale / r.value!, why: `${l.why}, times ${r.why}` };
        if (scalar(l) && l.value !== 0)
          return r.base === 'factor' ? undefined : { ...r, scale: r.scale / l.value!, why: `${r.why}, times ${l.why}` };
        return undefined;
      }
      case 'Div':
        // A ratio over a constant share (an error budget) is a factor: a burn rate of 2 means twice the budget.
        if (scalar(r) && r.value !== 0 && l.base === 'ratio' && r.value! < 1)
          return q('factor', `${l.why}, over the share ${r.why}: a factor`);
        if (scalar(r) && r.value !== 0)
          return { ...l, scale: l.scale * r.value!, why: `${l.why}, divided by ${r.why}` };
        if (l.base === r.base && l.perSecond === r.perSecond && l.base !== 'scalar')
          return q('ratio', `a ratio of two ${l.perSecond ? 'rates' : `${l.base} values`}`, {
            scale: l.scale / r.scale,
          });
        return undefined;
      case 'Add':
      case 'Sub':
        if (scalar(r)) return l;
        if (scalar(l)) return r;
        return l.base === r.base && l.perSecond === r.perSecond && l.scale === r.scale ? l : undefined;
      default:
        return undefined;
    }
  };

  return visit(tree.topNode);
}
