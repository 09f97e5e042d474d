// The k6 entry: every scenario of the profile in PROFILE_FILE, each running its flow through the
// k6 client. SCENARIOS=a,b limits the run (make test-stress-http / test-stress-ws).
import type { Profile, ScenarioName } from '../../src/gate/profile.js';
import { flows } from '../flows/index.js';
import type { FlowContext } from '../lib/client.js';
import { k6Options, type SloLoadMap } from '../lib/options.js';
import { K6Client } from './client.js';

/** Each SLO's load metric and threshold, injected by src/gate/k6-bundle.ts from src/slos/. */
declare const __SLO_LOAD__: SloLoadMap;

const profile = JSON.parse(open(__ENV.PROFILE_FILE ?? '../profiles/moderate.json')) as Profile;
const only = __ENV.SCENARIOS ? (__ENV.SCENARIOS.split(',') as ScenarioName[]) : undefined;

export const options = k6Options(profile, __SLO_LOAD__, only);

const target = (__ENV.TARGET_URL ?? 'http://127.0.0.1:18080').replace(/\/$/, '');
// Module state is per VU in k6: each VU keeps its own sessions across iterations.
const ctx: FlowContext = { state: new Map(), authFailureShare: profile.authFailureShare ?? 0 };
let client: K6Client | undefined;
const run = (name: ScenarioName) => flows[name]((client ??= new K6Client(target)), ctx);

export const auth = () => run('auth');
export const posts = () => run('posts');
export const messaging = () => run('messaging');
export const notifications = () => run('notifications');
export const games = () => run('games');
