// The live check's coverage table: for every catalog metric, the panels, alerts and recording rules
// that read it, the scenario (or passive source, or drill) that moves it, and whether the live target
// has its series; then every signal must have a metric and something that exercises it.
import { SIGNALS, type Metric, type Signal } from '../catalog/index.js';
import type { Finding } from '../kernel/findings.js';
import type { PromClient } from '../kernel/prometheus-client.js';
import type { CoverageRow, LiveReport } from './live-report.js';

/** Signals whose series exist without any traffic moving them: gauges and non-app series. */
function passive(metric: Metric): string | undefined {
  const origin = metric.spec.origin ?? 'app';
  if (origin === 'runtime') return 'runtime collector (present while the process runs)';
  if (origin === 'prometheus') return 'written by Prometheus';
  if (origin === 'k6') return 'k6 remote write during a k6 load run';
  if (metric.type === 'gauge') return 'gauge (reported without traffic)';
  return undefined;
}

const DRILL_DEFAULT: Partial<Record<Signal, string>> = {
  'ws-backpressure': 'alert drill WsBackpressureDrops (src/drills/alerts.ts)',
};
/** Error counters no clean scenario moves, and the fault drill that does (src/drills/faults.ts). */
const METRIC_DRILLS: Readonly<Record<string, string>> = {
  db_query_errors_total: 'fault drill db (src/drills/faults.ts)',
  redis_command_errors_total: 'fault drill redis (src/drills/faults.ts)',
};

export interface CoverageInput {
  readonly prom: PromClient;
  readonly at: Date;
  readonly metrics: readonly Metric[];
  /** Scenario → catalog metrics it moves (load/flows/signals.ts). */
  readonly scenarioSignals: Readonly<Record<string, readonly Metric[]>>;
  /** Signals only a fault drill moves, with the drill's name (default: the backpressure alert drill). */
  readonly drillSignals?: Readonly<Partial<Record<Signal, string>>>;
  /** Whether the load ran on k6 with remote write: only then must k6's series be live. */
  readonly k6Ran?: boolean;
  /** Metric → the panel targets, alerts and recording rules that read it. */
  readonly uses: {
    readonly panels: ReadonlyMap<Metric, ReadonlySet<string>>;
    readonly alerts: ReadonlyMap<Metric, ReadonlySet<string>>;
    readonly recordingRules: ReadonlyMap<Metric, ReadonlySet<string>>;
  };
}

export async function signalCoverage(
  input: CoverageInput,
): Promise<{ coverage: CoverageRow[]; signals: LiveReport['signals']; findings: Finding[] }> {
  const drillSignals = input.drillSignals ?? DRILL_DEFAULT;
  const findings: Finding[] = [];
  const scenariosOf = (m: Metric) =>
    Object.entries(input.scenarioSignals)
      .filter(([, ms]) => ms.includes(m))
      .map(([s]) => s)
      .sort();
  const coverage: CoverageRow[] = [];
  for (const m of input.metrics) {
    const series = m.type === 'histogram' ? `${m.name}_count` : m.name;
    let live = 0;
    try {
      live = Number((await input.prom.query(`count(${series})`, input.at))[0]?.value[1] ?? 0);
    } catch {
      live = 0;
    }
    const panels = [...(input.uses.panels.get(m) ?? [])].sort();
    const alerts = [...(input.uses.alerts.get(m) ?? [])].sort();
    const recordingRules = [...(input.uses.recordingRules.get(m) ?? [])].sort();
    const scenarios = scenariosOf(m);
    const signal = m.spec.signals[0]!;
    const exercisedBy = scenarios.length
      ? `scenario ${scenarios.join(', ')}`
      : (passive(m) ?? METRIC_DRILLS[m.name] ?? drillSignals[signal] ?? '');
    // The alert series exist only while an alert is active: empty on a healthy run.
    const status: CoverageRow['status'] =
      live > 0 ? 'live' : m.name === 'ALERTS' || m.name === 'ALERTS_FOR_STATE' ? 'idle' : 'absent';
    for (const s of m.spec.signals) {
      coverage.push({
        signal: s,
        metric: m.name,
        type: m.type,
        origin: m.spec.origin ?? 'app',
        panels,
        alerts,
        recordingRules,
        scenarios,
        exercisedBy,
        liveSeries: live,
        status,
      });
    }
    const object = `metric ${m.name}`;
    if (!panels.length && !alerts.length && !recordingRules.length)
      findings.push({
        rule: 'live-metric-unused',
        file: 'src/catalog/metrics.ts',
        object,
        message: 'no dashboard panel, alert or recording rule reads it',
        fix: 'add a panel or alert that watches it, or remove it from the catalog',
      });
    if (status === 'absent' && !(m.spec.origin === 'k6' && !input.k6Ran))
      findings.push({
        rule: 'live-metric-absent',
        file: 'src/catalog/metrics.ts',
        object,
        message: 'the live target exposes no series of it after the smoke load',
        fix: 'run `catalog-check` against the target: the metric was renamed or is not registered',
      });
  }
  coverage.sort((a, b) => SIGNALS.indexOf(a.signal) - SIGNALS.indexOf(b.signal) || a.metric.localeCompare(b.metric));
  const signals = SIGNALS.map((signal) => {
    const rows = coverage.filter((r) => r.signal === signal);
    const exercisedBy = [...new Set(rows.map((r) => r.exercisedBy).filter(Boolean))];
    return { signal, metrics: rows.map((r) => r.metric), exercisedBy, ok: rows.length > 0 && exercisedBy.length > 0 };
  });
  for (const s of signals) {
    if (!s.metrics.length)
      findings.push({
        rule: 'live-signal-no-metric',
        file: 'src/catalog/types.ts',
        object: `signal ${s.signal}`,
        message: 'no catalog metric serves it',
        fix: 'add a metric for it or drop the signal',
      });
    else if (!s.ok)
      findings.push({
        rule: 'live-signal-unexercised',
        file: 'load/flows/signals.ts',
        object: `signal ${s.signal}`,
        message: `no load scenario exercises it (metrics: ${s.metrics.join(', ')})`,
        fix: 'make a flow move one of its metrics and list it in SCENARIO_SIGNALS, or cover it with a drill',
      });
  }

  return { coverage, signals, findings };
}
