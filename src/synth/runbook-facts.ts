// The numbers a runbook section states about its alert, rendered from the definitions: threshold (in
// the SLO's unit), window, hold, severity, minimum traffic, production objective and budget. Hand-typed,
// they went stale the day an SLO moved from ms(300) to ms(200); generated, a change shows as drift.
import type { Construct } from '../constructs/construct.js';
import { Alert } from '../constructs/rules.js';
import { Slo } from '../constructs/slo.js';
import { formatNumber } from '../promql/expr.js';
import { BURN_RATE_POLICY, burnFactor, productionSlo } from '../slos/burn-rate.js';

/** Facts blocks by runbook path (`docs/runbooks/alerts.md`), then by section anchor. */
export type RunbookFacts = ReadonlyMap<string, ReadonlyMap<string, string>>;

/** A threshold as prose writes it: `0.5%`, `300 ms`, `2 s`. */
export function quantityText(slo: Slo): string {
  const v = slo.threshold;
  switch (slo.sli.unit) {
    case 'ratio':
      return `${formatNumber(Number((v * 100).toPrecision(12)))}%`;
    case 'seconds':
      return v < 1 ? `${formatNumber(Number((v * 1000).toPrecision(12)))} ms` : `${formatNumber(v)} s`;
    default:
      return formatNumber(v);
  }
}

const percentText = (share: number) => `${formatNumber(Number((share * 100).toPrecision(12)))}%`;

function productionText(slo: Slo): string | undefined {
  const p = productionSlo(slo);
  if (!p) return undefined;
  const good = slo.sli.unit === 'seconds' ? ` of events at or under ${quantityText(slo)}` : ' of events good';
  return `${slo.production!.objective}${good} over ${p.period} (error budget ${percentText(p.budget)})`;
}

const table = (rows: readonly (readonly [string, string])[]) =>
  ['| fact | value |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${v} |`)].join('\n');

/** The gate alert of one SLO: what it compares, over what, for how long, and what it protects. */
function sloAlertFacts(alert: Alert, slo: Slo): string {
  const production = productionText(slo);
  return table([
    ['SLO', `\`${slo.id}\` (${slo.props.title}, \`src/slos/\`)`],
    ['fires when', `\`${slo.sli.record}\` is above **${quantityText(slo)}** over ${slo.window}`],
    ['for (hold)', slo.props.alertFor],
    ['severity', `${alert.labels.severity}${alert.gate ? ', gate alert (blocks a release)' : ''}`],
    ...(slo.ratioEvents
      ? ([['minimum traffic', `${formatNumber(slo.minTraffic)} event/s over ${slo.window}`]] as const)
      : []),
    ...(production ? ([['production objective', production]] as const) : []),
  ]);
}

/** The burn-rate alerts sharing one section: every SLO's objective and every window pair. */
function burnRateFacts(alerts: readonly Alert[], slos: readonly Slo[]): string {
  const ids = new Set(alerts.map((a) => a.labels.slo));
  const guarded = slos.filter((s) => ids.has(s.id) && s.production);
  const period = guarded[0]?.production?.period ?? '30d';
  const pairs = BURN_RATE_POLICY.filter((p) =>
    alerts.some((a) => a.labels.long === p.long && a.labels.short === p.short),
  );
  return [
    '| SLO | production objective | minimum traffic over the long window |',
    '|---|---|---|',
    ...guarded.map((s) => `| \`${s.id}\` | ${productionText(s)} | ${formatNumber(s.minTraffic)} event/s |`),
    '',
    '| alert | long and short window | factor | budget spent when it fires | severity |',
    '|---|---|---|---|---|',
    ...pairs.map(
      (p) =>
        `| \`<Slo>BudgetBurn${p.long}\` | ${p.long} and ${p.short} | ${formatNumber(burnFactor(p, period))}× | ${percentText(p.budgetShare)} in ${p.long} | ${p.severity} |`,
    ),
  ].join('\n');
}

/** Where an alert's runbook section is: the file under docs/runbooks/ and the heading's anchor. */
function sectionOf(alert: Alert): { path: string; anchor: string } | undefined {
  const m = /\/docs\/runbooks\/([^#]+)#(.+)$/.exec(alert.runbookUrl);
  return m ? { path: `docs/runbooks/${m[1]}`, anchor: m[2]! } : undefined;
}

/** The facts block of every section serving an SLO's alert (gate alerts and burn-rate alerts). */
export function runbookFacts(root: Construct): RunbookFacts {
  const slos = root.findAll(Slo);
  const bySection = new Map<string, { path: string; anchor: string; alerts: Alert[] }>();
  for (const alert of root.findAll(Alert).filter((a) => !a.imported && a.labels.slo)) {
    const at = sectionOf(alert);
    if (!at) continue;
    const key = `${at.path}#${at.anchor}`;
    bySection.set(key, { ...at, alerts: [...(bySection.get(key)?.alerts ?? []), alert] });
  }
  const facts = new Map<string, Map<string, string>>();
  for (const { path, anchor, alerts } of bySection.values()) {
    const burn = alerts.filter((a) => a.labels.long);
    const gate = alerts.filter((a) => !a.labels.long);
    const slo = gate.length === 1 ? slos.find((s) => s.id === gate[0]!.labels.slo) : undefined;
    const block =
      slo && !burn.length
        ? sloAlertFacts(gate[0]!, slo)
        : burn.length && !gate.length
          ? burnRateFacts(burn, slos)
          : undefined;
    if (block) facts.set(path, (facts.get(path) ?? new Map()).set(anchor, block));
  }
  return facts;
}
