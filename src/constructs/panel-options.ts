// How a panel reads, as data: threshold colours (the base colour included: a health panel is red at
// 0), threshold lines on graphs, value texts (UP/DOWN), links (to runbooks), and table columns. The
// Panel construct turns them into Grafana's field config with the helpers below.
import * as dash from '@grafana/grafana-foundation-sdk/dashboard';
import type * as cog from '@grafana/grafana-foundation-sdk/cog';

/** Grafana unit ids the dashboards use (Grafana's `units` registry); a typo is a type error. */
export const GRAFANA_UNITS = [
  'reqps',
  'ops',
  'short',
  's',
  'ms',
  'percentunit',
  'bytes',
  'none',
  'bool',
  'dateTimeFromNow',
] as const;
export type GrafanaUnit = (typeof GRAFANA_UNITS)[number];

export const COLORS = ['green', 'yellow', 'orange', 'red', 'dark-red', 'blue', 'text'] as const;
export type Color = (typeof COLORS)[number];

export interface Threshold {
  readonly value: number;
  readonly color: Color;
}

/** How a graph draws its thresholds; Grafana's default is `off`, so a threshold without it is invisible. */
export const THRESHOLD_STYLES = ['line', 'dashed', 'area', 'line+area', 'dashed+area'] as const;
export type ThresholdStyle = (typeof THRESHOLD_STYLES)[number];

/** A value shown as text (and colour): 0 → DOWN in red. */
export interface ValueText {
  readonly value: number | string;
  readonly text: string;
  readonly color?: Color;
}

export const UP_DOWN: readonly ValueText[] = [
  { value: 0, text: 'DOWN', color: 'red' },
  { value: 1, text: 'UP', color: 'green' },
];

export interface PanelLink {
  readonly title: string;
  readonly url: string;
}

/** Data computed when the dashboard is built (after every definition module has loaded). */
export type Lazy<T> = T | (() => T);
export const resolve = <T>(v: Lazy<T>): T => (typeof v === 'function' ? (v as () => T)() : v);

export interface TableColumn {
  /** The field (label or `Value`) as the query returns it. */
  readonly field: string;
  readonly title: string;
  readonly unit?: GrafanaUnit;
  readonly texts?: Lazy<readonly ValueText[]>;
  /** `${__value.text}` in the URL is the cell's text, after `texts`. */
  readonly link?: PanelLink;
  /** Colour the cell's background by its text's colour (states). */
  readonly colored?: boolean;
}

/** A table's columns in order; every other field is hidden. */
export interface TableLayout {
  readonly columns: readonly TableColumn[];
}

export function thresholdsConfig(base: Color, steps: readonly Threshold[]): dash.ThresholdsConfigBuilder {
  return new dash.ThresholdsConfigBuilder()
    .mode(dash.ThresholdsMode.Absolute)
    .steps([{ value: null, color: base }, ...steps.map((t) => ({ value: t.value, color: t.color }))]);
}

export function valueMappings(texts: readonly ValueText[]): dash.ValueMapping[] {
  if (!texts.length) return [];
  const options = Object.fromEntries(
    texts.map((t, index) => [String(t.value), { text: t.text, index, ...(t.color ? { color: t.color } : {}) }]),
  );
  return [{ type: dash.MappingType.ValueToText, options }];
}

/** Links that open in a new tab, without the SDK's Grafana-12 `placement` default. */
export function panelLinks(links: readonly PanelLink[]): cog.Builder<dash.DashboardLink>[] {
  return links.map((l) => ({
    build: () => {
      const { placement: _placement, ...link } = new dash.DashboardLinkBuilder(l.title)
        .type(dash.DashboardLinkType.Link)
        .url(l.url)
        .targetBlank(true)
        .build();
      return link as dash.DashboardLink;
    },
  }));
}

/** The organize transformation (order, titles, everything else hidden) and per-column overrides. */
export function tableParts(layout: TableLayout): {
  transformation: dash.DataTransformerConfig;
  overrides: { matcher: dash.MatcherConfig; properties: dash.DynamicConfigValue[] }[];
} {
  const shown = layout.columns.map((c) => c.field);
  return {
    transformation: {
      id: 'organize',
      options: {
        // Labels vary per alert; hiding by pattern keeps the table to the columns declared here.
        excludeByName: {},
        includeByName: Object.fromEntries(shown.map((f) => [f, true])),
        indexByName: Object.fromEntries(shown.map((f, i) => [f, i])),
        renameByName: Object.fromEntries(layout.columns.map((c) => [c.field, c.title])),
      },
    },
    overrides: layout.columns
      .map((c) => ({
        matcher: { id: 'byName', options: c.title },
        properties: [
          ...(c.unit ? [{ id: 'unit', value: c.unit }] : []),
          ...(c.texts ? [{ id: 'mappings', value: valueMappings(resolve(c.texts)) }] : []),
          ...(c.link ? [{ id: 'links', value: [{ title: c.link.title, url: c.link.url, targetBlank: true }] }] : []),
          ...(c.colored ? [{ id: 'custom.cellOptions', value: { type: 'color-background' } }] : []),
        ],
      }))
      .filter((o) => o.properties.length),
  };
}
