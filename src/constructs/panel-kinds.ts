// Per-kind presentation defaults: the only place that differs between panel types.
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as gauge from '@grafana/grafana-foundation-sdk/gauge';
import * as logs from '@grafana/grafana-foundation-sdk/logs';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as table from '@grafana/grafana-foundation-sdk/table';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';

export const PANEL_KIND_NAMES = ['timeseries', 'stat', 'gauge', 'table', 'logs'] as const;
export type PanelKind = (typeof PANEL_KIND_NAMES)[number];

export type AnyPanelBuilder =
  timeseries.PanelBuilder | stat.PanelBuilder | gauge.PanelBuilder | table.PanelBuilder | logs.PanelBuilder;

export const PANEL_KINDS: Record<PanelKind, (p: { readonly stacked?: boolean }) => AnyPanelBuilder> = {
  timeseries: (p) =>
    new timeseries.PanelBuilder()
      .lineWidth(1)
      .fillOpacity(p.stacked ? 30 : 10)
      .showPoints(common.VisibilityMode.Never)
      .stacking(
        new common.StackingConfigBuilder().mode(p.stacked ? common.StackingMode.Normal : common.StackingMode.None),
      )
      .legend(
        new common.VizLegendOptionsBuilder()
          .displayMode(common.LegendDisplayMode.Table)
          .placement(common.LegendPlacement.Bottom)
          .showLegend(true)
          .calcs(['mean', 'max', 'lastNotNull']),
      )
      .tooltip(
        new common.VizTooltipOptionsBuilder().mode(common.TooltipDisplayMode.Multi).sort(common.SortOrder.Descending),
      ),
  stat: () =>
    new stat.PanelBuilder()
      .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false))
      .colorMode(common.BigValueColorMode.Background)
      .graphMode(common.BigValueGraphMode.Area)
      .textMode(common.BigValueTextMode.ValueAndName),
  gauge: () =>
    new gauge.PanelBuilder()
      .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false))
      .showThresholdMarkers(true),
  table: () =>
    new table.PanelBuilder()
      .cellHeight(common.TableCellHeight.Sm)
      .footer(new common.TableFooterOptionsBuilder().show(false)),
  logs: () =>
    new logs.PanelBuilder()
      .showTime(true)
      .wrapLogMessage(true)
      .enableLogDetails(true)
      .sortOrder(common.LogsSortOrder.Descending)
      .dedupStrategy(common.LogsDedupStrategy.None),
};
