// Which labels a PromQL expression's result can carry, as far as its syntax says: `sum(x)` has
// none, `sum by (job) (x)` only `job`, a selector any (at least those it matches with `=`).
// Enough for the offline checks that a label an aggregation removed is not used afterwards.
import {
  callArgs,
  children,
  functionName,
  selectorOf,
  unquote,
  unwrapParens,
  type SyntaxNode,
} from '../kernel/promql.js';

/** `exact`: the result has at most these labels; `open`: any labels, and surely `sure` among them. */
export type LabelSet =
  | { readonly kind: 'exact'; readonly labels: ReadonlySet<string> }
  | { readonly kind: 'open'; readonly sure: ReadonlySet<string>; readonly removed: ReadonlySet<string> };

const exact = (labels: Iterable<string>): LabelSet => ({ kind: 'exact', labels: new Set(labels) });
const open = (sure: Iterable<string> = [], removed: Iterable<string> = []): LabelSet => ({
  kind: 'open',
  sure: new Set(sure),
  removed: new Set(removed),
});
const NONE = exact([]);

/** Whether the result can carry `label`. */
export const canHave = (set: LabelSet, label: string): boolean =>
  set.kind === 'exact' ? set.labels.has(label) : !set.removed.has(label);

/** Labels listed in a `by (...)`, `on (...)`, `group_left (...)` clause. */
export function groupingLabels(clause: SyntaxNode | null, expr: string): string[] {
  const labels = clause?.getChild('GroupingLabels');
  return labels ? children(labels).map((l) => expr.slice(l.from, l.to).replace(/^"|"$/g, '')) : [];
}

/** The `by`/`without` modifier of an aggregation: its kind and labels. */
export function aggregateModifier(node: SyntaxNode, expr: string): { by?: string[]; without?: string[] } {
  const mod = node.getChild('AggregateModifier');
  if (!mod) return {};
  const labels = groupingLabels(mod, expr);
  return mod.getChild('Without') ? { without: labels } : { by: labels };
}

export function labelsOf(node: SyntaxNode, expr: string): LabelSet {
  const n = unwrapParens(node);
  switch (n.name) {
    case 'VectorSelector': {
      const s = selectorOf(n, expr);
      return open(s.matchers.filter((m) => m.op === '=' && m.value !== '').map((m) => m.label));
    }
    case 'MatrixSelector':
    case 'SubqueryExpr':
    case 'OffsetExpr':
    case 'StepInvariantExpr':
      return n.firstChild ? labelsOf(n.firstChild, expr) : open();
    case 'NumberDurationLiteral':
    case 'NumberLiteral':
    case 'StringLiteral':
      return NONE;
    case 'AggregateExpr': {
      const { by, without } = aggregateModifier(n, expr);
      const args = callArgs(n);
      const inner = args.length ? labelsOf(args[args.length - 1]!, expr) : open();
      const op = functionName(n, expr);
      // count_values adds its label; topk/bottomk/limitk keep the series as they are.
      if (['topk', 'bottomk', 'limitk', 'limit_ratio'].includes(op)) return inner;
      const extra = op === 'count_values' && args[0] ? [unquote(expr.slice(args[0].from, args[0].to))] : [];
      if (by) return exact([...by.filter((l) => canHave(inner, l)), ...extra]);
      if (without) {
        if (inner.kind === 'exact') return exact([...inner.labels].filter((l) => !without.includes(l)));
        return open(
          [...inner.sure].filter((l) => !without.includes(l)),
          [...inner.removed, ...without],
        );
      }
      return exact(extra);
    }
    case 'FunctionCall':
      return functionLabels(n, expr);
    case 'UnaryExpr':
      return n.lastChild ? labelsOf(n.lastChild, expr) : open();
    case 'BinaryExpr':
      return binaryLabels(n, expr);
    default:
      return open();
  }
}

function functionLabels(n: SyntaxNode, expr: string): LabelSet {
  const fn = functionName(n, expr);
  const args = callArgs(n);
  if (['vector', 'time', 'pi', 'scalar', 'day_of_month', 'day_of_week', 'hour', 'minute', 'month', 'year'].includes(fn))
    return args.length && !['vector', 'scalar'].includes(fn) ? labelsOf(args[0]!, expr) : NONE;
  if (fn === 'absent' || fn === 'absent_over_time') {
    // absent() returns the selector's `=` matchers as labels, nothing else.
    const vs = args[0] && findSelector(args[0]);
    const s = vs ? selectorOf(vs, expr) : undefined;
    return exact(s ? s.matchers.filter((m) => m.op === '=').map((m) => m.label) : []);
  }
  const first = args.find((a) => !/Literal$/.test(unwrapParens(a).name));
  const inner = first ? labelsOf(first, expr) : NONE;
  if (fn === 'histogram_quantile' && args[1]) return without(labelsOf(args[1], expr), 'le');
  if ((fn === 'label_replace' || fn === 'label_join') && args[1]) {
    const dst = unquote(expr.slice(args[1].from, args[1].to));
    return inner.kind === 'exact'
      ? exact([...inner.labels, dst])
      : open(
          [...inner.sure, dst],
          [...inner.removed].filter((l) => l !== dst),
        );
  }
  return inner;
}

const without = (set: LabelSet, label: string): LabelSet =>
  set.kind === 'exact'
    ? exact([...set.labels].filter((l) => l !== label))
    : open(
        [...set.sure].filter((l) => l !== label),
        [...set.removed, label],
      );

function findSelector(node: SyntaxNode): SyntaxNode | undefined {
  if (node.name === 'VectorSelector') return node;
  for (let c = node.firstChild; c; c = c.nextSibling) {
    const found = findSelector(c);
    if (found) return found;
  }
  return undefined;
}

/** A binary expression's matching clause: `on`/`ignoring` labels and `group_left`/`group_right` labels. */
export function matching(modifier: SyntaxNode | null, expr: string) {
  const out: { on?: string[]; ignoring?: string[]; group?: 'left' | 'right'; extra: string[] } = { extra: [] };
  let last = '';
  for (const c of modifier ? children(modifier) : []) {
    if (c.name === 'GroupingLabels') {
      const labels = children(c).map((l) => expr.slice(l.from, l.to).replace(/^"|"$/g, ''));
      if (last === 'On') out.on = labels;
      else if (last === 'Ignoring') out.ignoring = labels;
      else if (last === 'GroupLeft' || last === 'GroupRight') out.extra = labels;
    } else last = c.name;
    if (c.name === 'GroupLeft') out.group = 'left';
    if (c.name === 'GroupRight') out.group = 'right';
  }
  return out;
}

/** The parts of a binary expression: operands, operator name, matching clause. */
export function binaryParts(n: SyntaxNode) {
  const kids = children(n).filter((c) => c.name !== 'LineComment');
  const at = kids.findIndex(
    (c, i) => i > 0 && /^(And|Or|Unless|Add|Sub|Mul|Div|Mod|Pow|Atan2|Gtr|Gte|Lss|Lte|Eql|Neq)$/.test(c.name),
  );
  const modifier = kids.find((c) => c.name === 'MatchingModifierClause') ?? null;
  const right = kids.slice(at + 1).find((c) => c.name !== 'BoolModifier' && c.name !== 'MatchingModifierClause');
  return {
    left: kids[at - 1],
    op: kids[at]?.name ?? '',
    right,
    modifier,
    bool: kids.some((c) => c.name === 'BoolModifier'),
  };
}

/** A scalar: a number, time(), scalar(...), pi(), or arithmetic of those (no labels, matches every series). */
function isScalar(node: SyntaxNode, expr: string): boolean {
  const n = unwrapParens(node);
  if (/Literal$/.test(n.name)) return true;
  if (n.name === 'FunctionCall') return ['time', 'scalar', 'pi'].includes(functionName(n, expr));
  if (n.name === 'UnaryExpr') return n.lastChild ? isScalar(n.lastChild, expr) : false;
  if (n.name === 'BinaryExpr') {
    const { left, right } = binaryParts(n);
    return !!left && !!right && isScalar(left, expr) && isScalar(right, expr);
  }
  return false;
}

function binaryLabels(n: SyntaxNode, expr: string): LabelSet {
  const { left, op, right, modifier } = binaryParts(n);
  if (!left || !right) return open();
  const l = labelsOf(left, expr);
  const r = labelsOf(right, expr);
  if (op === 'Or') return l.kind === 'exact' && r.kind === 'exact' ? exact([...l.labels, ...r.labels]) : open();
  if (op === 'And' || op === 'Unless') return l;
  // A scalar on one side: the vector side's labels.
  if (isScalar(right, expr)) return l;
  if (isScalar(left, expr)) return r;
  const { on, group, extra } = matching(modifier, expr);
  const side = group === 'right' ? r : l;
  if (group)
    return side.kind === 'exact' ? exact([...side.labels, ...extra]) : open([...side.sure, ...extra], side.removed);
  // One-to-one matching with on(...): only the on labels are left.
  if (on) return exact(on.filter((x) => canHave(l, x)));
  return l;
}
