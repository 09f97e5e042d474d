// What a panel is defined with, and the schema that checks it: title, description, kind, unit,
// queries, size, and how it reads (thresholds, value texts, links, table columns, axis bounds).
import { z } from 'zod';
import type { Expr } from '../promql/expr.js';
import { PANEL_KIND_NAMES, type PanelKind } from './panel-kinds.js';
import {
  COLORS,
  GRAFANA_UNITS,
  THRESHOLD_STYLES,
  type Color,
  type GrafanaUnit,
  type PanelLink,
  type TableLayout,
  type Threshold,
  type ThresholdStyle,
  type ValueText,
} from './panel-options.js';
import { exprOrText, fn, number, text } from './props.js';

export interface PanelQuery {
  /** PromQL built from catalog references, or LogQL text for log panels. */
  readonly expr: Expr | string;
  readonly legend?: string;
  /** Evaluate once at the end of the range (stat/gauge/table snapshots). */
  readonly instant?: boolean;
  /** An imported panel's target: the rest of its Grafana JSON (refId, datasource, interval, ...), kept as given. */
  readonly grafana?: GrafanaJson;
}

/** Grafana JSON a construct does not model, kept as imported. */
export type GrafanaJson = Readonly<Record<string, unknown>>;

/**
 * A panel imported from a Grafana dashboard: typed where the import could type it (the queries, with
 * catalog references), the rest of its JSON kept as it was. It renders as that JSON with the typed
 * fields set over it, not in the house style (kind defaults, flow layout): an imported dashboard keeps
 * its look. The house conventions (a description, a known unit and kind) are the lint's findings then.
 */
export interface ImportedPanelProps {
  /** Absent where the JSON had no title (Grafana allows it). */
  readonly title?: string;
  readonly description?: string;
  /** Replace the JSON's `targets` when there is at least one. */
  readonly queries: readonly PanelQuery[];
  /** Everything else of the panel's JSON: type, id, gridPos, options, fieldConfig, ... */
  readonly grafana: GrafanaJson;
}

/** The width of Grafana's grid: panels flow left to right and wrap at it. */
export const GRID_COLUMNS = 24;

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
  /** Steps over the base colour: `[{ value: 0.005, color: 'red' }]` turns red above 0.005. */
  readonly thresholds?: readonly Threshold[];
  /** Colour below the first step (default green); a health panel's base is red, so 0 reads DOWN. */
  readonly baseColor?: Color;
  /** How a graph draws its thresholds (default `dashed` whenever it has some). */
  readonly thresholdStyle?: ThresholdStyle;
  /** Values shown as text: `UP_DOWN` for 0/1 health. */
  readonly texts?: readonly ValueText[];
  /** Panel links (the runbook of the alert the panel explains). */
  readonly links?: readonly PanelLink[];
  /** A table's columns: queries then run as instant tables, one row per series. */
  readonly table?: TableLayout;
  /** What to show when the query returns nothing. */
  readonly noValue?: string;
  readonly min?: number;
  readonly max?: number;
  readonly stacked?: boolean;
}

const color = z.enum(COLORS, `use one of the colours ${COLORS.join(', ')}`);
const unit = z.enum(GRAFANA_UNITS, `use one of the Grafana units ${GRAFANA_UNITS.join(', ')}`);
const link = z.object({
  title: text('give the link a title'),
  url: z.string().regex(/^(https?:\/\/|\/)\S+$/, 'link to an http(s) URL or a Grafana path starting with /'),
});
const valueText = z.object({
  value: z.union([z.number(), z.string()], 'give the value as a number or a string'),
  text: text('give the text shown for the value'),
  color: color.optional(),
});
const column = z.object({
  field: text('name the label or Value the query returns'),
  title: text('give the column a title'),
  unit: unit.optional(),
  texts: z
    .union([z.array(valueText), fn('returns the value texts')], 'give value texts, or a function that returns them')
    .optional(),
  link: link.optional(),
  colored: z.boolean().optional(),
});
const ascending = (steps: readonly { value: number }[]) =>
  steps.every((t, i) => i === 0 || t.value > steps[i - 1]!.value);

const grafanaJson = z.record(z.string(), z.unknown(), 'give the rest of the Grafana JSON as an object');

/** An imported panel: a title (maybe empty, as Grafana allows), its queries, and its JSON. */
export const importedPanelSchema = z.strictObject({
  title: z.string('give the panel title as text (it may be empty)').optional(),
  description: z.string().optional(),
  queries: z.array(
    z.strictObject({
      expr: exprOrText,
      legend: z.string().optional(),
      instant: z.boolean().optional(),
      grafana: grafanaJson.optional(),
    }),
  ),
  grafana: grafanaJson,
});

export const panelSchema = z
  .object({
    title: text('give the panel a title'),
    description: text('say what the panel shows and what "bad" looks like', 10),
    kind: z.enum(PANEL_KIND_NAMES, `use one of the panel kinds ${PANEL_KIND_NAMES.join(', ')}`).optional(),
    unit,
    queries: z
      .array(
        z.object({
          expr: exprOrText,
          legend: text("give the legend text, or leave it out for Grafana's automatic one").optional(),
          instant: z.boolean().optional(),
          grafana: z.never('only imported panels keep target JSON').optional(),
        }),
      )
      .min(1, 'give the panel at least one query'),
    width: number(`give a width of 1 to ${GRID_COLUMNS} grid columns`).int().min(1).max(GRID_COLUMNS).optional(),
    height: number('give a height of 2 to 30 grid rows').int().min(2).max(30).optional(),
    thresholds: z
      .array(z.object({ value: number('give the value the step starts at'), color }))
      .min(1, 'leave thresholds out, or give at least one step')
      .refine(ascending, 'list the threshold steps in ascending order of value')
      .optional(),
    baseColor: color.optional(),
    thresholdStyle: z.enum(THRESHOLD_STYLES, `use one of ${THRESHOLD_STYLES.join(', ')}`).optional(),
    texts: z.array(valueText).optional(),
    links: z.array(link).optional(),
    table: z.object({ columns: z.array(column).min(1, 'give the table at least one column') }).optional(),
    noValue: text('give the text shown when the query returns nothing').optional(),
    min: number('give the lowest value the axis shows').optional(),
    max: number('give the highest value the axis shows').optional(),
    stacked: z.boolean().optional(),
  })
  .refine((p) => p.min === undefined || p.max === undefined || p.min < p.max, {
    message: 'make min smaller than max',
    path: ['max'],
  });
