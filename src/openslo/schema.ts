// The OpenSLO v1 kinds as zod schemas, from the specification (github.com/OpenSLO/OpenSLO, README.md,
// "Specification"; the rules the Go SDK, github.com/OpenSLO/go-sdk, enforces where the text is terse).
// The project published a JSON Schema once as a proof of concept and removed it in 2024 ("remove json
// schema poc"), so there is none to vendor. Objects are strict: a misspelt field fails, as it does in
// the SDK's decoder. Our export is checked against these before it is written; imports parse with them.
import { z } from 'zod';

export const API_VERSION = 'openslo/v1';

/** RFC 1123 label: what every implementation must accept as an object name. */
const name = z
  .string()
  .max(63, 'at most 63 characters')
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'lower-case letters, digits and "-", starting and ending alphanumeric');
const keyName = /^[a-zA-Z0-9]([-_.a-zA-Z0-9]{0,61}[a-zA-Z0-9])?$/;
const annotationKey = z.string().refine((k) => {
  const slash = k.lastIndexOf('/');
  const prefix = slash < 0 ? undefined : k.slice(0, slash);
  const ok = prefix === undefined || (prefix.length <= 253 && /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(prefix));
  return ok && keyName.test(k.slice(slash + 1));
}, 'an annotation key is [prefix/]name: a DNS subdomain, then at most 63 characters, alphanumeric at both ends');
const description = z.string().max(1050, 'at most 1050 characters').optional();
/** A positive integer and one of m h d w M Q Y. */
export const durationShorthand = z.string().regex(/^[1-9]\d*[mhdwMQY]$/, 'a duration shorthand such as 5m, 30d, 1M');
const op = z.enum(['lte', 'gte', 'lt', 'gt']);

export const metadataSchema = z.strictObject({
  name,
  displayName: z.string().optional(),
  labels: z.record(z.string().regex(keyName), z.union([z.string(), z.array(z.string())])).optional(),
  annotations: z.record(annotationKey, z.string()).optional(),
});

const metricSource = z.strictObject({
  metricSource: z
    .strictObject({
      metricSourceRef: z.string().optional(),
      type: z.string().optional(),
      spec: z.record(z.string(), z.unknown()),
    })
    .refine((s) => s.type !== undefined || s.metricSourceRef !== undefined, {
      message: 'give the type, or a metricSourceRef to a DataSource',
    }),
});
export type MetricSource = z.infer<typeof metricSource>;

export const sliSpecSchema = z
  .strictObject({
    description,
    thresholdMetric: metricSource.optional(),
    ratioMetric: z
      .strictObject({
        counter: z.boolean().optional(),
        good: metricSource.optional(),
        bad: metricSource.optional(),
        total: metricSource.optional(),
        rawType: z.enum(['success', 'failure']).optional(),
        raw: metricSource.optional(),
      })
      .refine((r) => (r.raw ? !r.good && !r.bad && !r.total && r.rawType : !!r.total && !r.good !== !r.bad), {
        message: 'give good or bad (not both) with total, or raw with rawType',
      })
      .optional(),
  })
  .refine((s) => !s.thresholdMetric !== !s.ratioMetric, { message: 'give either thresholdMetric or ratioMetric' });
export type SliSpec = z.infer<typeof sliSpecSchema>;

const inlineIndicator = z.strictObject({ metadata: metadataSchema, spec: sliSpecSchema });

const objective = z
  .strictObject({
    displayName: z.string().optional(),
    op: op.optional(),
    value: z.number().optional(),
    target: z.number().gte(0).lt(1, 'a target is in [0, 1)').optional(),
    targetPercent: z.number().gte(0).lt(100, 'a targetPercent is in [0, 100)').optional(),
    timeSliceTarget: z.number().gt(0).lte(1).optional(),
    timeSliceWindow: z.union([z.number(), durationShorthand]).optional(),
    indicator: inlineIndicator.optional(),
    indicatorRef: z.string().optional(),
    compositeWeight: z.number().gt(0).optional(),
  })
  .refine((o) => (o.target === undefined) !== (o.targetPercent === undefined), {
    message: 'give target or targetPercent, not both',
  });

export const alertConditionSpecSchema = z.strictObject({
  description,
  severity: z.string().min(1),
  condition: z.strictObject({
    kind: z.literal('burnrate').default('burnrate'),
    op,
    threshold: z.number(),
    lookbackWindow: durationShorthand,
    alertAfter: durationShorthand.or(z.literal('0m')).optional(),
  }),
});

export const notificationTargetSpecSchema = z.strictObject({ description, target: z.string().min(1) });

export const alertPolicySpecSchema = z.strictObject({
  description,
  alertWhenNoData: z.boolean().optional(),
  alertWhenResolved: z.boolean().optional(),
  alertWhenBreaching: z.boolean().optional(),
  conditions: z
    .array(
      z.union([
        z.strictObject({ conditionRef: name }),
        z.strictObject({
          kind: z.literal('AlertCondition'),
          metadata: metadataSchema,
          spec: alertConditionSpecSchema,
        }),
      ]),
    )
    .length(1, 'an alert policy has exactly one condition'),
  notificationTargets: z
    .array(
      z.union([
        z.strictObject({ targetRef: name }),
        z.strictObject({
          kind: z.literal('AlertNotificationTarget'),
          metadata: metadataSchema,
          spec: notificationTargetSpecSchema,
        }),
      ]),
    )
    .min(1, 'name at least one notification target'),
});

export const sloSpecSchema = z
  .strictObject({
    description,
    service: z.string().min(1, 'name the service'),
    indicator: inlineIndicator.optional(),
    indicatorRef: z.string().optional(),
    timeWindow: z
      .array(
        z.strictObject({
          duration: durationShorthand,
          isRolling: z.boolean().optional(),
          calendar: z.strictObject({ startTime: z.string(), timeZone: z.string() }).optional(),
        }),
      )
      .length(1, 'exactly one time window')
      .optional(),
    budgetingMethod: z.enum(['Occurrences', 'Timeslices', 'RatioTimeslices']),
    objectives: z.array(objective).min(1, 'give at least one objective'),
    alertPolicies: z
      .array(
        z.union([
          z.strictObject({ alertPolicyRef: name }),
          z.strictObject({ kind: z.literal('AlertPolicy'), metadata: metadataSchema, spec: alertPolicySpecSchema }),
        ]),
      )
      // `alertPolicies:` left empty, as the OpenSLO project's own examples do.
      .nullish(),
  })
  .refine(
    (s) =>
      s.objectives.some((o) => o.indicator || o.indicatorRef)
        ? !s.indicator && !s.indicatorRef
        : !s.indicator !== !s.indicatorRef,
    { message: 'give indicator or indicatorRef (on the SLO, or on every objective of a composite SLO)' },
  )
  .refine(
    (s) =>
      s.budgetingMethod === 'Occurrences' ||
      s.objectives.every(
        (o) =>
          o.timeSliceWindow !== undefined && (s.budgetingMethod !== 'Timeslices' || o.timeSliceTarget !== undefined),
      ),
    {
      message:
        'Timeslices needs timeSliceTarget and timeSliceWindow on every objective, RatioTimeslices timeSliceWindow',
    },
  );
export type SloSpec = z.infer<typeof sloSpecSchema>;

const object = <K extends string, S extends z.ZodType>(kind: K, spec: S) =>
  z.strictObject({ apiVersion: z.literal(API_VERSION), kind: z.literal(kind), metadata: metadataSchema, spec });

export const documentSchema = z.discriminatedUnion('kind', [
  object('SLO', sloSpecSchema),
  object('SLI', sliSpecSchema),
  object('Service', z.strictObject({ description })),
  object('AlertPolicy', alertPolicySpecSchema),
  object('AlertCondition', alertConditionSpecSchema),
  object('AlertNotificationTarget', notificationTargetSpecSchema),
  object('DataSource', z.strictObject({ description, type: z.string().min(1), connectionDetails: z.unknown() })),
]);
export type OpenSloDocument = z.infer<typeof documentSchema>;
export type OpenSloSlo = Extract<OpenSloDocument, { kind: 'SLO' }>;
