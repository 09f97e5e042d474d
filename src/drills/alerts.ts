// Alert drills: for each gate alert, inject its fault into the reference app under load and prove via
// `ALERTS{alertname=...}` in a real Prometheus that the alert becomes pending (its expression is true
// on real data), then that it clears once the fault stops. Plus "no false alarm": clean load leaves
// every gate alert inactive (./no-false-alarm.ts).
//
// Prometheus loads copies of the generated rules with windows and hold times scaled down
// (./scaled-rules.ts), so a drill takes seconds, not minutes.
import { WebSocket } from 'ws';
import type { FaultSettings } from '../../reference-app/src/fault-settings.js';
import type { ScenarioName } from '../load-contract/profile.js';
import type { PromClient } from '../kernel/prometheus-client.js';
import { waitFor } from '../live/prometheus.js';
import type { LocalStack } from '../live/stack.js';
import { slos } from '../slos/index.js';
import { BackgroundLoad } from './background-load.js';

/** Sets the reference app's fault control (needs FAULT_INJECTION=1 / faults: true, loopback). */
export async function setFaults(base: string, faults: Partial<FaultSettings> | 'clear'): Promise<void> {
  const res = await fetch(new URL('/internal/faults', base), {
    method: faults === 'clear' ? 'DELETE' : 'POST',
    headers: faults === 'clear' ? {} : { 'content-type': 'application/json' },
    body: faults === 'clear' ? undefined : JSON.stringify(faults),
    signal: AbortSignal.timeout(5_000),
  });
  if (!res.ok)
    throw new Error(
      `fault control at ${base}: HTTP ${res.status} ${await res.text()} (is the app started with FAULT_INJECTION=1?)`,
    );
}

/** WebSocket clients that reconnect as soon as they are closed (with a fresh ticket each time). */
class SocketChurn {
  private stopped = false;
  private readonly loops: Promise<void>[] = [];
  constructor(base: string, channel: 'chat' | 'notifications' | 'games', clients: number) {
    for (let i = 0; i < clients; i++) this.loops.push(this.loop(base, channel, i));
  }
  private async loop(base: string, channel: string, i: number): Promise<void> {
    const signup = await fetch(new URL('/api/auth/signup', base), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        username: `churn_${process.pid}_${Date.now() % 1e6}_${i}`.slice(0, 32),
        password: 'churn-password',
      }),
    }).then((r) => r.json() as Promise<{ access_token: string }>);
    for (let n = 0; n < 10_000 && !this.stopped; n++) {
      try {
        const t = (await fetch(new URL('/api/ws/ticket', base), {
          method: 'POST',
          headers: { authorization: `Bearer ${signup.access_token}` },
        }).then((r) => r.json())) as { ticket: string };
        await new Promise<void>((resolve) => {
          const ws = new WebSocket(`${base.replace('http', 'ws')}/api/ws/${channel}?ticket=${t.ticket}`);
          const done = setTimeout(() => ws.terminate(), 2_000);
          ws.on('close', () => (clearTimeout(done), resolve()));
          ws.on('error', () => undefined);
        });
      } catch {
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.loops);
  }
}

export interface DrillContext {
  readonly stack: LocalStack;
  readonly prom: PromClient;
}

export interface AlertDrill {
  readonly alert: string;
  readonly fault: string;
  /** Background load while the drill runs (VUs per scenario). */
  readonly load: Partial<Record<ScenarioName, number>>;
  inject(ctx: DrillContext): Promise<() => Promise<void>>;
}

const faultDrill = (alert: string, load: AlertDrill['load'], faults: Partial<FaultSettings>): AlertDrill => ({
  alert,
  fault: `fault control ${JSON.stringify(faults)}`,
  load,
  async inject({ stack }) {
    await setFaults(stack.app.base, faults);
    return () => setFaults(stack.app.base, 'clear');
  },
});

/**
 * A latency fault that breaches `slo`, in whole ms: 1.5 × its threshold. The injected wait comes on top
 * of the real latency, so every event lands above the threshold's bucket; histogram_quantile then puts
 * the p95 well inside the next bucket up, clear of the boundary, while the wait stays short enough for
 * the drill's load to keep a steady flow of events (a larger fault only slows the drill down).
 * Derived, not hard-coded, so moving an SLO moves its drill with it.
 */
const breaching = (slo: { readonly threshold: number }): number => Math.round(1.5 * slo.threshold * 1000);

/** One drill per gate alert. */
export const ALERT_DRILLS: readonly AlertDrill[] = [
  faultDrill('Http5xxRatioHigh', { posts: 3 }, { http5xxRatio: 0.3 }),
  faultDrill('AuthFailureRatioHigh', { auth: 3 }, { authFailureRatio: 0.5 }),
  faultDrill('ApiLatencyP95High', { posts: 3 }, { latencyMs: breaching(slos.apiLatencyP95) }),
  faultDrill('ChatDeliveryLatencyHigh', { messaging: 3 }, { deliveryDelayMs: breaching(slos.chatDeliveryP95) }),
  faultDrill(
    'NotificationDeliveryLatencyHigh',
    { notifications: 3 },
    { deliveryDelayMs: breaching(slos.notificationDeliveryP95) },
  ),
  faultDrill('WsBackpressureDrops', { messaging: 2, notifications: 2 }, { backpressure: true }),
  {
    alert: 'WsDisconnectSpike',
    fault: 'fault control {"wsDisconnect":true} + clients reconnecting on chat',
    load: { messaging: 2 },
    async inject({ stack }) {
      await setFaults(stack.app.base, { wsDisconnect: true });
      const churn = new SocketChurn(stack.app.base, 'chat', 4);
      return async () => {
        await setFaults(stack.app.base, 'clear');
        await churn.stop();
      };
    },
  },
  {
    alert: 'PostgresUnhealthy',
    fault: 'PostgreSQL stopped',
    load: { posts: 2 },
    async inject({ stack }) {
      await stack.pg.stop();
      return () => stack.pg.start();
    },
  },
  {
    alert: 'RedisUnhealthy',
    fault: 'Redis stopped',
    load: { messaging: 2 },
    async inject({ stack }) {
      await stack.redis.stop();
      return () => stack.redis.start();
    },
  },
  {
    alert: 'ApiTargetDown',
    fault: 'the app stopped (SIGTERM-style drain), then started on the same port',
    load: {},
    async inject({ stack }) {
      await stack.app.stop();
      return async () => void (await stack.restartApp());
    },
  },
];

export interface AlertDrillResult {
  readonly alert: string;
  readonly fault: string;
  /** ms from injecting the fault to ALERTS showing the alert pending (or already firing). */
  readonly pendingAfterMs: number | null;
  readonly firstState: 'pending' | 'firing' | null;
  /** ms from injecting to firing (the scaled `for` elapsed), if seen. */
  readonly firingAfterMs: number | null;
  /** ms from removing the fault to the alert being inactive. */
  readonly clearedAfterMs: number | null;
  readonly ok: boolean;
  readonly error?: string;
}

export interface AlertDrillOptions {
  readonly pendingTimeoutMs?: number;
  readonly clearTimeoutMs?: number;
  readonly log?: (line: string) => void;
  /** Runs while the alert is pending or firing (e.g. the panels that are idle on a healthy run); a throw fails the drill. */
  readonly whileActive?: () => Promise<void>;
}

export async function runAlertDrill(
  drill: AlertDrill,
  ctx: DrillContext,
  opts: AlertDrillOptions = {},
): Promise<AlertDrillResult> {
  const { prom } = ctx;
  const load = new BackgroundLoad({ target: new URL(ctx.stack.app.base), vus: drill.load, maxMs: 180_000 });
  let pendingAfterMs: number | null = null;
  let firstState: AlertDrillResult['firstState'] = null;
  let firingAfterMs: number | null = null;
  let clearedAfterMs: number | null = null;
  let error: string | undefined;
  let recover: (() => Promise<void>) | undefined;
  try {
    // A previous drill's fault may have tripped this alert too (5xx answers to auth requests count as
    // auth failures): start from inactive, bounded.
    await new Promise((r) => setTimeout(r, 1_000));
    await waitFor(
      async () => (await prom.alertState(drill.alert)) === 'inactive',
      opts.clearTimeoutMs ?? 45_000,
      `${drill.alert} inactive before the fault`,
      250,
    );
    const t0 = Date.now();
    recover = await drill.inject(ctx);
    firstState = await waitFor(
      async () => {
        const s = await prom.alertState(drill.alert);
        return s === 'inactive' ? null : s;
      },
      opts.pendingTimeoutMs ?? 30_000,
      `${drill.alert} pending`,
      200,
    );
    pendingAfterMs = Date.now() - t0;
    if (firstState === 'firing') firingAfterMs = pendingAfterMs;
    else {
      await waitFor(async () => (await prom.alertState(drill.alert)) === 'firing', 15_000, `${drill.alert} firing`, 200)
        .then(() => (firingAfterMs = Date.now() - t0))
        .catch(() => undefined);
    }
    opts.log?.(
      `${drill.alert}: pending after ${pendingAfterMs} ms${firingAfterMs !== null ? `, firing after ${firingAfterMs} ms` : ''}`,
    );
    await opts.whileActive?.();
  } catch (err) {
    error = (err as Error).message;
  } finally {
    if (recover) {
      const t1 = Date.now();
      try {
        await recover();
        await waitFor(
          async () => (await prom.alertState(drill.alert)) === 'inactive',
          opts.clearTimeoutMs ?? 45_000,
          `${drill.alert} cleared`,
          200,
        );
        clearedAfterMs = Date.now() - t1;
        opts.log?.(`${drill.alert}: cleared ${clearedAfterMs} ms after the fault stopped`);
      } catch (err) {
        error ??= (err as Error).message;
      }
    }
    await load.stop();
  }
  return {
    alert: drill.alert,
    fault: drill.fault,
    pendingAfterMs,
    firstState,
    firingAfterMs,
    clearedAfterMs,
    ok: !error && pendingAfterMs !== null && clearedAfterMs !== null,
    ...(error ? { error } : {}),
  };
}
