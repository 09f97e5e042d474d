// Fault injection for alert drills: OFF by default. Enabled only by `FAULT_INJECTION=1` in the
// environment (or `createApp(config, { faults: true })` in tests), and even then the control answers
// only requests from the loopback interface that did not pass through a proxy (no X-Forwarded-For):
// anything else gets 403. When disabled, the route does not exist (404) and no hook is installed.
//
//   POST   /internal/faults {http5xxRatio, authFailureRatio, latencyMs, deliveryDelayMs, wsDisconnect, backpressure,
//                            leakBytesPerRequest, http5xxRisePerMinute, cpuMsRisePerMinute}
//   GET    /internal/faults          current settings
//   DELETE /internal/faults          everything off
//
// The faults act on the real code paths, so the metrics they move are the ones production would:
// - http5xxRatio: that share of /api/* requests is answered 503 `fault_injected` (http_requests_total);
// - authFailureRatio: that share of auth operations is answered 401 (auth_operations_total failure);
// - latencyMs: every /api/* request waits this long first (http_request_duration_seconds);
// - deliveryDelayMs: realtime pushes wait this long before the socket write (chat/notification delivery);
// - wsDisconnect: every socket is closed abnormally (1011, reason `error`) right after its hello, and
//   the open ones at the moment it is switched on (ws_disconnects_total);
// - backpressure: outbound pushes are dropped as if the client's buffer were full (ws_backpressure_drops_total);
// - leakBytesPerRequest, http5xxRisePerMinute, cpuMsRisePerMinute: the soak's slow faults, a leak, a rising 5xx
//   share and a rising CPU cost per request (./soak-faults.ts).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { NO_FAULTS, type FaultSettings } from './fault-settings.js';
import type { Hub } from './hub.js';
import { SoakFaults } from './soak-faults.js';

const ratio = z.number().min(0).max(1);
const settingsSchema = z
  .object({
    http5xxRatio: ratio,
    authFailureRatio: ratio,
    latencyMs: z.number().int().min(0).max(30_000),
    deliveryDelayMs: z.number().int().min(0).max(30_000),
    wsDisconnect: z.boolean(),
    backpressure: z.boolean(),
    leakBytesPerRequest: z
      .number()
      .int()
      .min(0)
      .max(1 << 20),
    http5xxRisePerMinute: z.number().min(0).max(60),
    cpuMsRisePerMinute: z.number().min(0).max(60),
  })
  .partial()
  .strict();

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/** Whether the fault control is on for this process: an explicit option wins, else FAULT_INJECTION=1. */
export function faultsEnabled(option: boolean | undefined, env: NodeJS.ProcessEnv = process.env): boolean {
  return option ?? env.FAULT_INJECTION === '1';
}

export interface FaultControl {
  readonly settings: FaultSettings;
  readonly soak: SoakFaults;
}

/** Installs the control route and hooks; call only when `faultsEnabled`. */
export function installFaults(
  http: FastifyInstance,
  hub: Hub,
  log: { warn(obj: object, msg: string): void },
): FaultControl {
  const settings: FaultSettings = { ...NO_FAULTS };
  hub.faults = settings;
  const soak = new SoakFaults(settings);
  const active = () =>
    settings.http5xxRatio > 0 || settings.authFailureRatio > 0 || settings.latencyMs > 0 || soak.active;

  http.addHook('onRequest', async (req, reply) => {
    if (!active() || !req.url.startsWith('/api/')) return;
    if (settings.latencyMs > 0) await new Promise((r) => setTimeout(r, settings.latencyMs));
    if (req.routeOptions.config?.authOp && Math.random() < settings.authFailureRatio) {
      return reply
        .code(401)
        .send({ error: 'unauthorized', message: 'authentication failure injected by the fault control' });
    }
    if (soak.onRequest() || Math.random() < settings.http5xxRatio) {
      return reply
        .code(503)
        .header('retry-after', '1')
        .send({ error: 'fault_injected', message: 'error injected by the fault control' });
    }
  });

  const guard = (req: { socket: { remoteAddress?: string }; headers: Record<string, unknown> }): string | undefined => {
    if (!LOOPBACK.has(req.socket.remoteAddress ?? ''))
      return `the fault control answers loopback only, not ${req.socket.remoteAddress}`;
    if (req.headers['x-forwarded-for'] !== undefined || req.headers.forwarded !== undefined)
      return 'the fault control refuses proxied requests';
    return undefined;
  };

  http.get('/internal/faults', async (req, reply) => {
    const refused = guard(req);
    if (refused) return reply.code(403).send({ error: 'forbidden', message: refused });
    return { faults: settings };
  });
  http.post('/internal/faults', async (req, reply) => {
    const refused = guard(req);
    if (refused) return reply.code(403).send({ error: 'forbidden', message: refused });
    const parsed = settingsSchema.safeParse(req.body ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return reply.code(400).send({
        error: 'validation_failed',
        field: `body.${issue.path.join('.') || (issue as { keys?: string[] }).keys?.[0] || ''}`,
        message: issue.message,
      });
    }
    const wasDisconnecting = settings.wsDisconnect;
    const before = { ...settings };
    Object.assign(settings, parsed.data);
    soak.changed(before);
    if (settings.wsDisconnect && !wasDisconnecting) hub.disconnectAll();
    log.warn({ faults: settings }, 'fault injection changed');
    return { faults: settings };
  });
  http.delete('/internal/faults', async (req, reply) => {
    const refused = guard(req);
    if (refused) return reply.code(403).send({ error: 'forbidden', message: refused });
    const before = { ...settings };
    Object.assign(settings, NO_FAULTS);
    soak.changed(before);
    log.warn({ faults: settings }, 'fault injection cleared');
    return { faults: settings };
  });
  return { settings, soak };
}
