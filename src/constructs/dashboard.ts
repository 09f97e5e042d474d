// Dashboard constructs. One Dashboard/Row/Panel construct serves every dashboard; what differs
// between dashboards is data. The foundation SDK builds the Grafana model; this layer fills in
// what the SDK leaves empty and Grafana needs: panel ids, target refIds, datasources, grid layout.
import * as dash from '@grafana/grafana-foundation-sdk/dashboard';
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as gauge from '@grafana/grafana-foundation-sdk/gauge';
import * as logs from '@grafana/grafana-foundation-sdk/logs';
import * as loki from '@grafana/grafana-foundation-sdk/loki';
import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as table from '@grafana/grafana-foundation-sdk/table';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { z } from 'zod';
import type { Expr } from '../promql/expr.js';
import { Construct, validateProps } from './construct.js';

/** Grafana unit ids the dashboards use (Grafana's `units` registry); a typo is a type error. */
export type GrafanaUnit = 'reqps' | 'ops' | 'short' | 's' | 'ms' | 'percentunit' | 'bytes' | 'none' | 'bool';

/** Datasources are template variables so one dashboard works against any Prometheus/Loki. */
export const DATASOURCES = {
  prometheus: { type: 'prometheus', uid: '${datasource}' },
  loki: { type: 'loki', uid: '${loki}' },
} as const;

export interface PanelQuery {
  /** PromQL built from catalog references, or LogQL text for log panels. */
  readonly expr: Expr | string;
  readonly legend?: string;
  /** Evaluate once at the end of the range (stat/gauge/table snapshots). */
  readonly instant?: boolean;
}

export interface Threshold {
  readonly value: number;
  readonly color: 'green' | 'yellow' | 'orange' | 'red';
}

export type PanelKind = 'timeseries' | 'stat' | 'gauge' | 'table' | 'logs';

export interface PanelProps {
  readonly title: string;
  /** Shown as the panel's (i) tooltip: what it shows and what "bad" looks like. */
  readonly description: string;
  readonly kind?: PanelKind;
  readonly unit: GrafanaUnit;
  readonly queries: readonly PanelQuery[];
  /** Grid columns out of 24; panels flow left to right and wrap. */
  readonly width?: number;
  readonly height?: number;
  /** Base color then steps: `[{ value: 0.005, color: 'red' }]` turns red above 0.005. */
  readonly thresholds?: readonly Threshold[];
  readonly min?: number;
  readonly max?: number;
  readonly stacked?: boolean;
}

const panelSchema = z.object({
  title: z.string().min(1),
  description: z.string().min(10, 'every panel needs a description saying what it shows'),
  kind: z.enum(['timeseries', 'stat', 'gauge', 'table', 'logs']).optional(),
  unit: z.string().min(1),
  queries: z.array(z.object({ expr: z.unknown(), legend: z.string().optional() })).min(1, 'a panel needs at least one query'),
  width: z.number().int().min(1).max(24).optional(),
  height: z.number().int().min(2).max(30).optional(),
});

const DEFAULT_WIDTH = 8;
const DEFAULT_HEIGHT = 8;
const GRID_COLUMNS = 24;

type AnyPanelBuilder = timeseries.PanelBuilder | stat.PanelBuilder | gauge.PanelBuilder | table.PanelBuilder | logs.PanelBuilder;

/** Per-kind presentation defaults: the only place that differs between panel types. */
const PANEL_KINDS: Record<PanelKind, (p: PanelProps) => AnyPanelBuilder> = {
  timeseries: (p) =>
    new timeseries.PanelBuilder()
      .lineWidth(1)
      .fillOpacity(p.stacked ? 30 : 10)
      .showPoints(common.VisibilityMode.Never)
      .stacking(new common.StackingConfigBuilder().mode(p.stacked ? common.StackingMode.Normal : common.StackingMode.None))
      .legend(
        new common.VizLegendOptionsBuilder()
          .displayMode(common.LegendDisplayMode.Table)
          .placement(common.LegendPlacement.Bottom)
          .showLegend(true)
          .calcs(['mean', 'max', 'lastNotNull']),
      )
      .tooltip(new common.VizTooltipOptionsBuilder().mode(common.TooltipDisplayMode.Multi).sort(common.SortOrder.Descending)),
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
    new table.PanelBuilder().cellHeight(common.TableCellHeight.Sm).footer(new common.TableFooterOptionsBuilder().show(false)),
  logs: () =>
    new logs.PanelBuilder()
      .showTime(true)
      .wrapLogMessage(true)
      .enableLogDetails(true)
      .sortOrder(common.LogsSortOrder.Descending)
      .dedupStrategy(common.LogsDedupStrategy.None),
};

export class Panel extends Construct {
  readonly props: PanelProps;
  constructor(scope: Row, id: string, props: PanelProps) {
    super(scope, id);
    this.props = validateProps(panelSchema, props, this) && props;
  }
  get kind(): PanelKind {
    return this.props.kind ?? 'timeseries';
  }
  get datasource(): 'prometheus' | 'loki' {
    return this.kind === 'logs' ? 'loki' : 'prometheus';
  }
  get size(): { w: number; h: number } {
    return { w: this.props.width ?? DEFAULT_WIDTH, h: this.props.height ?? DEFAULT_HEIGHT };
  }

  build(id: number, gridPos: dash.GridPos): AnyPanelBuilder {
    const p = this.props;
    const datasource = DATASOURCES[this.datasource];
    const builder = PANEL_KINDS[this.kind](p)
      .id(id)
      .title(p.title)
      .description(p.description)
      .datasource(datasource)
      .gridPos(gridPos)
      .unit(p.unit);
    if (p.min !== undefined) builder.min(p.min);
    if (p.max !== undefined) builder.max(p.max);
    if (p.thresholds) {
      builder.thresholds(
        new dash.ThresholdsConfigBuilder().mode(dash.ThresholdsMode.Absolute).steps([
          { value: null, color: 'green' },
          ...p.thresholds.map((t) => ({ value: t.value, color: t.color })),
        ]),
      );
    }
    p.queries.forEach((q, i) => builder.withTarget(this.target(q, refId(i), datasource)));
    return builder;
  }

  private target(q: PanelQuery, ref: string, datasource: (typeof DATASOURCES)[keyof typeof DATASOURCES]) {
    const expr = String(q.expr);
    if (this.datasource === 'loki') {
      return new loki.DataqueryBuilder().refId(ref).datasource(datasource).expr(expr).queryType('range');
    }
    const target = new prometheus.DataqueryBuilder()
      .refId(ref)
      .datasource(datasource)
      .expr(expr)
      .editorMode(prometheus.QueryEditorMode.Code)
      .legendFormat(q.legend ?? '__auto');
    return q.instant ? target.instant() : target.range();
  }
}

/** A: the first query, B: the second, ... (Grafana's convention). */
const refId = (i: number): string => String.fromCharCode(65 + i);

export class Row extends Construct {
  constructor(
    scope: Dashboard,
    id: string,
    readonly props: { title: string; collapsed?: boolean },
  ) {
    super(scope, id);
    validateProps(z.object({ title: z.string().min(1) }), props, this);
  }
  get panels(): Panel[] {
    return this.children.filter((c): c is Panel => c instanceof Panel);
  }
}

export interface DashboardProps {
  readonly title: string;
  readonly description: string;
  readonly tags: readonly string[];
  readonly refresh?: string;
  readonly timeFrom?: string;
}

const dashboardSchema = z.object({
  title: z.string().min(3),
  description: z.string().min(10),
  tags: z.array(z.string()).min(1),
});

export class Dashboard extends Construct {
  constructor(
    scope: Construct,
    /** Also the Grafana uid: stable across runs, at most 40 characters. */
    id: string,
    readonly props: DashboardProps,
  ) {
    super(scope, id);
    validateProps(dashboardSchema, props, this);
    validateProps(z.string().regex(/^[a-z0-9-]{1,40}$/, 'dashboard ids are Grafana uids: lower-case, digits, dashes, 40 at most'), id, this);
  }
  get uid(): string {
    return this.id;
  }
  get rows(): Row[] {
    return this.children.filter((c): c is Row => c instanceof Row);
  }

  /** The Grafana dashboard model, as plain JSON. */
  build(): Record<string, unknown> {
    const usesLoki = this.rows.some((r) => r.panels.some((p) => p.datasource === 'loki'));
    const builder = new dash.DashboardBuilder(this.props.title)
      .uid(this.uid)
      .description(this.props.description)
      .tags([...this.props.tags, 'stressgate'])
      .editable()
      .tooltip(dash.DashboardCursorSync.Crosshair)
      .refresh(this.props.refresh ?? '30s')
      .time({ from: this.props.timeFrom ?? 'now-1h', to: 'now' })
      .timezone('browser')
      .withVariable(
        new dash.DatasourceVariableBuilder('datasource').label('Prometheus').type('prometheus').current({ text: 'Prometheus', value: 'prometheus' }),
      );
    if (usesLoki) {
      builder.withVariable(new dash.DatasourceVariableBuilder('loki').label('Loki').type('loki').current({ text: 'Loki', value: 'loki' }));
    }
    builder.withVariable(
      new dash.QueryVariableBuilder('job')
        .label('Job')
        .datasource(DATASOURCES.prometheus)
        .query('label_values(up, job)')
        .definition('label_values(up, job)')
        .refresh(dash.VariableRefresh.OnTimeRangeChanged)
        .includeAll(true)
        .multi(true)
        .allValue('.+')
        .current({ text: 'All', value: '$__all' }),
    );

    // Flow layout: a row header takes a full-width line, panels fill 24 columns and wrap.
    let nextId = 1;
    let y = 0;
    for (const row of this.rows) {
      builder.withRow(new dash.RowBuilder(row.props.title).id(nextId++).gridPos({ x: 0, y, w: GRID_COLUMNS, h: 1 }));
      y += 1;
      let x = 0;
      let lineHeight = 0;
      for (const panel of row.panels) {
        const { w, h } = panel.size;
        if (x + w > GRID_COLUMNS) {
          x = 0;
          y += lineHeight;
          lineHeight = 0;
        }
        builder.withPanel(panel.build(nextId++, { x, y, w, h }));
        x += w;
        lineHeight = Math.max(lineHeight, h);
      }
      y += lineHeight;
    }
    return JSON.parse(JSON.stringify(builder.build())) as Record<string, unknown>;
  }
}
