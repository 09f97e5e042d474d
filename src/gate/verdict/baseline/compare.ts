// A run against its baseline, SLO by SLO. REGRESSED needs both: the change is larger than the SLO's
// tolerance with 97.5% confidence (the lower end of the change's 95% interval is past it: practical
// significance, judged conservatively), and a one-sided test says the current run is worse beyond the
// runs' own noise (p < alpha). Large runs make tiny shifts "significant", hence the tolerance; small
// runs make large shifts noise, hence the test and the interval. IMPROVED is the mirror image.
import { sloById } from '../../../slos/load-thresholds.js';
import type { Verdict } from '../schema.js';
import { blockQuantileChange, bucketQuantile, quantileChange } from './bootstrap.js';
import { betweenRuns, MIN_RUNS_FOR_SPREAD, pool, type BetweenRuns } from './pool.js';
import { NO_BASELINE, type BaselineSection, type SliDistribution, type SloComparison } from './schema.js';
import { mannWhitneyBucketed, mannWhitneyValues, twoProportion } from './stats.js';

/** Five SLOs judged at once: 0.05 / 5 (Bonferroni), so one run in twenty does not regress by chance. */
export const DEFAULT_ALPHA = 0.01;

export interface BaselineRun {
  readonly verdict: Verdict;
  readonly file: string;
}

type Row = SloComparison;
type Judged = Pick<Row, 'outcome' | 'baseline' | 'current' | 'change' | 'test' | 'reason'> & { allowed: number };

const fmt = (unit: Row['unit'], v: number) =>
  unit === 'ratio'
    ? `${Number((v * 100).toPrecision(3))}%`
    : unit === 'seconds'
      ? `${Number((v * 1000).toPrecision(4))} ms`
      : `${Number(v.toPrecision(4))}`;
const signed = (unit: Row['unit'], v: number) =>
  `${v >= 0 ? '+' : '−'}${fmt(unit, Math.abs(v))}`.replace('%', unit === 'ratio' ? 'pp' : '%');
const change = (b: number, c: number) => ({ absolute: c - b, relative: b !== 0 ? (c - b) / b : null });

function outcomeOf(
  lo: number,
  hi: number,
  allowed: number,
  pWorse: number,
  pBetter: number,
  alpha: number,
  /** Where the current value sits against the baselines' prediction interval (null: fewer than 3 runs). */
  between: { above: boolean; below: boolean } | null,
) {
  // Worse beyond the tolerance and the run's own noise; whether beyond the noise between runs needs
  // their spread, which fewer than three baseline runs cannot give: then WORSE, reported, not failing
  // (a whole run slowed by a busy machine looks exactly like a slower build against one run).
  if (lo > allowed && pWorse < alpha)
    return between === null ? ('WORSE' as const) : between.above ? ('REGRESSED' as const) : ('SAME' as const);
  if (hi < -allowed && pBetter < alpha && (between?.below ?? true)) return 'IMPROVED' as const;
  return 'SAME' as const;
}

const beside = (b: BetweenRuns | null, v: number) => b && { above: v > b.upper, below: v < b.lower };
const spreadText = (unit: Row['unit'], b: BetweenRuns | null) =>
  b
    ? `; ${b.runs} baseline runs ${fmt(unit, b.mean)} ± ${fmt(unit, b.sd)}, one more of the same build ≤ ${fmt(unit, b.upper)} (99%)`
    : '';

function judgeHistogram(
  q: number,
  unit: Row['unit'],
  tol: { relative: number; absolute: number },
  base: Extract<SliDistribution, { kind: 'histogram' }>,
  cur: Extract<SliDistribution, { kind: 'histogram' }>,
  alpha: number,
  between: BetweenRuns | null,
): Judged | string {
  if (base.le.join() !== cur.le.join())
    return `the runs' histograms have different buckets (${base.le.join()} vs ${cur.le.join()})`;
  const qc = quantileChange(q, base, cur);
  if (!qc) return 'a run has no samples in its histogram';
  const worse = mannWhitneyBucketed(base.counts, cur.counts);
  const better = mannWhitneyBucketed(cur.counts, base.counts);
  const allowed = Math.max(tol.relative * qc.baseline, tol.absolute);
  const blocks = blockNoise(q, base, cur);
  // With time blocks, the interval and a second test come from the blocks: the runs' own noise over
  // time. Both tests must agree; the interval's end must be past the tolerance.
  const [lo, hi] = blocks?.change.ci ?? qc.ci;
  const pWorse = Math.max(worse.pValue, blocks?.worse ?? 0);
  const pBetter = Math.max(better.pValue, blocks?.better ?? 0);
  const outcome = outcomeOf(lo, hi, allowed, pWorse, pBetter, alpha, beside(between, qc.current));
  const p = outcome === 'IMPROVED' ? pBetter : pWorse;
  const ci = `95% CI ${signed(unit, lo)} to ${signed(unit, hi)}${blocks ? ` over ${blocks.sizes[0]} and ${blocks.sizes[1]} time blocks` : ', requests taken as independent (no time blocks kept)'}${spreadText(unit, between)}`;
  const reason =
    outcome === 'REGRESSED'
      ? `p${Math.round(q * 100)} ${fmt(unit, qc.baseline)} → ${fmt(unit, qc.current)} (${signed(unit, qc.change)}, ${ci}): worse than the ${fmt(unit, allowed)} allowed, Mann-Whitney p=${p.toPrecision(2)}`
      : outcome === 'IMPROVED'
        ? `p${Math.round(q * 100)} ${signed(unit, qc.change)} (${ci}), Mann-Whitney p=${p.toPrecision(2)}`
        : `${signed(unit, qc.change)} (${ci}) is within the ${fmt(unit, allowed)} allowed or within the runs' noise (Mann-Whitney p=${pWorse.toPrecision(2)}, alpha ${alpha})`;
  return {
    outcome,
    baseline: qc.baseline,
    current: qc.current,
    change: change(qc.baseline, qc.current),
    allowed,
    test: {
      method: 'mann-whitney',
      pValue: p,
      confidence: 1 - p,
      effect: { name: 'probability of superiority (P(current slower))', value: worse.probabilityOfSuperiority },
      ci: [lo, hi],
      samples: { baseline: worse.n1, current: worse.n2 },
      blocks: blocks
        ? {
            baseline: blocks.sizes[0],
            current: blocks.sizes[1],
            pValue: outcome === 'IMPROVED' ? blocks.better : blocks.worse,
          }
        : null,
      between,
    },
    reason,
  };
}

/** Fewer blocks than this per run and the block test cannot reach alpha (5 and 5: p ≥ 1/252). */
const MIN_BLOCKS = 5;

/** Each run's p95 per time block compared (exact Mann-Whitney), and the block-bootstrap interval. */
function blockNoise(
  q: number,
  base: Extract<SliDistribution, { kind: 'histogram' }>,
  cur: Extract<SliDistribution, { kind: 'histogram' }>,
) {
  const used = (d: typeof base) => (d.blocks?.counts ?? []).filter((b) => b.reduce((s, c) => s + c, 0) > 0);
  const [b, c] = [used(base), used(cur)];
  if (b.length < MIN_BLOCKS || c.length < MIN_BLOCKS) return null;
  const p95s = (blocks: number[][]) => blocks.map((counts) => bucketQuantile(q, { le: base.le, counts })!);
  const change = blockQuantileChange(q, base.le, b, c);
  if (!change) return null;
  return {
    change,
    sizes: [b.length, c.length] as const,
    worse: mannWhitneyValues(p95s(b), p95s(c)).pValue,
    better: mannWhitneyValues(p95s(c), p95s(b)).pValue,
  };
}

function judgeRatio(
  tol: { relative: number; absolute: number },
  base: Extract<SliDistribution, { kind: 'ratio' }>,
  cur: Extract<SliDistribution, { kind: 'ratio' }>,
  alpha: number,
  between: BetweenRuns | null,
): Judged | string {
  if (base.total <= 0 || cur.total <= 0) return 'a run has no events';
  const t = twoProportion(base.errors, base.total, cur.errors, cur.total);
  const better = twoProportion(cur.errors, cur.total, base.errors, base.total);
  const allowed = Math.max(tol.relative * t.baseline, tol.absolute);
  const outcome = outcomeOf(t.ci[0], t.ci[1], allowed, t.pValue, better.pValue, alpha, beside(between, t.current));
  const p = outcome === 'IMPROVED' ? better.pValue : t.pValue;
  const ci = `95% CI ${signed('ratio', t.ci[0])} to ${signed('ratio', t.ci[1])}${spreadText('ratio', between)}`;
  return {
    outcome,
    baseline: t.baseline,
    current: t.current,
    change: change(t.baseline, t.current),
    allowed,
    test: {
      method: 'two-proportion',
      pValue: p,
      confidence: 1 - p,
      effect: { name: "Cohen's h", value: 2 * Math.asin(Math.sqrt(t.current)) - 2 * Math.asin(Math.sqrt(t.baseline)) },
      ci: [t.ci[0], t.ci[1]],
      samples: { baseline: base.total, current: cur.total },
      between,
    },
    reason:
      outcome === 'SAME'
        ? `${signed('ratio', t.difference)} (${ci}) is within the ${fmt('ratio', allowed)} allowed or within the runs' noise (two-proportion p=${t.pValue.toPrecision(2)}, alpha ${alpha})`
        : `${fmt('ratio', t.baseline)} → ${fmt('ratio', t.current)} (${signed('ratio', t.difference)}, ${ci}), two-proportion p=${p.toPrecision(2)}`,
  };
}

function compareSlo(current: Verdict, bases: readonly BaselineRun[], id: string, alpha: number): Row {
  const base = bases[0]!;
  const slo = sloById.get(id);
  const row = current.slos.find((s) => s.slo === id)!;
  const unit = slo?.sli.unit ?? 'count';
  const tol = slo?.regression ?? { relative: 0, absolute: 0, text: 'any worsening' };
  const head = { slo: id, title: row.title, unit, tolerance: { ...tol, allowed: null } };
  const baseRow = base.verdict.slos.find((s) => s.slo === id);
  const baselineSeries = base.verdict.distributions?.[id]?.series ?? null;
  const none = (reason: string, basis: Row['basis'] = 'none'): Row => ({
    ...head,
    outcome: 'NOT COMPARABLE',
    basis,
    baseline: baseRow?.prometheus?.value ?? null,
    current: row.prometheus?.value ?? null,
    change: null,
    test: null,
    reason,
    baselineSeries,
  });
  if (!row.inScope) return none('not in this run');
  if (!baseRow?.inScope) return none(`${base.file}: field "slos": the baseline did not judge ${id}`);
  // Every baseline run that kept this SLO's evidence, pooled; their spread is the noise between runs.
  const kept = bases.flatMap((r) => r.verdict.distributions?.[id] ?? []);
  const b = kept.length === bases.length ? pool(kept) : null;
  const c = current.distributions?.[id];
  if (b && c && b.kind === c.kind) {
    const q = Number(/^p\((\d+(?:\.\d+)?)\)$/.exec(row.load.stat)?.[1] ?? 95) / 100;
    const spread = betweenRuns(q, kept);
    const j =
      b.kind === 'histogram' && c.kind === 'histogram'
        ? judgeHistogram(q, unit, tol, b, c, alpha, spread)
        : b.kind === 'ratio' && c.kind === 'ratio'
          ? judgeRatio(tol, b, c, alpha, spread)
          : 'different kinds of evidence';
    if (typeof j === 'string') return none(j, 'distribution');
    const { allowed, ...rest } = j;
    return { ...head, tolerance: { ...tol, allowed }, basis: 'distribution', ...rest, baselineSeries };
  }
  const bv = baseRow.prometheus?.value ?? null;
  const cv = row.prometheus?.value ?? null;
  if (!c) return none('this run has no distribution to compare (no Prometheus, or no events)');
  if (bv === null || cv === null) return none(`${base.file}: field "slos.${id}.prometheus.value": no value to compare`);
  const allowed = Math.max(tol.relative * bv, tol.absolute);
  const beyond = cv - bv > allowed;
  return {
    ...head,
    tolerance: { ...tol, allowed },
    outcome: beyond ? 'NOT COMPARABLE' : 'SAME',
    basis: 'point',
    baseline: bv,
    current: cv,
    change: change(bv, cv),
    test: null,
    reason: `${base.file}: field "distributions.${id}" is missing: point values only (${signed(unit, cv - bv)}), ${beyond ? 'beyond the tolerance but not tested against the runs\u2019 noise: re-run the baseline with this version to judge it' : 'within the tolerance'}`,
    baselineSeries,
  };
}

/** The baseline section of `current`: every SLO compared, or why there was nothing to compare with. */
export function compareToBaseline(
  current: Verdict,
  /** One baseline run, or several (newest first): pooled, and their spread taken as the noise between runs. */
  baseline: BaselineRun | readonly BaselineRun[] | null,
  policy: 'fail' | 'warn',
  note = NO_BASELINE,
  alpha = DEFAULT_ALPHA,
): BaselineSection {
  const bases = baseline === null ? [] : 'verdict' in baseline ? [baseline as BaselineRun] : [...baseline];
  const base = bases[0];
  if (!base) return { status: 'none', file: null, note, policy, alpha, run: null, slos: [], regressed: [] };
  const slos = current.slos.map((s) => compareSlo(current, bases, s.slo, alpha));
  const points = slos.filter((s) => s.basis === 'point').map((s) => s.slo);
  const runs = bases.length > 1 ? `${bases.length} baseline runs, newest ${base.file}` : base.file;
  const one =
    bases.length >= MIN_RUNS_FOR_SPREAD
      ? ''
      : `; ${bases.length === 1 ? 'one baseline run' : `${bases.length} baseline runs`}: the noise between runs is not known, so a regression reads WORSE, not REGRESSED (keep ${MIN_RUNS_FOR_SPREAD} or more: --baseline latest-pass)`;
  const pointsNote = points.length
    ? `; point values only for ${points.join(', ')} (the baseline has no distributions)`
    : '';
  return {
    status: 'compared',
    file: base.file,
    ...(bases.length > 1 ? { files: bases.map((r) => r.file) } : {}),
    note: `compared with ${runs} (profile ${base.verdict.profile}, ${base.verdict.verdict}, ${base.verdict.window.start} – ${base.verdict.window.end})${one}${pointsNote}`,
    policy,
    alpha,
    run: { profile: base.verdict.profile, verdict: base.verdict.verdict, window: base.verdict.window },
    slos,
    regressed: slos.filter((s) => s.outcome === 'REGRESSED').map((s) => s.slo),
  };
}
