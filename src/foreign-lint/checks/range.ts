// promql/rate (the range half): rate() and friends need two samples in their window, so a window
// under 2 scrape intervals returns nothing at times (an error); under 4 it misses a sample now and
// then and jumps (a warning: Grafana's $__rate_interval keeps 4). The interval is --scrape-interval
// (Prometheus's default 1m) for scraped series, the group's interval for a series a rule records.
import { formatPromDuration } from '../../kernel/duration.js';
import { callArgs, functionName, rangeWindowOf, selectorOf, unwrapParens } from '../../kernel/promql.js';
import { objectOf, type ForeignCheck, type Problem } from '../context.js';
import { eachNode, source } from './walk.js';

const NEEDS_TWO = new Set(['rate', 'irate', 'increase', 'delta', 'idelta', 'deriv', 'changes', 'resets']);

export const rangeCheck: ForeignCheck = {
  id: 'promql/rate',
  severity: 'error',
  summary: 'rate(), increase() and the like over a window shorter than 2 scrape intervals (warning under 4)',
  check: (ctx) => {
    const recordedEvery = new Map(
      ctx.rules.filter((r) => r.kind === 'record').map((r) => [r.name, r.groupInterval ?? ctx.scrapeInterval]),
    );
    const out: (Problem & { severity?: 'warning' })[] = [];
    eachNode(ctx.rules, (node, rule, expr) => {
      if (node.name !== 'FunctionCall' || !NEEDS_TWO.has(functionName(node, expr))) return;
      const arg = callArgs(node)[0];
      const inner = arg && unwrapParens(arg);
      const window = inner && rangeWindowOf(inner, expr);
      if (!inner || !window?.seconds) return;
      const vs = inner.getChild('VectorSelector');
      const metric = vs ? selectorOf(vs, expr).metric : '';
      const interval =
        window.step?.seconds ??
        (inner.name === 'SubqueryExpr' ? undefined : recordedEvery.get(metric)) ??
        ctx.scrapeInterval;
      const samples = window.seconds / interval;
      if (samples >= 4) return;
      const fn = functionName(node, expr);
      const needed = fn === 'irate' || fn === 'idelta' ? 2 : 4;
      if (samples >= needed) return;
      out.push({
        file: rule.file,
        object: objectOf(rule),
        message: `${source(node, expr)}: the ${window.text} window holds ${samples < 2 ? 'fewer than 2' : 'fewer than 4'} samples at one every ${formatPromDuration(interval)}${samples < 2 ? `, and ${fn}() needs 2: it returns nothing at times` : ': it misses samples and jumps'}`,
        fix: `widen the window to at least ${formatPromDuration(interval * 4)} (4 samples), or pass --scrape-interval if the targets are scraped more often`,
        ...(samples >= 2 ? { severity: 'warning' as const } : {}),
      });
    });
    return out;
  },
};
