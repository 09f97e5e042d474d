// A panel's unit must match what its queries yield, scale included: a p95 over a `_seconds`
// histogram shown with unit `ms` reads 1000x too small, a ratio shown as `percent` 100x too small.
import type { LintContext } from '../context.js';
import { rule, type Problem } from '../rule.js';
import { allPanels, panelName } from '../project.js';
import { inferUnit, type Base, type Quantity } from '../units.js';
import { SOURCE } from './expressions.js';

interface UnitMeaning {
  readonly base: Base;
  readonly perSecond: boolean;
  readonly scale: number;
}

const table = (base: Base, perSecond: boolean, units: Record<string, number>) =>
  Object.entries(units).map(([unit, scale]) => [unit, { base, perSecond, scale }] as const);

/** Grafana unit ids (its `valueFormats` registry) by what they display. */
const GRAFANA_UNITS: ReadonlyMap<string, UnitMeaning> = new Map([
  ...table('seconds', false, {
    ns: 1e-9,
    µs: 1e-6,
    us: 1e-6,
    ms: 1e-3,
    s: 1,
    m: 60,
    h: 3600,
    d: 86400,
    dtdurationms: 1e-3,
    dtdurations: 1,
  }),
  ...table('bytes', false, {
    bits: 1 / 8,
    decbits: 1 / 8,
    bytes: 1,
    decbytes: 1,
    kbytes: 1024,
    deckbytes: 1e3,
    mbytes: 2 ** 20,
    decmbytes: 1e6,
    gbytes: 2 ** 30,
    decgbytes: 1e9,
  }),
  ...table('bytes', true, { Bps: 1, binBps: 1, KBs: 1e3, KiBs: 1024, MBs: 1e6, MiBs: 2 ** 20 }),
  ...table('count', true, {
    reqps: 1,
    ops: 1,
    rps: 1,
    wps: 1,
    iops: 1,
    cps: 1,
    mps: 1,
    reqpm: 1 / 60,
    opm: 1 / 60,
    rpm: 1 / 60,
    wpm: 1 / 60,
    cpm: 1 / 60,
  }),
  ...table('ratio', false, { percentunit: 1, percent: 0.01 }),
  ...table('count', false, { short: 1, none: 1, locale: 1, sishort: 1 }),
  ...table('bool', false, { bool: 1, bool_yes_no: 1, bool_on_off: 1 }),
]);

/** Plain-number units also fit dimensionless results: counts, 0/1 gauges, CPU seconds per second, factors. */
const PLAIN = new Set(['short', 'none', 'locale', 'sishort']);

const suggestion = (x: Quantity): string => {
  const exact = [...GRAFANA_UNITS].find(
    ([, m]) => m.base === x.base && m.perSecond === x.perSecond && Math.abs(m.scale / x.scale - 1) < 1e-9,
  );
  if (exact) return exact[0];
  return x.base === 'seconds' && x.perSecond ? 'percentunit' : 'short';
};

function mismatch(unit: string, x: Quantity): string | undefined {
  const m = GRAFANA_UNITS.get(unit);
  if (!m || x.base === 'scalar') return undefined; // a unit or a result we cannot judge
  const dimensionless =
    x.base === 'bool' ||
    (x.base === 'count' && !x.perSecond) ||
    (x.base === 'seconds' && x.perSecond) ||
    x.base === 'factor';
  if (unit === 'percentunit' && x.base === 'factor' && x.scale === 1) return undefined; // a share of the budget: 1 = 100%
  if (PLAIN.has(unit) && dimensionless) return undefined;
  if (m.base === 'bool' && (x.base === 'bool' || (x.base === 'count' && !x.perSecond))) return undefined; // 0/1 gauges
  if (unit === 'percentunit' && x.base === 'seconds' && x.perSecond && x.scale === 1) return undefined; // CPU share
  if (m.base !== x.base || m.perSecond !== x.perSecond) return 'is a different kind of quantity';
  const factor = m.scale / x.scale;
  if (Math.abs(factor - 1) < 1e-9) return undefined;
  const times = factor > 1 ? `${+factor.toPrecision(6)}× too large` : `${+(1 / factor).toPrecision(6)}× too small`;
  return `has the wrong scale: every value reads ${times}`;
}

const describe = (x: Quantity): string => {
  const base = {
    seconds: 'seconds',
    bytes: 'bytes',
    count: 'a count',
    ratio: 'a ratio',
    factor: 'a factor',
    bool: '0 or 1',
    scalar: 'a number',
  }[x.base];
  const scaled = x.scale === 1 ? base : `${base} × ${+(1 / x.scale).toPrecision(6)}`;
  return x.perSecond ? (x.base === 'count' ? 'events per second' : `${scaled} per second`) : scaled;
};

function panelUnits(ctx: LintContext): Problem[] {
  const recordExpr = (record: string) => ctx.records.get(record)?.expr;
  const findings: Problem[] = [];
  for (const d of ctx.project.dashboards) {
    for (const p of allPanels(d)) {
      const unit = p.fieldConfig?.defaults?.unit;
      if (!unit) continue; // panel-shape reports a missing unit
      for (const site of ctx.exprs.filter(
        (s) => s.file === d.path && s.object.startsWith(`${panelName(d, p)} / target `),
      )) {
        if (site.parsed.error !== undefined) continue;
        const x = inferUnit(site.query, { series: ctx.series, recordExpr });
        const problem = x && mismatch(unit, x);
        if (!x || !problem) continue;
        findings.push({
          file: d.path,
          object: site.object,
          message: `unit "${unit}" ${problem}: the query yields ${describe(x)} (${x.why}).`,
          fix: `set the panel's unit to '${suggestion(x)}' in its definition under ${SOURCE.panel} and run \`make synth\``,
        });
      }
    }
  }
  return findings;
}

export const panelUnit = rule({
  id: 'panel-unit',
  severity: 'error',
  summary: 'a panel unit that differs from what its queries yield, scale included',
  check: panelUnits,
});
