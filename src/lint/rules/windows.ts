// Range windows must hold enough samples: rate() over a window shorter than four sample intervals
// sees one or two samples, so it is missing or jumps. Dashboards should let Grafana pick the window
// ($__rate_interval stays at least four scrape intervals wide at any zoom); a fixed window belongs
// on a dashboard only where it mirrors a rule, so the panel shows what the rule sees.
import { formatPromDuration } from '../../kernel/duration.js';
import type { ExprSite, LintContext } from '../context.js';
import { rule, type Problem } from '../rule.js';
import type { RangeUse } from '../promql.js';
import { SOURCE } from './expressions.js';

/** Samples a window must span, as Grafana's $__rate_interval and the Prometheus docs advise. */
export const MIN_SAMPLES = 4;
/** Window variables that Grafana keeps wide enough, or that mean "the whole dashboard range". */
const SAFE_VARIABLES = /^\$\{?__(rate_interval|range)\b/;

const key = (r: RangeUse) => `${r.fn ?? ''}|${r.metric}|${r.seconds ?? r.window}`;

function rangeWindows(ctx: LintContext): Problem[] {
  const config = ctx.project.config;
  if (!config) return []; // intervals unknown; prometheus-config or file-parse says why
  const mirrored = new Set(ctx.exprs.filter((s) => s.kind !== 'panel').flatMap((s) => s.parsed.ranges.map(key)));
  const findings: Problem[] = [];
  for (const site of ctx.exprs) {
    if (site.parsed.error !== undefined) continue;
    for (const r of site.parsed.ranges) {
      const problem = windowProblem(ctx, site, r, mirrored);
      if (problem) findings.push({ file: site.file, object: site.object, ...problem });
    }
  }
  return findings;
}

function windowProblem(
  ctx: LintContext,
  site: ExprSite,
  r: RangeUse,
  mirrored: ReadonlySet<string>,
): { message: string; fix: string } | undefined {
  const config = ctx.project.config!;
  const record = ctx.records.get(r.metric);
  // How far apart the samples in the window are: a subquery's step, a recording rule's evaluation
  // interval, a scraped series' scrape interval.
  const [interval, what] = r.subquery
    ? [
        r.step ?? config.evaluationInterval,
        `the subquery evaluates every ${formatPromDuration(r.step ?? config.evaluationInterval)}`,
      ]
    : record
      ? [
          record.interval ?? config.evaluationInterval,
          `${r.metric} is recorded every ${formatPromDuration(record.interval ?? config.evaluationInterval)}`,
        ]
      : [
          config.scrapeInterval,
          `${r.metric || 'the series'} is scraped every ${formatPromDuration(config.scrapeInterval)}`,
        ];
  const call = r.subquery ? `${r.fn ?? ''}(…[${r.window}:…])` : `${r.fn ?? ''}(${r.metric}[${r.window}])`;
  const minimum = formatPromDuration(interval * MIN_SAMPLES);
  const where = `in its definition under ${SOURCE[site.kind]} and run \`make synth\``;
  if (r.seconds !== undefined && r.seconds < interval * MIN_SAMPLES && !SAFE_VARIABLES.test(r.window)) {
    return {
      message: `${call} spans ${formatPromDuration(r.seconds)}, less than ${MIN_SAMPLES} samples: ${what}, so the window holds about ${Math.max(1, Math.floor(r.seconds / interval))} and the result is missing or jumps.`,
      fix:
        site.kind === 'panel'
          ? `use [$__rate_interval] ${where}`
          : `use a window of at least ${minimum} (${MIN_SAMPLES} × ${formatPromDuration(interval)}) ${where}`,
    };
  }
  if (site.kind !== 'panel' || r.subquery || SAFE_VARIABLES.test(r.window)) return undefined;
  if (r.window.startsWith('$')) {
    return {
      message: `${call} uses ${r.window}, which Grafana shrinks below ${MIN_SAMPLES} scrape intervals when zoomed in.`,
      fix: `use [$__rate_interval] instead ${where}`,
    };
  }
  if (!mirrored.has(key(r))) {
    return {
      message: `${call} has a fixed window that no recording rule or alert uses: the panel neither adapts to the zoom nor shows what a rule sees.`,
      fix: `use [$__rate_interval], or the window of the rule the panel mirrors, ${where}`,
    };
  }
  return undefined;
}

export const rangeWindow = rule({
  id: 'range-window',
  severity: 'error',
  summary: 'a range window under four sample intervals, or a fixed panel window that mirrors no rule',
  check: rangeWindows,
});
