// Load that runs until told to stop: the same flows as the load layer (load/flows/), each VU looping
// its scenario through the Node client, for drills whose length depends on what they wait for.
// Bounded anyway: `maxMs` aborts everything.
import { newRunId } from '../../load/lib/api.js';
import { flows } from '../../load/flows/index.js';
import { NodeClient } from '../../load/node/client.js';
import { RunMetrics } from '../../load/node/metrics.js';
import type { ScenarioName } from '../load-contract/profile.js';

export interface BackgroundLoadOptions {
  readonly target: URL;
  /** VUs per scenario. */
  readonly vus: Partial<Record<ScenarioName, number>>;
  /** Hard bound on the whole run. */
  readonly maxMs?: number;
  /** Pause between a VU's iterations, seconds. */
  readonly thinkS?: number;
}

export interface BackgroundLoadResult {
  readonly iterations: number;
  readonly failedIterations: number;
  readonly checks: { passes: number; fails: number };
  readonly ms: number;
}

// VU ids are unique per process: the flows derive user names from the run id, the VU id and the
// iteration, so two loads in one process with the same ids would sign up the same names (409s that
// count as auth failures); with one run id per load, the VU id keeps its users apart.
let nextVuId = 1000;

export class BackgroundLoad {
  /** One run id for every VU: the users it signs up are named `lt<runId>_…` (load/lib/api.ts), which is how a drill finds its own rows. */
  readonly runId = newRunId(Math.random);
  private readonly abort = new AbortController();
  private readonly metrics = new RunMetrics();
  private readonly loops: Promise<void>[] = [];
  private stopping = false;
  private iterations = 0;
  private failed = 0;
  private readonly started = Date.now();
  private readonly bound: NodeJS.Timeout;

  constructor(readonly opts: BackgroundLoadOptions) {
    this.bound = setTimeout(() => this.abort.abort(), opts.maxMs ?? 300_000);
    for (const [scenario, n] of Object.entries(opts.vus) as [ScenarioName, number][]) {
      for (let i = 0; i < n; i++)
        this.loops.push(this.loop(scenario, new NodeClient(opts.target, this.metrics, this.abort.signal, nextVuId++)));
    }
  }

  private async loop(scenario: ScenarioName, client: NodeClient): Promise<void> {
    const ctx = { state: new Map<string, unknown>(), runId: this.runId, authFailureShare: 0 };
    for (let i = 0; i < 100_000 && !this.stopping && !this.abort.signal.aborted; i++) {
      try {
        await flows[scenario](client, ctx);
      } catch {
        this.failed++;
        // A dependency outage fails iterations quickly: back off, and start the session afresh
        // (tokens, conversations and rooms may be gone or stale).
        ctx.state.clear();
        await client.sleep(0.5);
      }
      this.iterations++;
      client.vu.iteration++;
      if (this.opts.thinkS) await client.sleep(this.opts.thinkS);
    }
    client.closeAll();
  }

  /** Lets in-flight iterations finish (bounded by `graceMs`), then aborts the rest. */
  async stop(graceMs = 8_000): Promise<BackgroundLoadResult> {
    this.stopping = true;
    const grace = setTimeout(() => this.abort.abort(), graceMs);
    await Promise.all(this.loops);
    clearTimeout(grace);
    clearTimeout(this.bound);
    this.abort.abort();
    const checks = this.metrics.summary(0).metrics.checks;
    return {
      iterations: this.iterations,
      failedIterations: this.failed,
      checks: { passes: checks?.passes ?? 0, fails: checks?.fails ?? 0 },
      ms: Date.now() - this.started,
    };
  }
}
