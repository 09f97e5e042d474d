// What a dashboard and its rows are checked with: the project's own (a Grafana uid of our form, a
// description, tags) and imported ones (any uid Grafana accepts, the rest of their JSON kept).
import { z } from 'zod';
import { positiveDuration, text } from './props.js';

export const rowSchema = z.object({ title: text('give the row a title'), collapsed: z.boolean().optional() });

/** Imported rows: the row panel's JSON kept (its title may be empty, as Grafana allows), or the headerless group above the first row. */
export const importedRowSchema = z.union([
  z.strictObject({
    title: z.string().optional(),
    collapsed: z.boolean().optional(),
    grafana: z.record(z.string(), z.unknown()),
  }),
  z.strictObject({ header: z.literal(false) }),
]);

export const dashboardSchema = z.object({
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

/** An imported dashboard: any uid Grafana accepts, and its own tags (maybe none). */
export const importedDashboardSchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'Grafana uids are letters, digits, - and _, 40 at most'),
  title: z.string('give the dashboard title as text'),
  description: z.string().optional(),
  tags: z.array(z.string()).optional(),
  grafana: z.record(z.string(), z.unknown(), 'give the rest of the Grafana JSON as an object'),
});
