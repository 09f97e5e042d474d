// The k6 entry: every scenario of the profile in PROFILE_FILE, each running its flow through the
// k6 client. SCENARIOS=a,b limits the run (make test-stress-http / test-stress-ws). An iteration
// that throws is a failed check and an `iteration_errors` count, and its message is logged once per
// VU and scenario with a marker the runner reads back (src/gate/k6-driver/output.ts).
import { Counter } from 'k6/metrics';
import type { Profile, ScenarioName } from '../../src/load-contract/profile.js';
import { newRunId } from '../lib/api.js';
import { flows } from '../flows/index.js';
import type { FlowContext } from '../lib/client.js';
import { parseAllowedHosts } from '../../src/load-contract/interlock.js';
import { ITERATION_ERROR_LOG, ITERATION_ERRORS } from '../../src/load-contract/metrics.js';
import { runIteration } from '../lib/iteration.js';
import { k6Options } from '../lib/options.js';
import type { SloLoadMap } from '../../src/load-contract/thresholds.js';
import { K6Client } from './client.js';

/** Each SLO's load measure and objective, injected by src/k6-script/bundle.ts from src/slos/. */
declare const __SLO_LOAD__: SloLoadMap;

const profile = JSON.parse(open(__ENV.PROFILE_FILE ?? '../profiles/moderate.json')) as Profile;
const only = __ENV.SCENARIOS ? (__ENV.SCENARIOS.split(',') as ScenarioName[]) : undefined;

export const options = k6Options(profile, __SLO_LOAD__, only);

const target = (__ENV.TARGET_URL ?? 'http://127.0.0.1:18080').replace(/\/$/, '');
const allowed = parseAllowedHosts(__ENV.STRESS_ALLOWED_HOSTS);
const iterationErrors = new Counter(ITERATION_ERRORS);
// Module state is per VU in k6: each VU keeps its own sessions and its own run id (VU numbers repeat
// across runs and across the instances of a split test; the random id does not).
const ctx: FlowContext = {
  state: new Map(),
  runId: newRunId(Math.random),
  authFailureShare: profile.authFailureShare ?? 0,
};
const reported = new Set<string>();
let client: K6Client | undefined;

const run = async (name: ScenarioName) => {
  const completed = await runIteration(
    name,
    flows[name],
    (client ??= new K6Client(target, allowed)),
    ctx,
    (message) => {
      iterationErrors.add(1);
      if (reported.has(name)) return;
      reported.add(name);
      console.error(`${ITERATION_ERROR_LOG} ${JSON.stringify({ scenario: name, message })}`);
    },
  );
  // A zero on clean iterations: the remote-written series reads 0, not "no data", on a healthy run.
  if (completed) iterationErrors.add(0);
};

export const auth = () => run('auth');
export const posts = () => run('posts');
export const messaging = () => run('messaging');
export const notifications = () => run('notifications');
export const games = () => run('games');
