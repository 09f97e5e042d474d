// `stressgate e2e-under-load`: the browser journeys while a load profile runs. The load starts, the
// journeys start once every scenario has ramped up, and the gate verdict includes them: a failed or
// over-budget journey, or journeys that outlasted the load, fail it.
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseCommand, stdio, type Io } from '../command.js';
import { E2E_UNDER_LOAD_COMMAND } from './command.js';
import { assertTargetAllowed } from '../gate/interlock.js';
import { loadProfile } from '../gate/profile-file.js';
import { withHoldDuration, type Profile, type ScenarioProfile } from '../load-contract/profile.js';
import { k6DurationMs } from '../kernel/duration.js';
import { DEFAULT_TARGET, gateVerdict } from '../gate/run.js';
import { executeLoad } from '../gate/execute-load.js';
import { nodeRunner } from '../../load/node/runner.js';
import { UsageError } from '../usage-error.js';
import { journeysEvidence, type JourneysSection } from './journeys.js';
import { parseJourneyIds, parseTag, runJourneys } from './run.js';

/**
 * Shortest load to run journeys under, per depth: a shorter profile's hold is stretched to it. The
 * smoke journeys take ~30 s on an idle 2-core machine and ~100 s when it is saturated.
 */
const MIN_LOAD = { '@smoke': '180s', '@preprod': '900s' } as const;

const scenarios = (p: Profile) => Object.values(p.scenarios).filter((s): s is ScenarioProfile => s !== undefined);
const startOf = (s: ScenarioProfile) => k6DurationMs(s.startTime ?? '0s');

/** How long the profile runs by its stages. */
export function plannedMs(p: Profile): number {
  return Math.max(
    ...scenarios(p).map((s) => startOf(s) + s.stages.reduce((t, st) => t + k6DurationMs(st.duration), 0)),
  );
}

/** When every scenario has reached its hold (or its last stage): the journeys start then. */
export function rampedUpMs(p: Profile): number {
  return Math.max(
    ...scenarios(p).map((s) => {
      const hold = s.stages.findIndex((st) => st.hold);
      const ramp = s.stages.slice(0, hold < 0 ? Math.max(0, s.stages.length - 1) : hold);
      return startOf(s) + ramp.reduce((t, st) => t + k6DurationMs(st.duration), 0);
    }),
  );
}

export async function runE2eUnderLoad(argv: string[], root = process.cwd(), io: Io = stdio): Promise<number> {
  const parsed = parseCommand(E2E_UNDER_LOAD_COMMAND, argv, io);
  if (!parsed.ok) return parsed.exit;
  const { values } = parsed;
  if (values.runner !== 'node' && values.runner !== 'k6')
    throw new UsageError(`--runner must be node or k6, not "${values.runner}"`);
  const tag = parseTag(values.tags);
  const journeys = parseJourneyIds(values.journeys);
  const target = assertTargetAllowed(values.target);
  const baseUrl = assertTargetAllowed(values['base-url'] || values.target, undefined, 'BASE_URL');
  let profile = await loadProfile(
    values.profile.endsWith('.json')
      ? resolve(root, values.profile)
      : join(root, 'load/profiles', `${values.profile}.json`),
  );
  const minimum = values.duration || (plannedMs(profile) < k6DurationMs(MIN_LOAD[tag]) ? MIN_LOAD[tag] : '');
  if (minimum) profile = withHoldDuration(profile, minimum);
  const out = resolve(root, values.out);

  const load = executeLoad({ root, profile, runner: values.runner, nodeRunner, target, out, echo: io.out });
  const early = await Promise.race([load.then((run) => run ?? 'missing'), sleep(rampedUpMs(profile)).then(() => null)]);
  if (early === 'missing') return 2;
  io.out(`e2e-under-load: load ${profile.name} ramped up; journeys ${tag} against ${baseUrl.origin}\n`);
  const journeysStart = new Date();
  const section = await runJourneys({ root, baseUrl, tag, out: join(out, 'playwright'), journeys });
  const journeysEnd = new Date();
  const run = await load;
  if (!run) return 2;
  const window = {
    profile: profile.name,
    loadStart: run.start.toISOString(),
    loadEnd: run.end.toISOString(),
    journeysStart: journeysStart.toISOString(),
    journeysEnd: journeysEnd.toISOString(),
  };
  // Journeys that outlast the load were partly measured without it: no evidence for "under load".
  const covered = journeysEnd <= run.end;
  const judged: JourneysSection = {
    ...section,
    underLoad: window,
    ...(covered
      ? {}
      : {
          pass: false,
          failures: [
            ...section.failures,
            `the journeys ended at ${window.journeysEnd}, after the load (${window.loadEnd}): lengthen the load with DURATION=`,
          ],
        }),
  };
  return gateVerdict({ ...run, ...(values.prometheus ? { prometheus: values.prometheus } : {}) }, out, false, io.out, {
    journeys: journeysEvidence(judged),
  });
}
