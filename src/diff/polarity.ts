// Which way a comparison inside an alert's expression pulls: does letting more series through it
// make the alert fire more (polarity +1), less (-1), or is that unknowable here (0)? The top level
// is +1; each operator passes its operands a polarity for their series (does one more series here
// mean more alerts?) and for their values (does a higher value here mean more alerts?):
//
//   A and B, A or B      both sides keep the polarity (B's value is irrelevant to `and`)
//   A unless B           B is inverted: `x > 0.9 unless maintenance > 0` with the guard lowered
//                        to `> 0` suppresses more series: fewer alerts, weaker
//   absent(X), absent_over_time(X)
//                        inverted: `absent(up{job="api"} == 1)` fires when no series matches, so
//                        a looser `== 1` filter makes it fire less
//   X > N, X < N         X's series keep the polarity; X's values take it for `>`, flip it for `<`
//   X > bool N           the threshold is judged by the value polarity (it yields 0/1, not fewer series)
//   -X, N - X, N / X     flip the value polarity
//   sum, count, max, min series feed the value (one more series raises a count), so a filter
//                        inside `count(x > 5) > 3` keeps the outer polarity; avg, quantile, topk:
//                        unknown (0), and so `review`
//
// Two signals that disagree make 0 (unknown): such a comparison is never judged weaker or stricter.
import { callArgs, children, functionName, type SyntaxNode } from '../kernel/promql.js';

/** +1 more alerts, -1 fewer, 0 unknown, null: irrelevant (the alert does not depend on it). */
export type Polarity = 1 | -1 | 0 | null;
interface Context {
  readonly series: Polarity;
  readonly value: Polarity;
}

const neg = (p: Polarity): Polarity => (p === null || p === 0 ? p : p === 1 ? -1 : 1);
const both = (a: Polarity, b: Polarity): Polarity => (a === null ? b : b === null ? a : a === b ? a : 0);
const times = (a: Polarity, sign: 1 | -1 | 0): Polarity =>
  sign === 0 ? (a === null ? null : 0) : sign === 1 ? a : neg(a);

const COMPARE: Record<string, 1 | -1 | 0> = { Gtr: 1, Gte: 1, Lss: -1, Lte: -1, Eql: 0, Neq: 0 };
/** Functions whose output rises with their input's values and keeps its series. */
const MONOTONE = new Set([
  'rate', 'irate', 'increase', 'delta', 'idelta', 'deriv', 'sum_over_time', 'max_over_time', 'min_over_time',
  'avg_over_time', 'last_over_time', 'quantile_over_time', 'clamp', 'clamp_min', 'clamp_max', 'ceil', 'floor',
  'round', 'sqrt', 'exp', 'ln', 'log2', 'log10', 'label_replace', 'label_join', 'sort', 'sort_desc', 'scalar',
  'vector', 'predict_linear',
]); // prettier-ignore
const INVERTING = new Set(['absent', 'absent_over_time']);

/** A comparison node (BinaryExpr, keyed `from:to`) → the polarity its threshold is judged with. */
export function comparisonPolarities(top: SyntaxNode, expr: string): Map<string, Polarity> {
  const out = new Map<string, Polarity>();
  const walk = (node: SyntaxNode, ctx: Context): void => {
    const kids = children(node).filter((c) => c.name !== 'LineComment');
    if (node.name === 'BinaryExpr') {
      const at = kids.findIndex(
        (c) => /^(And|Or|Unless|Add|Sub|Mul|Div|Mod|Pow|Atan2)$/.test(c.name) || c.name in COMPARE,
      );
      const op = kids[at]?.name ?? '';
      const left = kids[at - 1];
      const right = kids.slice(at + 1).find((c) => c.name !== 'BoolModifier' && c.name !== 'MatchingModifierClause');
      if (!left || !right) return kids.forEach((k) => walk(k, ctx));
      if (op in COMPARE) {
        const bool = kids.some((c) => c.name === 'BoolModifier');
        const dir = COMPARE[op]!;
        out.set(`${node.from}:${node.to}`, bool ? ctx.value : ctx.series);
        const value = bool ? ctx.value : ctx.series;
        walk(left, { series: ctx.series, value: times(value, dir) });
        walk(right, { series: ctx.series, value: times(value, dir === 0 ? 0 : dir === 1 ? -1 : 1) });
        return;
      }
      const [l, r]: [Context, Context] =
        op === 'And'
          ? [ctx, { series: ctx.series, value: null }]
          : op === 'Or'
            ? [ctx, ctx]
            : op === 'Unless'
              ? [ctx, { series: neg(ctx.series), value: null }]
              : op === 'Add' || op === 'Mul'
                ? [ctx, ctx]
                : op === 'Sub' || op === 'Div'
                  ? [ctx, { series: ctx.series, value: neg(ctx.value) }]
                  : [
                      { series: ctx.series, value: times(ctx.value, 0) },
                      { series: ctx.series, value: times(ctx.value, 0) },
                    ];
      walk(left, l);
      walk(right, r);
      return;
    }
    if (node.name === 'UnaryExpr') {
      const negate = kids[0] && expr.slice(kids[0].from, kids[0].to).trim() === '-';
      return kids.slice(1).forEach((k) => walk(k, negate ? { ...ctx, value: neg(ctx.value) } : ctx));
    }
    if (node.name === 'FunctionCall') {
      const fn = functionName(node, expr);
      const inner: Context = INVERTING.has(fn)
        ? { series: neg(ctx.series), value: null }
        : MONOTONE.has(fn)
          ? ctx
          : { series: ctx.series, value: times(ctx.value, 0) };
      return callArgs(node).forEach((k) => walk(k, inner));
    }
    if (node.name === 'AggregateExpr') {
      const fn = functionName(node, expr);
      const inner: Context =
        fn === 'count'
          ? { series: both(ctx.series, ctx.value), value: null }
          : fn === 'sum' || fn === 'max'
            ? { series: both(ctx.series, ctx.value), value: ctx.value }
            : fn === 'min'
              ? { series: both(ctx.series, neg(ctx.value)), value: ctx.value }
              : fn === 'group'
                ? { series: ctx.series, value: null }
                : { series: times(ctx.series, 0), value: times(ctx.value, 0) };
      return callArgs(node).forEach((k) => walk(k, inner));
    }
    kids.forEach((k) => walk(k, ctx));
  };
  walk(top, { series: 1, value: null });
  return out;
}
