// What the live check reports: each panel target's and rule's status against the live Prometheus, the
// coverage table signal → metric → panels → alerts → recording rules → scenario, and the findings.
import type { Signal } from '../catalog/index.js';
import type { Finding } from '../kernel/findings.js';
import type { AlertSeen } from '../kernel/prometheus-client.js';

export type PanelStatus = 'ok' | 'empty' | 'idle' | 'error' | 'skipped';

export interface PanelResult {
  readonly dashboard: string;
  readonly panel: string;
  readonly panelId: number;
  readonly refId: string;
  readonly datasource: string;
  readonly query: string;
  readonly series: number;
  readonly status: PanelStatus;
  readonly note?: string;
}

export interface RuleResult {
  readonly kind: 'recording' | 'alert';
  readonly name: string;
  readonly group: string;
  readonly series: number;
  /** Prometheus's own evaluation health from /api/v1/rules. */
  readonly health: string;
  readonly status: 'ok' | 'no-samples' | 'idle' | 'error';
  readonly error?: string;
  readonly state?: string;
}

export interface CoverageRow {
  readonly signal: Signal;
  readonly metric: string;
  readonly type: string;
  readonly origin: string;
  readonly panels: readonly string[];
  readonly alerts: readonly string[];
  readonly recordingRules: readonly string[];
  readonly scenarios: readonly string[];
  /** Why a metric is covered without a scenario moving it (passive gauge, drill). */
  readonly exercisedBy: string;
  readonly liveSeries: number;
  readonly status: 'live' | 'idle' | 'absent';
}

export interface LiveReport {
  readonly at: string;
  readonly prometheus: string;
  readonly rateInterval: string;
  readonly panels: readonly PanelResult[];
  readonly rules: readonly RuleResult[];
  readonly coverage: readonly CoverageRow[];
  readonly signals: ReadonlyArray<{ signal: Signal; metrics: string[]; exercisedBy: string[]; ok: boolean }>;
  readonly findings: readonly Finding[];
  /** Gate alerts pending or firing during the load (filled by liveVerify: must be empty). */
  readonly gateAlertsDuringRun?: readonly AlertSeen[];
  /** Loki readiness of the log panels (filled by liveVerify when it runs the stack itself). */
  readonly loki?: import('./loki.js').LokiReadiness;
  readonly pass: boolean;
}
