// OpenSLO v1alpha, the version sloth reads (sloth's internal/storage/io/openslo.go), brought to v1 so
// one importer serves both: each objective's `ratioMetrics` good/total becomes an inline v1 SLI (one
// SLO per objective, as sloth maps them, named `<name>-<i>` when there are several), `timeWindows`
// count/unit becomes the one v1 time window.
import { z } from 'zod';
import { API_VERSION } from './schema.js';

export const V1ALPHA = 'openslo/v1alpha';

const query = z.object({ source: z.string(), queryType: z.string(), query: z.string() });

export const v1alphaSloSchema = z.object({
  apiVersion: z.literal(V1ALPHA),
  kind: z.literal('SLO'),
  metadata: z.object({ name: z.string(), displayName: z.string().optional() }),
  spec: z.object({
    service: z.string(),
    description: z.string().optional(),
    budgetingMethod: z.enum(['Occurrences', 'Timeslices']),
    objectives: z
      .array(
        z.object({
          displayName: z.string().optional(),
          target: z.number(),
          ratioMetrics: z.object({ good: query, total: query }).optional(),
        }),
      )
      .min(1, 'give at least one objective'),
    timeWindows: z
      .array(z.object({ count: z.number().int().positive(), unit: z.string(), isRolling: z.boolean().optional() }))
      .optional(),
  }),
});

const UNITS: Record<string, string> = {
  minute: 'm',
  hour: 'h',
  day: 'd',
  week: 'w',
  month: 'M',
  quarter: 'Q',
  year: 'Y',
};

/** The v1 SLO objects for one v1alpha SLO, and what the conversion could not carry. */
export function upgradeV1alpha(slo: z.infer<typeof v1alphaSloSchema>): { objects: unknown[]; notes: string[] } {
  const { metadata, spec } = slo;
  const notes: string[] = [];
  const window = spec.timeWindows?.[0];
  const unit = window && UNITS[window.unit.toLowerCase()];
  if (window && !unit)
    notes.push(`SLO ${metadata.name}: timeWindows unit ${window.unit} is unknown; no window written`);
  const source = (q: z.infer<typeof query>) => {
    if (q.queryType.toLowerCase() !== 'promql')
      notes.push(`SLO ${metadata.name}: query type ${q.queryType} is not promql`);
    return {
      metricSource: {
        type: q.source.toLowerCase() === 'prometheus' ? 'Prometheus' : q.source,
        spec: { query: q.query },
      },
    };
  };
  const objects = spec.objectives.map((o, i) => {
    const name = spec.objectives.length > 1 ? `${metadata.name}-${i}` : metadata.name;
    const ratio = o.ratioMetrics;
    return {
      apiVersion: API_VERSION,
      kind: 'SLO',
      metadata: { name, ...(metadata.displayName ? { displayName: metadata.displayName } : {}) },
      spec: {
        ...(spec.description ? { description: spec.description } : {}),
        service: spec.service,
        indicator: {
          metadata: { name: `${name}-sli` },
          spec: ratio
            ? { ratioMetric: { counter: true, good: source(ratio.good), total: source(ratio.total) } }
            : { thresholdMetric: { metricSource: { type: 'unknown', spec: {} } } },
        },
        ...(window && unit
          ? { timeWindow: [{ duration: `${window.count}${unit}`, isRolling: window.isRolling ?? true }] }
          : {}),
        budgetingMethod: spec.budgetingMethod,
        objectives: [{ ...(o.displayName ? { displayName: o.displayName } : {}), target: o.target }],
      },
    };
  });
  if (objects.length > 1)
    notes.push(
      `SLO ${metadata.name} (v1alpha): ${objects.length} objectives, imported as ${objects.map((o) => o.metadata.name).join(', ')}`,
    );
  return { objects, notes };
}
