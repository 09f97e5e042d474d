// Dashboard constructs. One Dashboard/Row/Panel construct serves every dashboard; what differs
// between dashboards is data. The foundation SDK builds the Grafana model; this layer fills in
// what the SDK leaves empty and Grafana needs: panel ids, target refIds, datasources, grid layout.
import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import * as dash from '@grafana/grafana-foundation-sdk/dashboard';
import { Construct, uniqueInTree } from './construct.js';
import { dashboardSchema, importedDashboardSchema, importedRowSchema, rowSchema } from './dashboard-props.js';
import {
  importedDashboardJson,
  importedPanelJson,
  isImportedPanel,
  type ImportedDashboardProps,
} from './imported-model.js';
import { DATASOURCES, housePanel } from './panel-build.js';
import { PANEL_KIND_NAMES, type PanelKind } from './panel-kinds.js';
import {
  GRID_COLUMNS,
  importedPanelSchema,
  panelSchema,
  type GrafanaJson,
  type ImportedPanelProps,
  type PanelProps,
} from './panel-props.js';

export type {
  Color,
  GrafanaUnit,
  PanelLink,
  TableLayout,
  Threshold,
  ThresholdStyle,
  ValueText,
} from './panel-options.js';

export { DATASOURCES } from './panel-build.js';

export type { PanelKind } from './panel-kinds.js';
export type { GrafanaJson, ImportedPanelProps } from './panel-props.js';
export type { ImportedDashboardProps } from './imported-model.js';

const DEFAULT_WIDTH = 8;
const DEFAULT_HEIGHT = 8;

export class Panel extends Construct {
  readonly props: PanelProps | ImportedPanelProps;
  /** An imported panel keeps its Grafana JSON; the project's own panels take the house style. */
  constructor(scope: Row, id: string, props: PanelProps | ImportedPanelProps) {
    super(scope, id);
    this.props = props;
    this.addPropsValidation(isImportedPanel(props) ? importedPanelSchema : panelSchema, props);
  }
  get kind(): PanelKind | undefined {
    if (!isImportedPanel(this.props)) return this.props.kind ?? 'timeseries';
    const type = this.props.grafana.type;
    return PANEL_KIND_NAMES.find((k) => k === type);
  }
  get datasource(): 'prometheus' | 'loki' {
    if (!isImportedPanel(this.props)) return this.kind === 'logs' ? 'loki' : 'prometheus';
    const ds = this.props.grafana.datasource as { type?: unknown } | undefined;
    return this.kind === 'logs' || ds?.type === 'loki' ? 'loki' : 'prometheus';
  }
  get size(): { w: number; h: number } {
    const p = this.props;
    if (isImportedPanel(p)) {
      const g = (p.grafana.gridPos ?? {}) as { w?: number; h?: number };
      return { w: g.w ?? DEFAULT_WIDTH, h: g.h ?? DEFAULT_HEIGHT };
    }
    return { w: p.width ?? DEFAULT_WIDTH, h: p.height ?? DEFAULT_HEIGHT };
  }

  build(id: number, gridPos: dash.GridPos): cog.Builder<dash.Panel> {
    const p = this.props;
    if (isImportedPanel(p)) {
      const { x, y, w, h } = gridPos;
      return { build: () => importedPanelJson(p, id, { x: x ?? 0, y: y ?? 0, w, h }) as unknown as dash.Panel };
    }
    return housePanel(p, this.kind ?? 'timeseries', this.datasource, id, gridPos);
  }
}

export interface RowProps {
  readonly title?: string;
  readonly collapsed?: boolean;
  /** false (imported dashboards): the panels above the first row header, drawn under no header. */
  readonly header?: boolean;
  /** An imported row's Grafana JSON (id, gridPos, ...), kept as given. */
  readonly grafana?: GrafanaJson;
}

export class Row extends Construct {
  constructor(
    scope: Dashboard,
    id: string,
    readonly props: RowProps,
  ) {
    super(scope, id);
    this.addPropsValidation('grafana' in props || props.header === false ? importedRowSchema : rowSchema, props);
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

const isImportedDashboard = (p: DashboardProps | ImportedDashboardProps): p is ImportedDashboardProps => 'grafana' in p;

export class Dashboard extends Construct {
  constructor(
    scope: Construct,
    /** Also the Grafana uid: stable across runs, at most 40 characters. */
    id: string,
    readonly props: DashboardProps | ImportedDashboardProps,
  ) {
    super(scope, id);
    this.addPropsValidation(isImportedDashboard(props) ? importedDashboardSchema : dashboardSchema, { id, ...props });
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
    if (isImportedDashboard(this.props)) return this.buildImported(this.props);
    return this.buildOwn(this.props);
  }

  /** Ids count up from 1 in order, and sizes flow, for imported panels that carry none of their own. */
  private buildImported(props: ImportedDashboardProps): Record<string, unknown> {
    let nextId = 1;
    const rows = this.rows.map((row) => {
      nextId++;
      const panels = row.panels.map(
        (p) => p.build(nextId++, { x: 0, y: 0, ...p.size }).build() as unknown as Record<string, unknown>,
      );
      return { ...row.props, panels };
    });
    return importedDashboardJson(this.uid, props, rows);
  }

  private buildOwn(props: DashboardProps): Record<string, unknown> {
    const usesLoki = this.rows.some((r) => r.panels.some((p) => p.datasource === 'loki'));
    const builder = new dash.DashboardBuilder(props.title)
      .uid(this.uid)
      .description(props.description)
      .tags([...props.tags, DASHBOARD_TAG])
      .link(this.dashboardsLink())
      .editable()
      .tooltip(dash.DashboardCursorSync.Crosshair)
      .refresh(props.refresh ?? '30s')
      .time({ from: props.timeFrom ?? 'now-1h', to: 'now' })
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
          props.defaultJob ? { text: props.defaultJob, value: props.defaultJob } : { text: 'All', value: '$__all' },
        ),
    );
    for (const v of props.variables ?? []) {
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
      builder.withRow(
        new dash.RowBuilder(row.props.title ?? '').id(nextId++).gridPos({ x: 0, y, w: GRID_COLUMNS, h: 1 }),
      );
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
