// The project as the lint sees it: the generated files it reads, with their project-relative paths
// (./load-project.ts reads and shape-checks them), and how findings name their dashboards and panels.
import { basename } from 'node:path';
import type { Finding } from '../kernel/findings.js';
import type { PrometheusConfig } from './prometheus-config.js';

export interface RuleDoc {
  readonly record?: string;
  readonly alert?: string;
  readonly expr?: string;
  readonly for?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

export interface RuleGroup {
  readonly name: string;
  /** The group's own evaluation interval, when it sets one. */
  readonly interval?: string;
  readonly rules: readonly RuleDoc[];
}

export interface RuleFile {
  readonly path: string;
  readonly groups: readonly RuleGroup[];
}

/** One `alert_rule_test` entry of a promtool test file. */
export interface AlertTestCase {
  readonly path: string;
  readonly alertname: string;
  readonly evalTime?: string;
  /** Number of expected alerts; 0 is a case where the alert must not fire. */
  readonly expAlerts: number;
}

export interface Datasource {
  readonly type?: string;
  readonly uid?: string;
}

export interface Target {
  readonly refId?: string;
  readonly expr?: string;
  readonly datasource?: Datasource;
  readonly legendFormat?: string;
}

/** A Grafana panel (classic JSON model). Fields the shape rule checks stay `unknown`, so a wrong type is a finding there. */
export interface Panel {
  readonly id?: unknown;
  readonly type?: string;
  readonly title?: string;
  readonly description?: string;
  readonly datasource?: Datasource | null;
  readonly gridPos?: { readonly x?: unknown; readonly y?: unknown; readonly w?: unknown; readonly h?: unknown };
  readonly fieldConfig?: { readonly defaults?: { readonly unit?: string } };
  readonly targets?: readonly Target[];
  /** A collapsed row's panels. */
  readonly panels?: readonly Panel[];
}

export interface DashboardVariable {
  readonly name: string;
  readonly type?: string;
}

export interface DashboardFile {
  readonly path: string;
  readonly uid?: string;
  readonly title?: string;
  readonly panels: readonly Panel[];
  readonly variables: readonly DashboardVariable[];
  /** The parsed JSON, for rules that read more of the model (src/lint/dashboard-model.ts shapes it). */
  readonly raw: unknown;
}

export interface Project {
  readonly root: string;
  /** prometheus.yml; undefined when it is missing (reported) or unreadable (a file-parse finding). */
  readonly config?: PrometheusConfig;
  /** Whether prometheus.yml exists at all. */
  readonly configExists: boolean;
  readonly ruleFiles: readonly RuleFile[];
  readonly alertTests: readonly AlertTestCase[];
  readonly dashboards: readonly DashboardFile[];
  /** Markdown by project-relative path (`docs/runbooks/alerts.md`). */
  readonly runbooks: ReadonlyMap<string, string>;
  /** The Grafana image the Compose file pins (`grafana/grafana:12.3.0`), when there is one. */
  readonly grafanaImage?: string;
  /** Files that could not be read as what they should be. */
  readonly parseFindings: readonly Finding[];
}

export const PATHS = {
  config: 'infra/prometheus/prometheus.yml',
  rules: 'infra/prometheus',
  ruleTests: 'infra/prometheus/tests',
  dashboards: 'infra/grafana/provisioning/dashboards',
  runbooks: 'docs/runbooks',
  compose: 'infra/docker-compose.yml',
} as const;

/** Every panel, rows' collapsed children included. */
export const allPanels = (d: DashboardFile): Panel[] => d.panels.flatMap((p) => [p, ...(p.panels ?? [])]);

/** How a dashboard is named in findings: its uid, or the file name when it has none. */
export const dashboardName = (d: DashboardFile) => `dashboard ${d.uid ?? basename(d.path, '.json')}`;

export const panelName = (d: DashboardFile, p: Pick<Panel, 'id' | 'title'>) =>
  `${dashboardName(d)} / panel ${typeof p.id === 'number' ? p.id : '?'} "${p.title ?? ''}"`;

export const targetName = (d: DashboardFile, p: Panel, t: Target, index: number) =>
  `${panelName(d, p)} / target ${t.refId || `#${index + 1}`}`;
