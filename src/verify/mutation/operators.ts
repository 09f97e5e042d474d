// Mutation operators over one rule: every constant that decides when an alert fires, changed one at a
// time. Constants are found in the PromQL syntax tree (the Prometheus project's lezer grammar), never
// by pattern-matching the text.
import { children, parses, parseTree, type SyntaxNode, type Tree } from '../../kernel/promql.js';
import { formatPromDuration as formatDuration, parsePromDuration as parseDuration } from '../../kernel/duration.js';
import { formatNumber } from '../../promql/expr.js';
import { APP_SCOPE } from '../../platform.js';

/**
 * Labels that scope a rule to the app (`job="api"` on every selector): one decision, mutated as one.
 * Dropping the scope from one selector of a ratio matched `by (job)` is an equivalent mutant (the
 * other side's scope drops the stray job's series in the match); dropping it from all is the mistake
 * to catch: a rule that reads other services' series.
 */
const SCOPE_LABELS: ReadonlySet<string> = new Set(Object.keys(APP_SCOPE));

/** The parts of a rule a mutant changes. `for: undefined` removes the hold. */
export interface RuleText {
  readonly expr: string;
  readonly for?: string;
}

export interface Mutation {
  /** The constant as it reads in the rule: `0.1`, `[5m]`, `for: 2m`, `reason!~"normal|going_away"`. */
  readonly constant: string;
  /** What the mutant does to it: `×0.5 → 0.05`, `dropped`. */
  readonly change: string;
  readonly rule: RuleText;
}

const FACTORS = [0.5, 2] as const;
const times = (f: number) => (f === 0.5 ? '×0.5' : `×${f}`);

/**
 * Subtrees multiplied by a literal 0 (`x * 0`, the "0 instead of no data" idiom): only whether they
 * return a series matters, never their value, so changing a constant inside them is an equivalent
 * mutant, not a weak test.
 */
function annihilated(expr: string, tree: Tree): [number, number][] {
  const spans: [number, number][] = [];
  tree.iterate({
    enter: (ref) => {
      if (ref.name !== 'BinaryExpr') return;
      const parts = children(ref.node);
      const op = parts.find((p) => p.name === 'Mul');
      if (!op) return;
      const [l, r] = [parts[0]!, parts.at(-1)!];
      const zero = (n: SyntaxNode) => n.name === 'NumberDurationLiteral' && Number(expr.slice(n.from, n.to)) === 0;
      if (zero(r)) spans.push([l.from, l.to]);
      if (zero(l)) spans.push([r.from, r.to]);
    },
  });
  return spans;
}

export function mutationsOf(rule: RuleText): Mutation[] {
  const { expr } = rule;
  const tree = parseTree(expr);
  const dead = annihilated(expr, tree);
  const inDead = (n: SyntaxNode) => dead.some(([from, to]) => n.from >= from && n.to <= to);
  const replace = (n: SyntaxNode, text: string): RuleText => ({
    ...rule,
    expr: expr.slice(0, n.from) + text + expr.slice(n.to),
  });
  const out: Mutation[] = [];
  /** Scope matchers by their text: each occurrence's span with its joining comma. */
  const scopes = new Map<string, [number, number][]>();
  const add = (m: Mutation) => {
    if (m.rule.expr !== expr && !parses(m.rule.expr)) return; // an unloadable mutant proves nothing
    if (m.rule.expr === expr && m.rule.for === rule.for) return; // unchanged: no mutant
    out.push(m);
  };

  tree.iterate({
    enter: (ref) => {
      const n = ref.node;
      if (inDead(n)) return false;
      const text = expr.slice(n.from, n.to);
      if (n.name === 'NumberDurationLiteral') {
        const v = Number(text);
        if (!Number.isFinite(v) || v === 0) return undefined; // ×0.5 and ×2 leave 0 as it is
        for (const f of FACTORS)
          add({
            constant: text,
            change: `${times(f)} → ${formatNumber(v * f)}`,
            rule: replace(n, formatNumber(v * f)),
          });
      }
      if ((n.name === 'MatrixSelector' || n.name === 'SubqueryExpr') && n.getChild('DurationExpr')) {
        const window = n.getChild('DurationExpr')!;
        const seconds = parseDuration(expr.slice(window.from, window.to));
        if (seconds !== undefined) {
          const constant = `[${expr.slice(window.from, window.to)}]`;
          for (const f of FACTORS)
            add({
              constant,
              change: `${times(f)} → [${formatDuration(seconds * f)}]`,
              rule: replace(window, formatDuration(seconds * f)),
            });
        }
      }
      if (n.name === 'UnquotedLabelMatcher' || n.name === 'QuotedLabelMatcher') {
        const list = n.parent!;
        const siblings = children(list).filter(
          (c) => c.name === 'UnquotedLabelMatcher' || c.name === 'QuotedLabelMatcher' || c.name === 'QuotedLabelName',
        );
        const named = list.parent?.getChild('Identifier');
        if (siblings.length === 1 && !named) return undefined; // `{a="b"}` alone cannot lose its only matcher
        // Drop the matcher with the comma that joins it to a neighbour.
        const i = siblings.indexOf(siblings.find((s) => s.from === n.from)!);
        const [from, to] =
          i > 0 ? [siblings[i - 1]!.to, n.to] : siblings.length > 1 ? [n.from, siblings[1]!.from] : [n.from, n.to];
        const negative = /^(!=|!~)$/.test(expr.slice(n.getChild('MatchOp')!.from, n.getChild('MatchOp')!.to));
        const label = n.getChild('LabelName');
        if (label && SCOPE_LABELS.has(expr.slice(label.from, label.to)) && !negative) {
          scopes.set(text, [...(scopes.get(text) ?? []), [from, to]]);
          return undefined;
        }
        add({
          constant: text,
          change: negative ? 'exclusion dropped' : 'filter dropped',
          rule: { ...rule, expr: expr.slice(0, from) + expr.slice(to) },
        });
      }
      return undefined;
    },
  });

  for (const [text, spans] of scopes) {
    const cut = [...spans].sort((a, b) => b[0] - a[0]).reduce((e, [from, to]) => e.slice(0, from) + e.slice(to), expr);
    add({
      constant: text,
      change: spans.length > 1 ? `scope dropped from all ${spans.length} selectors` : 'filter dropped',
      rule: { ...rule, expr: cut },
    });
  }

  if (rule.for !== undefined) {
    const seconds = parseDuration(rule.for);
    if (seconds) {
      for (const f of FACTORS)
        add({
          constant: `for: ${rule.for}`,
          change: `${times(f)} → ${formatDuration(seconds * f)}`,
          rule: { ...rule, for: formatDuration(seconds * f) },
        });
      add({ constant: `for: ${rule.for}`, change: '→ 0 (fires on the first evaluation)', rule: { expr } });
    }
  }
  return out;
}
