// OpenSLO v1 SLOs as stressgate SLOs: the indicator's queries as catalog series (an error ratio, or a
// latency histogram's bucket over its count), the first objective and rolling period as the production
// objective, and the gate's settings from our `stressgate/` annotations or, for a file written
// elsewhere, defaults derived from the objective. Whatever does not fit is a note, never a guess
// passed off silently; an indicator over series the catalog lacks stays raw PromQL.
import { readQuantityText } from '../constructs/quantity.js';
import type { LoadMeasure } from '../constructs/slo.js';
import type { LabelMatcher } from '../kernel/promql.js';
import { formatNumber } from '../promql/expr.js';
import { A } from './annotations.js';
import { labelSetFor } from './examples.js';
import type { ParsedFile } from './parse.js';
import { badFromGood, fillTemplate, queryShape, rateOf, type SeriesRef } from './queries.js';
import type { MetricSource, OpenSloDocument, OpenSloSlo, SliSpec } from './schema.js';
import { productionOf } from './period.js';

export type Examples = Record<string, unknown>;

export type ImportedSli =
  | { readonly kind: 'ratio'; readonly errors: SeriesRef; readonly total: SeriesRef; readonly examples: Examples }
  | {
      readonly kind: 'histogram';
      readonly histogram: SeriesRef;
      readonly le: number;
      readonly quantile: number;
      readonly by: readonly string[];
      readonly examples: Examples;
    }
  | { readonly kind: 'raw'; readonly expr: string };

export interface ImportedSlo {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly ruleId: string;
  readonly record: string;
  readonly window: string;
  /** `percent(0.5)`, `ms(300)`: the gate threshold as the quantity helper that writes it. */
  readonly threshold: { readonly fn: 'percent' | 'ms' | 'seconds'; readonly n: number };
  readonly alertFor: string;
  readonly load: LoadMeasure;
  readonly production: { readonly objective: string; readonly period: string };
  readonly minTraffic?: number;
  readonly traffic?: SeriesRef;
  readonly sli: ImportedSli;
}

export interface ImportResult {
  readonly slos: readonly ImportedSlo[];
  /** What could not be typed, one line each, naming the object. */
  readonly notes: readonly string[];
}

const snake = (id: string) => id.replace(/-/g, '_');

/** A gate threshold has a unit: a bare count is not one. */
function thresholdOf(text: string): ImportedSlo['threshold'] | undefined {
  const q = readQuantityText(text);
  return q && q.helper !== 'count' ? { fn: q.helper, n: q.n } : undefined;
}

/** A query of a source, or why it cannot be read. */
function queryOf(source: MetricSource | undefined, docs: readonly OpenSloDocument[]): string | { why: string } {
  const ms = source?.metricSource;
  if (!ms) return { why: 'no query' };
  const ref = ms.metricSourceRef
    ? docs.find((d) => d.kind === 'DataSource' && d.metadata.name === ms.metricSourceRef)
    : undefined;
  const type = ms.type ?? (ref?.kind === 'DataSource' ? ref.spec.type : undefined);
  if (!type || type.toLowerCase() !== 'prometheus')
    return { why: `metric source type ${type ?? '(none)'} is not Prometheus` };
  const query = ms.spec.query ?? ms.spec.promql;
  return typeof query === 'string' ? query : { why: 'the Prometheus source has no spec.query' };
}

interface SliContext {
  readonly docs: readonly OpenSloDocument[];
  readonly window: string;
  readonly target: number;
  readonly annotations: Readonly<Record<string, string>>;
  readonly note: (text: string) => void;
}

function sliOf(spec: SliSpec, ctx: SliContext): ImportedSli | undefined {
  const r = spec.ratioMetric;
  if (!r) return void ctx.note('thresholdMetric: a raw value compared with op/value, no events to count; not imported');
  const q = (s: MetricSource | undefined) => queryOf(s, ctx.docs);
  const queries = r.raw ? [q(r.raw)] : [q(r.good ?? r.bad), q(r.total)];
  const unreadable = queries.find((x): x is { why: string } => typeof x !== 'string');
  if (unreadable) return void ctx.note(`indicator: ${unreadable.why}; not imported`);
  const [first, second] = (queries as string[]).map((x) => fillTemplate(x, ctx.window));
  const counted = (x: string) => (r.counter === false ? x : rateOf(x, ctx.window));
  const raw = (why: string): ImportedSli => {
    ctx.note(
      `indicator: ${why}; kept as raw PromQL (add the metrics with \`stressgate import catalog\` and import again for a typed SLI; check it groups by job)`,
    );
    if (r.raw) return { kind: 'raw', expr: r.rawType === 'failure' ? first! : `1 - (${first})` };
    return {
      kind: 'raw',
      expr: r.bad ? `(${counted(first!)}) / (${counted(second!)})` : `1 - (${counted(first!)}) / (${counted(second!)})`,
    };
  };
  if (r.raw) return raw('a precomputed ratio (raw)');
  if (r.counter === false) return raw('counter: false (values, not counters)');
  const [a, b] = [queryShape(first!), queryShape(second!)];
  if (a.kind === 'raw' || b.kind === 'raw') return raw(a.kind === 'raw' ? a.why : b.kind === 'raw' ? b.why : '');
  const [num, total] = [a.ref, b.ref];
  const ex = ctx.annotations[A.examples] ? (JSON.parse(ctx.annotations[A.examples]!) as Examples) : undefined;
  const unknownNote = (unknown: readonly string[]) =>
    unknown.length &&
    ctx.note(
      `examples: no value fits label(s) ${unknown.join(', ')}; 'TODO' written, give a label set the selectors match`,
    );
  const le = num.matchers.find((m) => m.label === 'le');
  if (r.good && num.sub === 'bucket' && total.sub === 'count' && num.metric === total.metric && le?.op === '=') {
    const matchers = num.matchers.filter((m) => m !== le);
    const key = (m: LabelMatcher) => `${m.label}${m.op}${m.value}`;
    if (matchers.map(key).join() !== total.matchers.map(key).join())
      return raw('the bucket and the count select different series');
    const spec = total.metric.spec as { buckets?: readonly number[]; unit: string };
    if (!spec.buckets?.includes(Number(le.value)))
      ctx.note(
        `le="${le.value}" is not a bucket of ${total.metric.name} in the catalog (${spec.buckets?.join(', ')}): no event counts as good`,
      );
    if (spec.unit !== 'seconds')
      return raw(`${total.metric.name} is in ${spec.unit}, not seconds: no latency threshold to type`);
    const quantile = Number(ctx.annotations[A.quantile] ?? ctx.target);
    if (!ctx.annotations[A.quantile])
      ctx.note(
        `gate quantile: p${formatNumber(quantile * 100)} from the objective (${formatNumber(ctx.target * 100)}% under ${le.value}s)`,
      );
    let examples = ex;
    if (!examples) {
      const set = labelSetFor(total.metric, matchers);
      unknownNote(set.unknown);
      examples = { example: set.labels };
    }
    const by = ctx.annotations[A.by]?.split(',') ?? [];
    return {
      kind: 'histogram',
      histogram: { ...total, sub: undefined, matchers },
      le: Number(le.value),
      quantile,
      by,
      examples,
    };
  }
  const errors = r.bad ? num : badFromGood(num, total);
  if (!errors) return raw('good and total differ in more than one matcher, so bad events are no one selector');
  if (errors.metric !== total.metric || errors.sub !== total.sub)
    return raw('bad and total events are different series');
  let examples = ex;
  if (!examples) {
    const error = labelSetFor(total.metric, errors.matchers);
    const ok = labelSetFor(total.metric, total.matchers, { base: error.labels, matchers: errors.matchers });
    unknownNote([...new Set([...error.unknown, ...ok.unknown])]);
    examples = { error: error.labels, ok: ok.labels };
  }
  return { kind: 'ratio', errors, total, examples };
}

function importSlo(doc: OpenSloSlo, file: ParsedFile, note: (text: string) => void): ImportedSlo | undefined {
  const { metadata, spec } = doc;
  const ann = Object.fromEntries(
    Object.entries(metadata.annotations ?? {}).filter(([k]) => k.startsWith('stressgate/')),
  );
  if (spec.objectives.some((o) => o.indicator || o.indicatorRef))
    return void note(
      'a composite SLO (an indicator per objective): import each objective as its own SLO by hand; not imported',
    );
  const sliDoc = spec.indicatorRef
    ? file.documents.find((d) => d.kind === 'SLI' && d.metadata.name === spec.indicatorRef)
    : undefined;
  const indicator =
    spec.indicator ?? (sliDoc?.kind === 'SLI' ? { metadata: sliDoc.metadata, spec: sliDoc.spec } : undefined);
  if (!indicator)
    return void note(`indicatorRef ${spec.indicatorRef}: no SLI of that name in ${file.file}; not imported`);
  const policies = (spec.alertPolicies ?? []).filter(
    (p) => !('alertPolicyRef' in p && p.alertPolicyRef.startsWith('budget-burn-')),
  );
  if (policies.length)
    note(
      `alertPolicies: ${policies.length} of its own; stressgate's burn-rate policy (src/slos/burn-rate.ts) applies instead`,
    );
  const production = productionOf(spec, note);
  if (!production) return undefined;
  const window = ann[A.window] ?? '5m';
  const sli = sliOf(indicator.spec, {
    docs: file.documents,
    window,
    target: production.target,
    annotations: ann,
    note,
  });
  if (!sli) return undefined;
  const defaults: string[] = [];
  const pick = <T>(key: string, parsed: T | undefined, fallback: T, say: string): T => {
    if (parsed !== undefined) return parsed;
    if (ann[key] !== undefined) note(`annotation ${key}: "${ann[key]}" is not understood; default written`);
    defaults.push(say);
    return fallback;
  };
  if (!ann[A.window]) defaults.push(`window ${window}`);
  const budget = Number(formatNumber((1 - production.target) * 100));
  const threshold = pick(
    A.threshold,
    ann[A.threshold] ? thresholdOf(ann[A.threshold]!) : undefined,
    sli.kind === 'histogram'
      ? { fn: 'ms' as const, n: Number(formatNumber(sli.le * 1000)) }
      : { fn: 'percent' as const, n: budget },
    sli.kind === 'histogram'
      ? `threshold ${formatNumber(sli.le * 1000)}ms (the bucket)`
      : `threshold ${budget}% (the error budget)`,
  );
  const alertFor = pick(A.alertFor, ann[A.alertFor], '5m', 'alertFor 5m');
  const load = pick<LoadMeasure>(
    A.load,
    ann[A.load] ? (JSON.parse(ann[A.load]!) as LoadMeasure) : undefined,
    sli.kind === 'histogram'
      ? { metric: snake(metadata.name), stat: 'p(95)', scale: 1000 }
      : { metric: snake(metadata.name), stat: 'rate' },
    `load measure ${snake(metadata.name)} (a k6 metric to record)`,
  );
  if (defaults.length) note(`gate settings OpenSLO has no field for, defaults written: ${defaults.join(', ')}`);
  const kindSuffix =
    sli.kind === 'histogram'
      ? `p${formatNumber(sli.quantile * 100).replace('.', '_')}_rate${window}`
      : `ratio_rate${window}`;
  const description = spec.description && spec.description.length >= 10 ? spec.description : undefined;
  if (!description) note('description: missing or too short; say what users feel when it is breached');
  const traffic = ann[A.traffic] ? queryShape(ann[A.traffic]!) : undefined;
  if (traffic?.kind === 'raw') note(`annotation ${A.traffic}: ${traffic.why}; the default traffic written`);
  return {
    id: metadata.name,
    title: metadata.displayName && metadata.displayName.length >= 3 ? metadata.displayName : metadata.name,
    description: description ?? `${metadata.displayName ?? metadata.name}: TODO, what users feel when it is breached.`,
    ruleId: indicator.metadata.name,
    record: ann[A.record] ?? `job:slo_${snake(metadata.name)}:${kindSuffix}`,
    window,
    threshold,
    alertFor,
    load,
    production: production.objective,
    ...(ann[A.minTraffic] ? { minTraffic: Number(ann[A.minTraffic]) } : {}),
    ...(traffic?.kind === 'series' ? { traffic: traffic.ref } : {}),
    sli,
  };
}

/** Every SLO of the file, typed where it can be, with a note for everything else. */
export function importSlos(file: ParsedFile): ImportResult {
  const notes: string[] = [...file.notes];
  const slos: ImportedSlo[] = [];
  for (const doc of file.documents) {
    if (doc.kind !== 'SLO') continue;
    const note = (text: string) => void notes.push(`SLO ${doc.metadata.name}: ${text}`);
    const slo = importSlo(doc, file, note);
    if (slo) slos.push(slo);
  }
  // Services group SLOs and DataSources are read where referenced; our own policies and targets come back from src/.
  const ours = (d: OpenSloDocument) =>
    (d.kind === 'AlertPolicy' && d.metadata.name.startsWith('budget-burn-')) ||
    (d.kind === 'AlertNotificationTarget' && d.metadata.name.startsWith('alertmanager-'));
  const foreign = file.documents.filter(
    (d) => ['AlertPolicy', 'AlertCondition', 'AlertNotificationTarget'].includes(d.kind) && !ours(d),
  );
  if (foreign.length)
    notes.push(
      `${foreign.map((d) => `${d.kind} ${d.metadata.name}`).join(', ')}: stressgate alerts on burn rates by its own policy (src/slos/burn-rate.ts) and routes by severity (src/alerts/routing.ts); not imported`,
    );
  if (!file.documents.some((d) => d.kind === 'SLO')) notes.push(`${file.file}: no SLO in the file`);
  return { slos, notes };
}
