// PromQL text to construct source: each vector selector of a catalog series whose matchers are all
// labels of that series becomes `metrics.<binding>.select({...})` in a promql`` template; the rest of
// the text is kept as written. An expression with no such selector is `rawPromql(...)`, the escape
// hatch. Selectors are found with the one lezer parser (src/kernel/promql.ts), never with regexes.
import * as catalogMetrics from '../catalog/metrics.js';
import { Counter, Gauge, Histogram, NativeHistogram, TARGET_LABELS, seriesIndex } from '../catalog/index.js';
import {
  children,
  hasSyntaxError,
  parseTree,
  selectorOf,
  unquote,
  type MatchOp,
  type SyntaxNode,
} from '../kernel/promql.js';
import { substituteWithOriginal } from '../lint/promql.js';
import { templateText, textLiteral, tsString } from './ts-source.js';
import type { Untyped } from './untyped.js';

/** Series name -> the TypeScript that selects it (`metrics.httpRequestDuration.bucket`). */
function bindings(): Map<string, string> {
  const out = new Map<string, string>();
  for (const [binding, m] of Object.entries(catalogMetrics)) {
    if (m instanceof Histogram) {
      for (const part of ['bucket', 'sum', 'count'] as const)
        out.set(`${m.name}_${part}`, `metrics.${binding}.${part}`);
    } else if (m instanceof Counter || m instanceof Gauge || m instanceof NativeHistogram) {
      out.set(m.name, `metrics.${binding}`);
    }
  }
  return out;
}

const BINDINGS = bindings();
const SERIES = seriesIndex();

/** How each operator is written in a select() call. */
const MATCHER_CODE: Record<MatchOp, (v: string) => string> = {
  '=': (v) => tsString(v),
  '=~': (v) => `re(${tsString(v)})`,
  '!=': (v) => `ne(${tsString(v)})`,
  '!~': (v) => `notRe(${tsString(v)})`,
};

export interface ExprSource {
  /** A TypeScript expression evaluating to an Expr. */
  readonly code: string;
  /** How many selectors became catalog references. */
  readonly typed: number;
  readonly untyped: readonly Omit<Untyped, 'where'>[];
  /** The helpers the code calls (`re`, `promql`, `rawPromql`, `metrics`). */
  readonly uses: ReadonlySet<string>;
}

interface Splice {
  readonly from: number;
  readonly to: number;
  readonly code: string;
}

/** Why a selector cannot be typed, or its select() call. */
function typeSelector(
  vs: SyntaxNode,
  text: string,
  original: (from: number, to: number) => string,
): { code: string } | { what: string; reason: string } {
  const sel = selectorOf(vs, text);
  if (sel.nameMatcher) return { what: sel.metric || `{__name__${sel.nameMatcher.op}...}`, reason: 'matches __name__' };
  if (!sel.metric) return { what: original(vs.from, vs.to), reason: 'selects no metric name' };
  const ref = BINDINGS.get(sel.metric);
  const info = SERIES.get(sel.metric);
  if (!ref || !info) return { what: sel.metric, reason: 'not in the catalog' };
  const allowed = new Set<string>([...info.labelNames, ...TARGET_LABELS]);
  // Matcher values as written (Grafana variables kept), from the original text of each string literal.
  const matchers: { label: string; op: MatchOp; value: string }[] = [];
  const matcherNodes = children(vs.getChild('LabelMatchers') ?? vs).filter((m) => m.name.endsWith('LabelMatcher'));
  matcherNodes.forEach((m, i) => {
    const valueNode = m.getChild('StringLiteral');
    const parsed = sel.matchers[i];
    if (parsed && valueNode) matchers.push({ ...parsed, value: unquote(original(valueNode.from, valueNode.to)) });
  });
  if (matchers.length !== sel.matchers.length || matchers.length !== matcherNodes.length)
    return { what: sel.metric, reason: 'has a matcher the import cannot read' };
  const seen = new Set<string>();
  for (const m of matchers) {
    if (!allowed.has(m.label)) return { what: sel.metric, reason: `label ${m.label} is not one of its catalog labels` };
    if (seen.has(m.label)) return { what: sel.metric, reason: `matches label ${m.label} twice` };
    seen.add(m.label);
  }
  const args = matchers.map((m) => `${m.label}: ${MATCHER_CODE[m.op](m.value)}`).join(', ');
  return { code: `${ref}.select(${args ? `{ ${args} }` : ''})` };
}

/** `expr` as source; `grafana` substitutes dashboard variables ($__rate_interval, $job) so it parses. */
export function exprSource(expr: string, grafana: boolean): ExprSource {
  const { text, original } = grafana
    ? substituteWithOriginal(expr)
    : { text: expr, original: (from: number, to: number) => expr.slice(from, to) };
  const raw = (untyped: ExprSource['untyped']): ExprSource => ({
    code: `rawPromql(${textLiteral(expr)})`,
    typed: 0,
    untyped,
    uses: new Set(['rawPromql']),
  });
  const tree = parseTree(text);
  if (!expr.trim() || hasSyntaxError(tree))
    return raw([{ what: expr.trim().slice(0, 60) || '(empty)', reason: 'does not parse as PromQL' }]);
  // Offsets in the original text: the substituted prefix mapped back.
  const at = (pos: number) => original(0, pos).length;
  const splices: Splice[] = [];
  const untyped: Omit<Untyped, 'where'>[] = [];
  const uses = new Set<string>();
  tree.iterate({
    enter: (ref) => {
      if (ref.name !== 'VectorSelector') return;
      const t = typeSelector(ref.node, text, original);
      if ('code' in t) {
        splices.push({ from: at(ref.from), to: at(ref.to), code: t.code });
        uses.add('metrics');
        for (const helper of ['re', 'ne', 'notRe']) if (t.code.includes(`${helper}(`)) uses.add(helper);
      } else untyped.push(t);
      return false;
    },
  });
  if (!splices.length) return raw(untyped);
  let code = '';
  let pos = 0;
  for (const s of splices) {
    code += `${templateText(expr.slice(pos, s.from))}\${${s.code}}`;
    pos = s.to;
  }
  code += templateText(expr.slice(pos));
  uses.add('promql');
  return { code: `promql\`${code}\``, typed: splices.length, untyped, uses };
}

/** The import lines the generated module needs for the helpers its expressions call. */
export function exprImports(uses: ReadonlySet<string>, path: (module: string) => string): string[] {
  const lines: string[] = [];
  const catalog = ['metrics', 're', 'ne', 'notRe'].filter((u) => uses.has(u));
  if (catalog.length) lines.push(`import { ${catalog.join(', ')} } from '${path('catalog/index.js')}';`);
  if (uses.has('promql')) lines.push(`import { promql } from '${path('promql/expr.js')}';`);
  if (uses.has('rawPromql')) lines.push(`import { rawPromql } from '${path('promql/raw.js')}';`);
  return lines;
}
