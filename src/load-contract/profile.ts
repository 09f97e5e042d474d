// Load profiles (load/profiles/*.json): VUs, ramps and duration bound of a run, and what is the
// profile's own: a minimum check pass rate and optional bounds stricter than an SLO. The SLO
// thresholds themselves come from src/slos/ only (./thresholds.ts derives the run's).
// Validated with zod; the editor JSON Schema is generated from the same zod schema by synth.
// Reading a profile file is the gate's (src/gate/profile-file.ts): this module stays free of Node.
import { z } from 'zod';
import { k6DurationMs } from '../kernel/duration.js';

/** The scenarios the load layer implements; a profile picks some and sizes them. */
export const SCENARIOS = ['auth', 'posts', 'messaging', 'notifications', 'games'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

const duration = z.string().regex(/^\d+(ms|s|m|h)$/, 'must be a k6 duration such as 30s, 5m or 2h');

const stage = z
  .object({
    duration,
    target: z.number().int().min(0).max(2000).describe('virtual users at the end of the stage'),
    hold: z.boolean().optional().describe('the steady-state stage; DURATION= overrides its length'),
  })
  .strict();

const scenario = z
  .object({
    stages: z.array(stage).min(1, 'a scenario needs at least one stage'),
    startTime: duration.optional(),
    thinkTime: z
      .object({ min: z.number().min(0), max: z.number().min(0) })
      .strict()
      .describe('seconds each VU pauses between iterations, drawn uniformly')
      .optional(),
  })
  .strict();

export const profileSchema = z
  .object({
    $schema: z.string().optional(),
    name: z.string().regex(/^[a-z][a-z0-9-]*$/, 'lower-case name, e.g. moderate'),
    description: z.string().min(10),
    maxDuration: duration.describe('hard bound on the whole run, ramps included; the runners stop at it'),
    scenarios: z
      .partialRecord(z.enum(SCENARIOS), scenario)
      .refine((s) => Object.keys(s).length > 0, 'name at least one scenario'),
    stricter: z
      .array(
        z
          .object({
            slo: z.string().describe('an SLO id from src/slos/'),
            max: z
              .number()
              .positive()
              .describe(
                "a bound tighter than the SLO's threshold, in the SLO's unit (ratio, seconds); the run applies the tighter of the two",
              ),
          })
          .strict(),
      )
      .describe(
        'bounds this profile holds tighter than the SLOs; every SLO is judged from src/slos/ without being listed',
      )
      .optional(),
    checks: z.object({ minPassRate: z.number().min(0).max(1) }).strict(),
    strictRamps: z
      .boolean()
      .describe(
        'judge the ramp-up and ramp-down windows as strictly as the steady ones (default: reported, not gating; ./phases.ts)',
      )
      .optional(),
    regression: z
      .enum(['fail', 'warn'], 'regression must be "fail" or "warn"')
      .describe(
        'against a baseline run (--baseline): "fail" (default) makes a regression the REGRESSED verdict, exit 5; "warn" reports it and the verdict stands',
      )
      .optional(),
    authFailureShare: z
      .number()
      .min(0)
      .max(0.05)
      .describe('share of logins made with a wrong password, to exercise the auth-failure signal')
      .optional(),
  })
  .strict();

export type Profile = z.infer<typeof profileSchema>;
export type ScenarioProfile = z.infer<typeof scenario>;

export class ProfileError extends Error {
  constructor(
    readonly file: string,
    readonly field: string,
    reason: string,
  ) {
    super(`${file}: field "${field}": ${reason}`);
    this.name = 'ProfileError';
  }
}

export function parseProfile(file: string, data: unknown): Profile {
  if (data && typeof data === 'object' && 'thresholds' in data) {
    throw new ProfileError(
      file,
      'thresholds',
      'profiles no longer repeat the SLO thresholds: delete it (every SLO is judged from src/slos/); use "stricter" for a tighter bound',
    );
  }
  const result = profileSchema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new ProfileError(file, issue.path.join('.') || '(root)', issue.message);
  }
  const profile = result.data;
  const stem = file.slice(file.lastIndexOf('/') + 1).replace(/\.json$/, '');
  if (profile.name !== stem) {
    throw new ProfileError(file, 'name', `must equal the file name "${stem}"`);
  }
  for (const [name, s] of Object.entries(profile.scenarios)) {
    const total = durationMs(s.startTime ?? '0s') + s.stages.reduce((t, st) => t + durationMs(st.duration), 0);
    if (total > durationMs(profile.maxDuration)) {
      throw new ProfileError(
        file,
        `scenarios.${name}.stages`,
        `stages end after ${total / 1000}s, past maxDuration ${profile.maxDuration}`,
      );
    }
  }
  return profile;
}

/** Milliseconds in a profile's k6 duration: the kernel's one k6 duration parser. */
export const durationMs = k6DurationMs;

/** Sets the `hold` stage of every scenario so the run lasts `total` (for `make test-soak DURATION=`). */
export function withHoldDuration(profile: Profile, total: string): Profile {
  const wanted = durationMs(total);
  const scenarios = Object.fromEntries(
    Object.entries(profile.scenarios).map(([name, s]) => {
      const fixed = s.stages.filter((st) => !st.hold).reduce((t, st) => t + durationMs(st.duration), 0);
      const hold = Math.max(1000, wanted - fixed - durationMs(s.startTime ?? '0s'));
      return [
        name,
        { ...s, stages: s.stages.map((st) => (st.hold ? { ...st, duration: `${Math.round(hold / 1000)}s` } : st)) },
      ];
    }),
  );
  const maxDuration = `${Math.round(Math.max(durationMs(profile.maxDuration), wanted + 60_000) / 1000)}s`;
  return { ...profile, scenarios, maxDuration };
}

/** JSON Schema for editors (`"$schema": "./profile.schema.json"` in each profile). */
export function profileJsonSchema(): unknown {
  return { ...z.toJSONSchema(profileSchema, { target: 'draft-7' }), title: 'stressgate load profile' };
}
