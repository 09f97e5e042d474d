// The live check proper: given a Prometheus that has scraped the target under load and evaluated the
// committed rules, prove that every dashboard target returns series, every recording rule has samples,
// every alert expression evaluates, and build the coverage table signal → metric → panels → alerts →
// recording rules → scenario → live status (./signal-coverage.ts). Every gap is a Finding naming the object.
import { catalog, type Metric, type Signal } from '../catalog/index.js';
import type { Finding } from '../kernel/findings.js';
import type { PromClient, RuleState } from '../kernel/prometheus-client.js';
import type { LiveReport, PanelResult, RuleResult } from './live-report.js';
import { signalCoverage } from './signal-coverage.js';
import { selectedSeries, type PanelTarget, type RuleDef } from './sources.js';

export interface LiveCheckInput {
  readonly prom: PromClient;
  readonly panels: readonly PanelTarget[];
  readonly rules: readonly RuleDef[];
  readonly rateInterval: string;
  /** Scenario → catalog metrics it moves (load/flows/signals.ts). */
  readonly scenarioSignals: Readonly<Record<string, readonly Metric[]>>;
  /** Signals only a fault drill moves (e.g. backpressure drops), with the drill's name. */
  readonly drillSignals?: Readonly<Partial<Record<Signal, string>>>;
  readonly metrics?: readonly Metric[];
  /** Count panels/rules that are empty on a healthy run (5xx-only, ALERTS) as failures too. */
  readonly strictIdle?: boolean;
  /** Whether the load ran on k6 with remote write: only then must k6's series and panels be live. */
  readonly k6Ran?: boolean;
}

/** Series that exist only while something is wrong: 5xx responses, active alerts. Empty on a clean run. */
function eventOnly(query: string): boolean {
  return /\bALERTS\b/.test(query) || /status\s*=~\s*"5[.\dx]*"/.test(query);
}

export async function runLiveCheck(input: LiveCheckInput): Promise<LiveReport> {
  const { prom } = input;
  const metricsList = input.metrics ?? catalog;
  const at = new Date();
  const findings: Finding[] = [];

  // series name → metric
  const metricOfSeries = new Map<string, Metric>();
  for (const m of metricsList) {
    if (m.type === 'histogram') for (const s of ['_bucket', '_sum', '_count']) metricOfSeries.set(m.name + s, m);
    else metricOfSeries.set(m.name, m);
  }
  // recording rule → metrics it reads (transitively through other rules)
  const recording = input.rules.filter((r) => r.kind === 'recording');
  const ruleMetrics = new Map<string, Set<Metric>>();
  const metricsOf = (names: readonly string[], seen = new Set<string>()): Set<Metric> => {
    const out = new Set<Metric>();
    for (const n of names) {
      const m = metricOfSeries.get(n);
      if (m) out.add(m);
      const rule = recording.find((r) => r.name === n);
      if (rule && !seen.has(n)) {
        seen.add(n);
        for (const x of metricsOf(selectedSeries(rule.expr).names, seen)) out.add(x);
      }
    }
    return out;
  };
  for (const r of recording) ruleMetrics.set(r.name, metricsOf(selectedSeries(r.expr).names));
  // Without a k6 run there are no k6 series: what reads only them is skipped, not failed.
  const k6Only = (q: string) => {
    const read = [...metricsOf(selectedSeries(q).names)];
    return !input.k6Ran && read.length > 0 && read.every((m) => m.spec.origin === 'k6');
  };
  const K6_SKIPPED = 'reads k6 series only: proven when live-verify runs its load on k6 (no k6 found)';

  // Recording rules that select only error/alert series are empty on a healthy run, and so is
  // anything that reads them (e.g. the 5xx ratio: no 5xx responses, no numerator, no sample).
  const eventOnlyRules = new Set(recording.filter((r) => eventOnly(r.expr)).map((r) => r.name));
  const isEventOnly = (q: string) => eventOnly(q) || selectedSeries(q).names.some((n) => eventOnlyRules.has(n));
  const idle = (object: string, file: string, what: string): void => {
    if (input.strictIdle)
      findings.push({
        rule: 'live-idle',
        file,
        object,
        message: `${what} is empty on a healthy run (it selects only 5xx responses or alerts)`,
        fix: 'make it read 0 when healthy, e.g. `(errors or total * 0) / total`',
      });
  };

  // --- panels --------------------------------------------------------------------------------------
  const panelResults: PanelResult[] = [];
  const panelUses = new Map<Metric, Set<string>>();
  for (const t of input.panels) {
    const label = `${t.dashboardUid} / ${t.panelTitle} (${t.refId})`;
    const object = `dashboard ${t.dashboardUid} / panel ${t.panelId} "${t.panelTitle}" / target ${t.refId}`;
    const base = {
      dashboard: t.dashboardUid,
      panel: t.panelTitle,
      panelId: t.panelId,
      refId: t.refId,
      datasource: t.datasource,
      query: t.query,
    };
    if (t.datasource !== 'prometheus') {
      panelResults.push({
        ...base,
        series: 0,
        status: 'skipped',
        note: `${t.datasource} target: checked by the Loki readiness check, not against Prometheus`,
      });
      continue;
    }
    for (const m of metricsOf(selectedSeries(t.query).names))
      (panelUses.get(m) ?? panelUses.set(m, new Set()).get(m)!).add(label);
    if (k6Only(t.query)) {
      panelResults.push({ ...base, series: 0, status: 'skipped', note: K6_SKIPPED });
      continue;
    }
    try {
      const rows = await prom.query(t.query, at);
      if (rows.length > 0) panelResults.push({ ...base, series: rows.length, status: 'ok' });
      else if (isEventOnly(t.query)) {
        panelResults.push({
          ...base,
          series: 0,
          status: 'idle',
          note: 'reads only 5xx responses or active alerts: empty on a healthy run, proven by the alert drills',
        });
        idle(object, t.file, 'the panel');
      } else {
        panelResults.push({ ...base, series: 0, status: 'empty' });
        findings.push({
          rule: 'live-panel-empty',
          file: t.file,
          object,
          message: `returned no series from the live target after the smoke load: ${t.query}`,
          fix: 'compare its metric name and label values with what the target exposes (`catalog-check`), or fix the definition in src/dashboards/ and run `make synth`',
        });
      }
    } catch (err) {
      panelResults.push({ ...base, series: 0, status: 'error', note: (err as Error).message });
      findings.push({
        rule: 'live-panel-error',
        file: t.file,
        object,
        message: `Prometheus refused the query: ${(err as Error).message}`,
        fix: 'fix the expression in src/dashboards/ and run `make synth`',
      });
    }
  }

  // --- rules -----------------------------------------------------------------------------------------
  let states: RuleState[] = [];
  try {
    states = (await prom.rules()).flatMap((g) => g.rules);
  } catch (err) {
    findings.push({
      rule: 'live-rules-unavailable',
      file: 'infra/prometheus',
      object: 'Prometheus /api/v1/rules',
      message: (err as Error).message,
      fix: 'check that Prometheus loaded the rule files',
    });
  }
  const ruleResults: RuleResult[] = [];
  const alertUses = new Map<Metric, Set<string>>();
  const recordingUses = new Map<Metric, Set<string>>();
  for (const r of input.rules) {
    const st = states.find((s) => s.name === r.name && (s.type === 'recording') === (r.kind === 'recording'));
    const object = r.kind === 'recording' ? `recording rule ${r.name}` : `alert ${r.name}`;
    const used = r.kind === 'recording' ? ruleMetrics.get(r.name)! : metricsOf(selectedSeries(r.expr).names);
    for (const m of used) {
      const map = r.kind === 'recording' ? recordingUses : alertUses;
      (map.get(m) ?? map.set(m, new Set()).get(m)!).add(r.name);
    }
    if (!st) {
      ruleResults.push({
        kind: r.kind,
        name: r.name,
        group: r.group,
        series: 0,
        health: 'not loaded',
        status: 'error',
        error: 'not loaded by Prometheus',
      });
      findings.push({
        rule: 'live-rule-not-loaded',
        file: r.file,
        object,
        message: 'Prometheus did not load this rule',
        fix: 'check the rule_files of the Prometheus config',
      });
      continue;
    }
    let series = 0;
    let error = st.health === 'err' ? st.lastError : undefined;
    try {
      series = (await prom.query(r.kind === 'recording' ? r.name : r.expr, at)).length;
    } catch (err) {
      error = (err as Error).message;
    }
    const status: RuleResult['status'] = error
      ? 'error'
      : r.kind === 'recording' && series === 0
        ? isEventOnly(r.expr)
          ? 'idle'
          : 'no-samples'
        : 'ok';
    if (status === 'idle') idle(object, r.file, 'the rule');
    ruleResults.push({
      kind: r.kind,
      name: r.name,
      group: r.group,
      series,
      health: st.health,
      status,
      ...(error ? { error } : {}),
      ...(st.state ? { state: st.state } : {}),
    });
    if (status === 'error')
      findings.push({
        rule: r.kind === 'alert' ? 'live-alert-error' : 'live-rule-error',
        file: r.file,
        object,
        message: `does not evaluate: ${error}`,
        fix: 'fix the expression in src/ and run `make synth`',
      });
    if (status === 'no-samples')
      findings.push({
        rule: 'live-rule-no-samples',
        file: r.file,
        object,
        message: `has no samples after the smoke load (${r.expr})`,
        fix: 'make sure the series it reads exist on the target (`catalog-check`) and the load exercises them',
      });
  }

  const {
    coverage,
    signals,
    findings: coverageFindings,
  } = await signalCoverage({
    prom,
    at,
    metrics: metricsList,
    scenarioSignals: input.scenarioSignals,
    ...(input.drillSignals ? { drillSignals: input.drillSignals } : {}),
    ...(input.k6Ran !== undefined ? { k6Ran: input.k6Ran } : {}),
    uses: { panels: panelUses, alerts: alertUses, recordingRules: recordingUses },
  });
  findings.push(...coverageFindings);

  return {
    at: at.toISOString(),
    prometheus: prom.url,
    rateInterval: input.rateInterval,
    panels: panelResults,
    rules: ruleResults,
    coverage,
    signals,
    findings,
    pass: findings.length === 0,
  };
}
