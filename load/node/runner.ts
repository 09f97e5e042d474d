// Runs a load profile's scenarios on Node: ramping virtual users per the profile's stages, each
// looping its scenario's flow. Bounded twice: stages end the run, and maxDuration aborts whatever
// is still in flight.
import type { Flow } from '../lib/client.js';
import { durationMs, type Profile, type ScenarioName, type ScenarioProfile } from '../../src/load-contract/profile.js';
import { newRunId } from '../lib/api.js';
import { ITERATION_ERRORS } from '../../src/load-contract/metrics.js';
import { flows } from '../flows/index.js';
import { runIteration } from '../lib/iteration.js';
import { NodeClient } from './client.js';
import { RunMetrics } from './metrics.js';

/** Target VUs at `t` ms into a scenario: linear ramps between stage targets, starting from 0. */
export function targetVus(s: ScenarioProfile, t: number): number {
  let start = durationMs(s.startTime ?? '0s');
  if (t < start) return 0;
  let from = 0;
  for (const stage of s.stages) {
    const len = durationMs(stage.duration);
    if (t < start + len) return Math.round(from + ((stage.target - from) * (t - start)) / Math.max(1, len));
    from = stage.target;
    start += len;
  }
  return -1; // finished
}

export interface RunOptions {
  readonly profile: Profile;
  readonly flows: Readonly<Record<ScenarioName, Flow>>;
  readonly target: URL;
  readonly scenarios?: readonly ScenarioName[];
  /** Hosts besides loopback that redirects may lead to (STRESS_ALLOWED_HOSTS). */
  readonly allowedHosts?: readonly string[];
  readonly log?: (line: string) => void;
}

/** Per scenario: iterations that threw, and the first message (k6 prints the same from its VUs). */
export type IterationErrors = Partial<Record<ScenarioName, { count: number; first: string }>>;

export interface RunResult {
  readonly summary: ReturnType<RunMetrics['summary']>;
  readonly start: Date;
  readonly end: Date;
  readonly peakVus: number;
  readonly runId: string;
  readonly iterationErrors: IterationErrors;
}

const TICK_MS = 200;
/** Run ids start with a per-process sequence number: two runs in one process never share one. */
let runSequence = 0;

export async function runProfile(opts: RunOptions): Promise<RunResult> {
  const { profile } = opts;
  const metrics = new RunMetrics();
  const hardStop = new AbortController();
  const start = new Date();
  const runId = newRunId(Math.random, (runSequence++ % 1296).toString(36).padStart(2, '0'));
  const iterationErrors: IterationErrors = {};
  const bound = setTimeout(() => hardStop.abort(), durationMs(profile.maxDuration));
  const selected = (Object.keys(profile.scenarios) as ScenarioName[]).filter(
    (n) => !opts.scenarios || opts.scenarios.includes(n),
  );
  let nextVuId = 1;
  let peakVus = 0;
  const running = new Map<ScenarioName, { client: NodeClient; stop: boolean; done: Promise<void> }[]>();

  const startVu = (name: ScenarioName, s: ScenarioProfile) => {
    const client = new NodeClient(opts.target, metrics, hardStop.signal, nextVuId++, opts.allowedHosts ?? []);
    const ctx = { state: new Map<string, unknown>(), runId, authFailureShare: profile.authFailureShare ?? 0 };
    const vu = { client, stop: false, done: Promise.resolve() };
    const onError = (message: string) => {
      metrics.count(ITERATION_ERRORS);
      metrics.count(`${ITERATION_ERRORS}{scenario:${name}}`);
      const seen = (iterationErrors[name] ??= { count: 0, first: message });
      seen.count++;
      opts.log?.(`vu ${client.vu.id} ${name}: ${message}`);
    };
    vu.done = (async () => {
      while (!vu.stop && !hardStop.signal.aborted) {
        const t0 = performance.now();
        if (await runIteration(name, opts.flows[name], client, ctx, onError, () => hardStop.signal.aborted))
          metrics.trend('iteration_duration', performance.now() - t0);
        metrics.count('iterations');
        metrics.count(`iterations{scenario:${name}}`);
        client.vu.iteration++;
        const think = s.thinkTime ? s.thinkTime.min + client.random() * (s.thinkTime.max - s.thinkTime.min) : 0;
        if (think > 0 && !vu.stop) await client.sleep(think);
      }
    })();
    return vu;
  };

  try {
    for (;;) {
      const t = Date.now() - start.getTime();
      let active = 0;
      let allDone = true;
      for (const name of selected) {
        const s = profile.scenarios[name]!;
        const vus = running.get(name) ?? [];
        running.set(name, vus);
        const want = targetVus(s, t);
        if (want >= 0) allDone = false;
        const live = vus.filter((v) => !v.stop);
        for (let i = live.length; i < want; i++) vus.push(startVu(name, s));
        // Ramping down: the newest VUs finish their iteration and leave (k6's graceful ramp-down).
        for (const v of live.slice(Math.max(0, want))) v.stop = true;
        active += vus.filter((v) => !v.stop).length;
      }
      peakVus = Math.max(peakVus, active);
      if (allDone || hardStop.signal.aborted) break;
      await new Promise((r) => setTimeout(r, TICK_MS));
    }
    const all = [...running.values()].flat();
    for (const v of all) v.stop = true;
    // Give in-flight iterations a grace period, then abort them.
    const grace = setTimeout(() => hardStop.abort(), 10_000);
    await Promise.all(all.map((v) => v.done));
    clearTimeout(grace);
    for (const v of all) v.client.closeAll();
  } finally {
    clearTimeout(bound);
    hardStop.abort();
  }
  const end = new Date();
  return {
    summary: metrics.summary(
      end.getTime() - start.getTime(),
      selected.map((n) => `${ITERATION_ERRORS}{scenario:${n}}`),
    ),
    start,
    end,
    peakVus,
    runId,
    iterationErrors,
  };
}

/** The runner with the flows of load/flows/: what the gate's `load` command is given (src/gate/execute-load.ts NodeRunner). */
export const nodeRunner = (opts: Omit<RunOptions, 'flows'>): Promise<RunResult> => runProfile({ ...opts, flows });
