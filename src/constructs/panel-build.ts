// The house style's panel: the SDK's builder for its kind with the kind's defaults, the typed props
// (unit, thresholds, texts, links, table columns) and its targets, with refIds and datasources filled in.
import * as dash from '@grafana/grafana-foundation-sdk/dashboard';
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as loki from '@grafana/grafana-foundation-sdk/loki';
import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { PANEL_KINDS, type AnyPanelBuilder, type PanelKind } from './panel-kinds.js';
import { panelLinks, tableParts, thresholdsConfig, valueMappings } from './panel-options.js';
import type { PanelProps, PanelQuery } from './panel-props.js';

/** Datasources are template variables so one dashboard works against any Prometheus/Loki. */
export const DATASOURCES = {
  prometheus: { type: 'prometheus', uid: '${datasource}' },
  loki: { type: 'loki', uid: '${loki}' },
} as const;
type Datasource = (typeof DATASOURCES)[keyof typeof DATASOURCES];

export function housePanel(
  p: PanelProps,
  kind: PanelKind,
  source: keyof typeof DATASOURCES,
  id: number,
  gridPos: dash.GridPos,
): AnyPanelBuilder {
  const datasource = DATASOURCES[source];
  const builder = PANEL_KINDS[kind](p)
    .id(id)
    .title(p.title)
    .description(p.description)
    .datasource(datasource)
    .gridPos(gridPos)
    .unit(p.unit);
  if (p.min !== undefined) builder.min(p.min);
  if (p.max !== undefined) builder.max(p.max);
  if (p.thresholds) {
    builder.thresholds(thresholdsConfig(p.baseColor ?? 'green', p.thresholds));
    if (builder instanceof timeseries.PanelBuilder) {
      builder.thresholdsStyle(
        new common.GraphThresholdsStyleConfigBuilder().mode(
          (p.thresholdStyle ?? 'dashed') as common.GraphThresholdsStyleMode,
        ),
      );
    }
  }
  if (p.texts) builder.mappings(valueMappings(p.texts));
  if (p.links) builder.links(panelLinks(p.links));
  if (p.noValue) builder.noValue(p.noValue);
  if (p.table) {
    const { transformation, overrides } = tableParts(p.table);
    builder.withTransformation(transformation);
    for (const o of overrides) builder.withOverride(o);
  }
  p.queries.forEach((q, i) => builder.withTarget(target(q, refId(i), datasource, kind)));
  return builder;
}

function target(q: PanelQuery, ref: string, datasource: Datasource, kind: PanelKind) {
  const expr = String(q.expr);
  if (datasource.type === 'loki') {
    return new loki.DataqueryBuilder().refId(ref).datasource(datasource).expr(expr).queryType('range');
  }
  const target = new prometheus.DataqueryBuilder()
    .refId(ref)
    .datasource(datasource)
    .expr(expr)
    .editorMode(prometheus.QueryEditorMode.Code)
    .legendFormat(q.legend ?? '__auto');
  // A table shows one row per series only from a table-format instant query (time series format shows the first series).
  if (kind === 'table') return target.instant().format(prometheus.PromQueryFormat.Table);
  return q.instant ? target.instant() : target.range();
}

/** A: the first query, B: the second, ... (Grafana's convention). */
const refId = (i: number): string => String.fromCharCode(65 + i);
