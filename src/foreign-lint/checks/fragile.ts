// promql/fragile: alerts that flap or fire falsely by construction. A sampling aggregation
// (`topk(10, x > 0)`) returns other series on each evaluation, so other alerts fire each time; an
// arithmetic operation between two aggregations (`sum(a) / sum(b) > 0.1`) sees a partial sum on one
// side while Prometheus is still scraping its targets after a restart, unless `for` holds it for
// at least one scrape interval.
import { parsePromDuration } from '../../kernel/duration.js';
import { functionName, unwrapParens } from '../../kernel/promql.js';
import { objectOf, type ForeignCheck, type Problem } from '../context.js';
import { binaryParts } from '../labels.js';
import { eachNode, source } from './walk.js';

const SAMPLING = new Set(['topk', 'bottomk', 'limitk', 'limit_ratio']);
const ARITHMETIC = new Set(['Add', 'Sub', 'Mul', 'Div', 'Mod', 'Pow', 'Atan2']);

export const fragileCheck: ForeignCheck = {
  id: 'promql/fragile',
  severity: 'warning',
  summary:
    'an alert that flaps (topk() and other sampling) or fires after a restart (aggregation / aggregation without for)',
  check: (ctx) => {
    const out: Problem[] = [];
    const seen = new Set<string>();
    eachNode(
      ctx.rules.filter((r) => r.kind === 'alert'),
      (node, rule, expr) => {
        const object = objectOf(rule);
        // `topk by (namespace, pod) (1, ...)` picks one series per group, a stable set (kube-prometheus's
        // dedup idiom); without `by` the set of series moves with the values.
        const grouped = node.getChild('AggregateModifier')?.getChild('By');
        if (node.name === 'AggregateExpr' && SAMPLING.has(functionName(node, expr)) && !grouped) {
          out.push({
            file: rule.file,
            object,
            message: `${source(node, expr)}: ${functionName(node, expr)}() can return other series at each evaluation, and each series is an alert: they flap`,
            fix: 'alert on a comparison over all series (x > N) and sort or limit where the alerts are shown',
          });
        }
        if (node.name !== 'BinaryExpr') return;
        const { left, op, right } = binaryParts(node);
        if (!left || !right || !ARITHMETIC.has(op)) return;
        if (unwrapParens(left).name !== 'AggregateExpr' || unwrapParens(right).name !== 'AggregateExpr') return;
        const held = rule.for === undefined ? 0 : (parsePromDuration(rule.for) ?? 0);
        if (held >= ctx.scrapeInterval || seen.has(object)) return;
        seen.add(object);
        out.push({
          file: rule.file,
          object,
          message: `${source(node, expr)}: both sides aggregate, and after a Prometheus restart one side can hold only the targets scraped so far; with ${rule.for === undefined ? 'no for' : `for: ${rule.for}`} that one evaluation fires`,
          fix: `add for: of at least one scrape interval (${Math.round(ctx.scrapeInterval)}s) to the alert`,
        });
      },
    );
    return out;
  },
};
