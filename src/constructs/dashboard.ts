// Dashboard constructs. One Dashboard/Row/Panel construct serves every dashboard; what differs
// between dashboards is data. The foundation SDK builds the Grafana model; this layer fills in
// what the SDK leaves empty and Grafana needs: panel ids, target refIds, datasources, grid layout.
import * as dash from '@grafana/grafana-foundation-sdk/dashboard';
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as loki from '@grafana/grafana-foundation-sdk/loki';
import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { z } from 'zod';
import { Construct, uniqueInTree } from './construct.js';
import { PANEL_KINDS, type AnyPanelBuilder, type PanelKind } from './panel-kinds.js';
import { panelLinks, tableParts, thresholdsConfig, valueMappings } from './panel-options.js';
import { GRID_COLUMNS, panelSchema, type PanelProps, type PanelQuery } from './panel-props.js';
import { number, positiveDuration, text } from './props.js';

export type {
  Color,
  GrafanaUnit,
  PanelLink,
  TableLayout,
  Threshold,
  ThresholdStyle,
  ValueText,
} from './panel-options.js';

/** Datasources are template variables so one dashboard works against any Prometheus/Loki. */
export const DATASOURCES = {
  prometheus: { type: 'prometheus', uid: '${datasource}' },
  loki: { type: 'loki', uid: '${loki}' },
} as const;

export type { PanelKind } from './panel-kinds.js';

const DEFAULT_WIDTH = 8;
const DEFAULT_HEIGHT = 8;

export class Panel extends Construct {
  readonly props: PanelProps;
  constructor(scope: Row, id: string, props: PanelProps) {
    super(scope, id);
    this.props = props;
    this.addPropsValidation(panelSchema, props);
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
    // A table shows one row per series only from a table-format instant query (time series format shows the first series).
    if (this.kind === 'table') return target.instant().format(prometheus.PromQueryFormat.Table);
    return q.instant ? target.instant() : target.range();
  }
}

/** A: the first query, B: the second, ... (Grafana's convention). */
const refId = (i: number): string => String.fromCharCode(65 + i);

const rowSchema = z.object({ title: text('give the row a title'), collapsed: z.boolean().optional() });

export class Row extends Construct {
  constructor(
    scope: Dashboard,
    id: string,
    readonly props: { title: string; collapsed?: boolean },
  ) {
    super(scope, id);
    this.addPropsValidation(rowSchema, props);
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
  /** The `job` variable's default: the app's job, so other jobs' series (Prometheus's own) stay out. */
  readonly defaultJob?: string;
  /** More query variables after `job` (All selected, matching any value or none): `run` picks one load run. */
  readonly variables?: readonly { readonly name: string; readonly label: string; readonly query: string }[];
}

/** Every generated dashboard carries this tag; the links menu lists the others by it. */
export const DASHBOARD_TAG = 'stressgate';

const dashboardSchema = z.object({
  id: z
    .string()
    .regex(
      /^[a-z0-9-]{1,40}$/,
      'dashboard ids are Grafana uids: use lower-case letters, digits and dashes, 40 at most',
    ),
  title: text('give the dashboard a title', 3),
  description: text('say what the dashboard is for', 10),
  tags: z.array(text('give each tag some text')).min(1, 'give at least one tag'),
  refresh: positiveDuration.optional(),
  timeFrom: z
    .string()
    .regex(/^now-\d+[smhdwMy]$/, 'write a relative start such as now-1h or now-7d')
    .optional(),
  defaultJob: text('name the job the dashboard selects by default').optional(),
  variables: z
    .array(z.object({ name: z.string().regex(/^[a-z_]+$/), label: z.string(), query: z.string() }))
    .optional(),
});

export class Dashboard extends Construct {
  constructor(
    scope: Construct,
    /** Also the Grafana uid: stable across runs, at most 40 characters. */
    id: string,
    readonly props: DashboardProps,
  ) {
    super(scope, id);
    this.addPropsValidation(dashboardSchema, { id, ...props });
    // Siblings with one id are caught by Construct; this catches one uid under two parents.
    this.addValidation(uniqueInTree(this, Dashboard, (d) => d.uid, 'dashboard uid'));
  }
  get uid(): string {
    return this.id;
  }
  get rows(): Row[] {
    return this.children.filter((c): c is Row => c instanceof Row);
  }

  /** A menu of the other dashboards, keeping the time range and variables when moving between them. */
  private dashboardsLink() {
    return {
      build: () => {
        const { placement: _placement, ...link } = new dash.DashboardLinkBuilder('Dashboards')
          .type(dash.DashboardLinkType.Dashboards)
          .tags([DASHBOARD_TAG])
          .asDropdown(true)
          .includeVars(true)
          .keepTime(true)
          .build();
        return link as dash.DashboardLink;
      },
    };
  }

  /** The Grafana dashboard model, as plain JSON. */
  build(): Record<string, unknown> {
    const usesLoki = this.rows.some((r) => r.panels.some((p) => p.datasource === 'loki'));
    const builder = new dash.DashboardBuilder(this.props.title)
      .uid(this.uid)
      .description(this.props.description)
      .tags([...this.props.tags, DASHBOARD_TAG])
      .link(this.dashboardsLink())
      .editable()
      .tooltip(dash.DashboardCursorSync.Crosshair)
      .refresh(this.props.refresh ?? '30s')
      .time({ from: this.props.timeFrom ?? 'now-1h', to: 'now' })
      .timezone('browser')
      .withVariable(
        new dash.DatasourceVariableBuilder('datasource')
          .label('Prometheus')
          .type('prometheus')
          .current({ text: 'Prometheus', value: 'prometheus' }),
      );
    if (usesLoki) {
      builder.withVariable(
        new dash.DatasourceVariableBuilder('loki').label('Loki').type('loki').current({ text: 'Loki', value: 'loki' }),
      );
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
        .current(
          this.props.defaultJob
            ? { text: this.props.defaultJob, value: this.props.defaultJob }
            : { text: 'All', value: '$__all' },
        ),
    );
    for (const v of this.props.variables ?? []) {
      builder.withVariable(
        new dash.QueryVariableBuilder(v.name)
          .label(v.label)
          .datasource(DATASOURCES.prometheus)
          .query(v.query)
          .definition(v.query)
          .refresh(dash.VariableRefresh.OnTimeRangeChanged)
          .includeAll(true)
          .multi(true)
          .allValue('.*')
          .current({ text: 'All', value: '$__all' }),
      );
    }

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
