// The committed dashboards as Grafana reads them (infra/grafana/provisioning/dashboards/), with the
// helpers the dashboard tests share; test/synth checks they are what synth generates.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers.js';

export interface Step {
  readonly value: number | null;
  readonly color: string;
}
export interface PanelJson {
  readonly type: string;
  readonly title: string;
  readonly description?: string;
  readonly targets?: readonly { readonly expr?: string }[];
  readonly fieldConfig?: {
    readonly defaults?: {
      readonly thresholds?: { readonly steps: readonly Step[] };
      readonly custom?: { readonly thresholdsStyle?: { readonly mode: string } };
    };
  };
}
export interface DashboardJson {
  readonly panels: readonly PanelJson[];
  readonly templating: { readonly list: readonly { name: string; query?: unknown; includeAll?: boolean }[] };
}

export const dashboardJson = (uid: string): DashboardJson =>
  JSON.parse(readFileSync(join(ROOT, 'infra/grafana/provisioning/dashboards', `${uid}.json`), 'utf8'));

export const exprsOf = (p: PanelJson): string[] => (p.targets ?? []).map((t) => t.expr ?? '');

/** The colour Grafana gives a value: the last step whose value it reaches (≥). */
export function colorAt(p: PanelJson, v: number): string | undefined {
  let color: string | undefined;
  for (const s of p.fieldConfig?.defaults?.thresholds?.steps ?? [])
    if (s.value === null || v >= s.value) color = s.color;
  return color;
}
