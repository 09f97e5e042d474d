// The parts of a Grafana dashboard that decide how it reads (threshold styles, colours, value texts,
// links, table format, variable defaults, schema version), shaped leniently: a missing or odd field
// reads as absent, and the rules say what is missing.
import { z } from 'zod';

/** An object whose fields are each optional and read as absent when malformed; `{}` when it is not an object. */
const loose = (shape: Record<string, z.ZodType>) =>
  z
    .object(Object.fromEntries(Object.entries(shape).map(([k, v]) => [k, v.optional().catch(undefined)])))
    .catch(() => ({}));

export interface ModelLink {
  readonly type?: string;
  readonly url?: string;
  readonly tags?: readonly string[];
  readonly title?: string;
}

export interface ModelPanel {
  readonly id?: number;
  readonly type?: string;
  readonly title?: string;
  readonly links?: readonly ModelLink[];
  readonly transformations?: readonly { readonly id?: string; readonly options?: Readonly<Record<string, unknown>> }[];
  readonly targets?: readonly {
    readonly refId?: string;
    readonly expr?: string;
    readonly format?: string;
    readonly instant?: boolean;
  }[];
  readonly fieldConfig?: {
    readonly defaults?: {
      readonly thresholds?: { readonly steps?: readonly { readonly value?: number | null; readonly color?: string }[] };
      readonly mappings?: readonly {
        readonly type?: string;
        readonly options?: Readonly<Record<string, { readonly text?: string; readonly color?: string }>>;
      }[];
      readonly custom?: { readonly thresholdsStyle?: { readonly mode?: string } };
    };
    readonly overrides?: readonly {
      readonly matcher?: { readonly id?: string; readonly options?: unknown };
      readonly properties?: readonly { readonly id?: string; readonly value?: unknown }[];
    }[];
  };
  readonly panels?: readonly ModelPanel[];
}

export interface ModelDashboard {
  readonly uid?: string;
  readonly schemaVersion?: number;
  readonly tags?: readonly string[];
  readonly links?: readonly ModelLink[];
  readonly panels?: readonly ModelPanel[];
  readonly templating?: {
    readonly list?: readonly {
      readonly name?: string;
      readonly current?: { readonly value?: string | readonly string[] };
      /** A query variable's query: the text, or (newer models) an object holding it. */
      readonly query?: string | { readonly query?: string };
    }[];
  };
}

const thresholds = loose({ steps: z.array(loose({ value: z.number().nullable(), color: z.string() })).catch([]) });
const mappings = z
  .array(
    loose({
      type: z.string(),
      options: z.record(z.string(), loose({ text: z.string(), color: z.string() })).catch({}),
    }),
  )
  .catch([]);
const link = loose({ type: z.string(), url: z.string(), tags: z.array(z.string()).catch([]), title: z.string() });

const panel: z.ZodType<ModelPanel> = loose({
  id: z.number(),
  type: z.string(),
  title: z.string(),
  links: z.array(link).catch([]),
  transformations: z.array(loose({ id: z.string(), options: z.record(z.string(), z.unknown()).catch({}) })).catch([]),
  targets: z.array(loose({ refId: z.string(), expr: z.string(), format: z.string(), instant: z.boolean() })).catch([]),
  fieldConfig: loose({
    defaults: loose({
      thresholds,
      mappings,
      custom: loose({ thresholdsStyle: loose({ mode: z.string() }) }),
    }),
    overrides: z
      .array(
        loose({
          matcher: loose({ id: z.string(), options: z.unknown() }),
          properties: z.array(loose({ id: z.string(), value: z.unknown() })).catch([]),
        }),
      )
      .catch([]),
  }),
  panels: z.array(z.lazy(() => panel)).catch([]),
}) as unknown as z.ZodType<ModelPanel>;

const dashboard = loose({
  uid: z.string(),
  schemaVersion: z.number(),
  tags: z.array(z.string()).catch([]),
  links: z.array(link).catch([]),
  panels: z.array(panel).catch([]),
  templating: loose({
    list: z
      .array(
        loose({
          name: z.string(),
          current: loose({ value: z.union([z.string(), z.array(z.string())]) }),
          query: z.union([z.string(), loose({ query: z.string() })]),
        }),
      )
      .catch([]),
  }),
}) as unknown as z.ZodType<ModelDashboard>;

export const dashboardModel = (raw: unknown): ModelDashboard => dashboard.parse(raw ?? {});

/** Every panel, rows' collapsed children included, rows themselves excluded. */
export const modelPanels = (d: ModelDashboard): ModelPanel[] =>
  (d.panels ?? []).flatMap((p) => [p, ...(p.panels ?? [])]).filter((p) => p.type !== 'row');
