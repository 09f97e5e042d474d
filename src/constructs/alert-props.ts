// What an alert is defined with, and the schema that checks it: name, expression, severity, gate,
// the texts people read, the runbook, and the boundary cases and scenarios its tests run.
import { z } from 'zod';
import type { Duration, Expr } from '../promql/expr.js';
import type { AlertCases } from './alert-cases.js';
import { duration, expr, inputs, labelMap, number, positiveDuration, text } from './props.js';

/** `none`: not for people (the Watchdog dead man's switch, routed to its own receiver). */
export type Severity = 'critical' | 'warning' | 'info' | 'none';

export interface AlertProps {
  /** CamelCase, e.g. `Http5xxRatioHigh`; also the runbook section's heading. */
  readonly name: string;
  readonly expr: Expr;
  readonly for?: Duration;
  readonly severity: Severity;
  /** Whether a firing alert blocks a release (`gate: release` label). */
  readonly gate: boolean;
  /** A plain sentence, no templates. */
  readonly summary: string;
  /** Templated with the live value (`{{ $value | humanize… }}`) and labels. */
  readonly description: string;
  readonly labels?: Readonly<Record<string, string>>;
  /** Runbook markdown file under docs/runbooks/ holding a `## <name>` section. */
  readonly runbook?: string;
  /** The runbook heading's anchor when alerts share a section (default: the name in lower case). */
  readonly runbookSection?: string;
  readonly tests: AlertCases;
}

/**
 * An alert imported from a Prometheus rule file: its expression, hold and labels and annotations as
 * written. It carries no tests, runbook or gate flag of ours: the lint reports what it lacks
 * (alert-metadata, alert-tests) as findings on the generated file, instead of synth refusing it.
 */
export interface ImportedAlertProps {
  readonly imported: true;
  readonly name: string;
  /** The construct id when a group holds two alerts of one name (Prometheus allows it); default the name. */
  readonly id?: string;
  readonly expr: Expr;
  readonly for?: Duration;
  readonly keepFiringFor?: Duration;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

export const isImportedAlert = (p: AlertProps | ImportedAlertProps): p is ImportedAlertProps =>
  'imported' in p && p.imported === true;

export const importedAlertSchema = z.strictObject({
  imported: z.literal(true),
  name: z.string().trim().min(1, 'give the alert a name'),
  id: z.string().min(1).optional(),
  expr,
  for: duration.optional(),
  keepFiringFor: duration.optional(),
  labels: labelMap.optional(),
  annotations: z.record(z.string(), z.string(), 'give annotations as text').optional(),
});

const alertCase = z.object({
  title: text('say what the case demonstrates'),
  interval: positiveDuration.optional(),
  inputs,
  evalTime: duration,
  value: number('give the value the expression has at evalTime').optional(),
  labels: labelMap.optional(),
});

export const alertSchema = z.object({
  name: z.string().regex(/^[A-Z][A-Za-z0-9]+$/, 'name alerts in CamelCase, e.g. Http5xxRatioHigh'),
  expr,
  for: duration.optional(),
  severity: z.enum(['critical', 'warning', 'info', 'none'], 'use one of the severities critical, warning, info, none'),
  gate: z.boolean('say whether a firing alert blocks a release (true or false)'),
  summary: z
    .string()
    .regex(
      /^[A-Z][^{}]*\.$/,
      'write the summary as a plain sentence: capital first letter, no {{ }} templates, ends with "."',
    ),
  description: z
    .string()
    .regex(/\{\{\s*\$value/, 'show the live value in the description, e.g. {{ $value | humanize }}'),
  labels: labelMap.optional(),
  runbook: z
    .string()
    .regex(/^[a-z0-9-]+\.md$/, 'name a file under docs/runbooks/, e.g. alerts.md')
    .optional(),
  runbookSection: z
    .string()
    .regex(/^[a-z0-9_-]+$/, 'give the GitHub heading anchor, lower case, e.g. errorbudgetburn')
    .optional(),
  tests: z.object({
    fires: alertCase.extend({ value: number('give the value the expression has at evalTime') }),
    quiet: alertCase,
    more: z.array(alertCase.extend({ expect: z.enum(['fires', 'quiet'], 'expect fires or quiet') })).optional(),
    scenarios: z
      .array(
        z.object({
          title: text('say what the scenario demonstrates', 3),
          step: number('give the step in whole seconds, above 0').int().positive(),
          inputs,
          expect: z
            .array(
              z.object({
                at: number('give a time in seconds from the start').min(0),
                state: z.enum(['inactive', 'pending', 'firing'], 'expect inactive, pending or firing'),
                instances: number('give the number of alert instances').int().min(0).optional(),
              }),
            )
            .min(1, 'give at least one expected state'),
        }),
      )
      .optional(),
  }),
});
