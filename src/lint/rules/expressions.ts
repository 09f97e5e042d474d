// Rules on every PromQL expression: it parses, reads series that exist, applies functions to the
// series types they are meant for, and filters on labels the catalog defines.
import { TARGET_LABELS } from '../../catalog/index.js';
import type { Finding } from '../../verify/findings.js';
import type { ExprSite, LintContext } from '../context.js';

const COUNTER_FUNCTIONS = new Set(['rate', 'irate', 'increase', 'resets']);
const GAUGE_FUNCTIONS: Record<string, string> = { deriv: 'rate', delta: 'increase', idelta: 'irate', predict_linear: 'rate' };

/** Levenshtein distance, for "did you mean" suggestions. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const next = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = row[j]!;
      row[j] = next;
    }
  }
  return row[b.length]!;
}

function closest(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = distance(name, c);
    if (d < bestD) [best, bestD] = [c, d];
  }
  return best !== undefined && bestD <= Math.max(3, name.length / 3) ? best : undefined;
}

function checkSite(ctx: LintContext, site: ExprSite): Finding[] {
  const at = (rule: string, message: string, fix: string): Finding => ({ rule, file: site.file, object: site.object, message, fix });
  if (site.parsed.error) return [at('promql-parse', `expression does not parse (${site.parsed.error}): ${site.expr}`, 'fix the PromQL in its definition under src/ and run `make synth`')];
  const findings: Finding[] = [];
  for (const sel of site.parsed.selectors) {
    if (!sel.metric) continue;
    const info = ctx.series.get(sel.metric);
    const record = ctx.records.get(sel.metric);
    if (!info && !record) {
      const guess = closest(sel.metric, [...ctx.series.keys(), ...ctx.records.keys()]);
      findings.push(at('metric-exists', `selects ${sel.metric}, which is neither in the metric catalog nor a recording rule.`, guess ? `did you mean ${guess}? Reference metrics through src/catalog/ objects, never by name` : 'add the metric to src/catalog/metrics.ts or reference an existing one'));
      continue;
    }
    if (sel.rangeFunction && COUNTER_FUNCTIONS.has(sel.rangeFunction) && info?.seriesType !== 'counter') {
      findings.push(at('rate-on-counter', `${sel.rangeFunction}() over ${sel.metric}, which is ${info ? `a ${info.seriesType}` : 'a recording rule'}, not a counter.`, info?.seriesType === 'gauge' ? `use deriv() or delta() for a gauge, or select a counter` : 'apply rate() to the counter inside the recording rule instead'));
    }
    const allowed = info ? new Set([...info.labelNames, ...TARGET_LABELS]) : record!.labels.length ? new Set([...record!.labels, ...TARGET_LABELS]) : undefined;
    for (const m of sel.matchers) {
      if (allowed && !allowed.has(m.label)) {
        findings.push(at('label-exists', `filters ${sel.metric} on label "${m.label}", which it does not have (labels: ${[...allowed].sort().join(', ')}).`, `use one of its labels; the catalog entry for ${sel.metric} lists them`));
        continue;
      }
      const spec = info?.metric.spec.labels[m.label] as { values?: readonly string[] } | undefined;
      if (!spec?.values) continue;
      const values = m.op === '=' || m.op === '!=' ? [m.value] : /^[\w|-]+$/.test(m.value) ? m.value.split('|') : [];
      for (const v of values.filter((x) => !spec.values!.includes(x))) {
        findings.push(at('label-value', `matches ${sel.metric}{${m.label}${m.op}"${m.value}"}, but "${v}" is never a value of ${m.label} (values: ${spec.values.join(', ')}).`, `use one of: ${spec.values.join(', ')}`));
      }
    }
  }
  for (const call of site.parsed.rangeCalls) {
    if (ctx.series.get(call.metric)?.seriesType === 'counter') {
      findings.push(at('rate-on-counter', `${call.fn}() over the counter ${call.metric}: counter resets make it wrong.`, `use ${GAUGE_FUNCTIONS[call.fn]}() for counters`));
    }
  }
  for (const q of site.parsed.quantiles) {
    if (q.phi !== undefined && (q.phi < 0 || q.phi > 1)) findings.push(at('quantile-on-buckets', `histogram_quantile(${q.phi}, ...): φ must be between 0 and 1.`, 'write the quantile as a fraction, e.g. 0.95'));
    for (const p of q.problems) findings.push(at('quantile-on-buckets', `histogram_quantile: ${p}.`, 'use quantile() from src/promql/functions.ts or quantileRule(), which build the right shape'));
  }
  return findings;
}

export function expressionRules(ctx: LintContext): Finding[] {
  return ctx.exprs.flatMap((site) => checkSite(ctx, site));
}

export function unusedRecordingRules(ctx: LintContext): Finding[] {
  const used = new Set(ctx.exprs.flatMap((s) => s.parsed.selectors.map((sel) => sel.metric)));
  return [...ctx.records]
    .filter(([record]) => !used.has(record))
    .map(([record, info]) => ({
      rule: 'unused-recording-rule',
      file: info.file,
      object: `recording rule ${record}`,
      message: 'is used by no alert, recording rule or dashboard panel.',
      fix: 'remove it from src/recording-rules/, or use it where the raw expression is repeated',
    }));
}
