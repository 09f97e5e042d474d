// Assembles the reference app: dependencies, metrics, HTTP routes, WebSockets, readiness, shutdown.
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyError } from 'fastify';
import type { Logger } from 'pino';
import { metrics } from '../../src/catalog/index.js';
import { TokenSigner } from './auth.js';
import type { Config } from './config.js';
import { userOf, type Context } from './context.js';
import { Database, withTimeout } from './db.js';
import { DependencyError, HttpError } from './errors.js';
import { faultsEnabled, installFaults } from './faults.js';
import { ResumeWindow } from './game-resume.js';
import { Hub } from './hub.js';
import { createLogger } from './log.js';
import { AppMetrics } from './metrics.js';
import { createRedis } from './redis.js';
import { authRoutes } from './routes/auth.js';
import { gameRoutes } from './routes/games.js';
import { messagingRoutes } from './routes/messaging.js';
import { notificationRoutes } from './routes/notifications.js';
import { postRoutes } from './routes/posts.js';
import { buildWebClient, webRoutes, type WebClient, type WebFlags } from './web.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    authOp?: 'signup' | 'login' | 'refresh' | 'logout';
  }
}

const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
export const UNMATCHED_ROUTE = '/unmatched';

export interface App {
  readonly http: FastifyInstance;
  readonly ctx: Context;
  /** Connects, migrates, listens; resolves with the bound port. */
  start(): Promise<number>;
  /** Drains: not ready, stop accepting, close sockets 1001, finish in-flight requests, close pools. */
  stop(): Promise<void>;
}

export interface AppOptions {
  /** Throw on label values outside the catalog (tests); default logs them once. */
  strictMetrics?: boolean;
  logger?: Logger;
  /** The fault-injection control for drills (reference-app/src/faults.ts); default FAULT_INJECTION=1. */
  faults?: boolean;
  /** The web client's build flags (reference-app/src/web.ts); only the e2e self-test changes them. */
  webFlags?: WebFlags;
}

export function createApp(config: Config, opts: AppOptions = {}): App {
  const log = opts.logger ?? createLogger(config.LOG_LEVEL);
  const reported = new Set<string>();
  const m = new AppMetrics(opts.strictMetrics ?? false, (msg) => {
    if (!reported.has(msg) && reported.size < 1000) (reported.add(msg), log.error(msg));
  });
  const db = new Database(
    config.DATABASE_URL,
    { max: config.PG_POOL_MAX, timeoutMs: config.DEPENDENCY_TIMEOUT_MS },
    m,
    log,
  );
  const redis = createRedis(config.REDIS_URL, config.DEPENDENCY_TIMEOUT_MS, m, log);
  const tokens = new TokenSigner(config.TOKEN_SECRET, config.ACCESS_TOKEN_TTL_S);
  const base = { config, log, db, redis, metrics: m, tokens };
  const hub = new Hub(base);
  const ctx: Context = { ...base, hub };

  const http = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    // fastify's per-request child logger (bound to the request id) cost a pino child per request,
    // but only fastify's own rare per-request warnings would use it: the access log and the error
    // handler below log the request id themselves.
    childLoggerFactory: (logger) => logger,
    bodyLimit: config.BODY_LIMIT_BYTES,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    requestTimeout: 30_000,
    connectionTimeout: 60_000,
    keepAliveTimeout: 10_000,
  });

  let draining = false;

  // --- metrics and access log --------------------------------------------------------------------
  const requests = m.counter(metrics.httpRequests);
  const latency = m.histogram(metrics.httpRequestDuration);
  const authOps = m.counter(metrics.authOperations);
  http.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) if (METHODS.has(method)) latency.zero({ method, route: route.url });
  });
  // Both per-request hooks take a callback rather than being async: no promise per request.
  http.addHook('onResponse', (req, reply, done) => {
    const method = req.method;
    if (!METHODS.has(method)) return done();
    const route = req.routeOptions.url ?? UNMATCHED_ROUTE;
    const ms = reply.elapsedTime;
    requests.inc({ method, route, status: String(reply.statusCode) });
    latency.observe({ method, route }, ms / 1000);
    const op = req.routeOptions.config?.authOp;
    // 429: refused by login throttling before any check, its own outcome (not a failure: see src/recording-rules/http.ts).
    if (op)
      authOps.inc({
        operation: op,
        outcome: reply.statusCode < 400 ? 'success' : reply.statusCode === 429 ? 'throttled' : 'failure',
      });
    if (route !== '/metrics' && route !== '/healthz' && route !== '/readyz') {
      log.info({ reqId: req.id, method, route, status: reply.statusCode, ms: Math.round(ms * 10) / 10 }, 'request');
    }
    done();
  });

  // While draining, responses close their connection, so keep-alive clients don't hold the drain open.
  http.addHook('onSend', (_req, reply, payload, done) => {
    if (draining) reply.header('connection', 'close');
    done(null, payload);
  });

  // --- errors as JSON, never a stack trace -------------------------------------------------------
  http.setErrorHandler((err: FastifyError | HttpError, req, reply) => {
    if (err instanceof DependencyError) {
      log.warn(
        { reqId: req.id, dependency: err.dependency, err: (err.cause as Error)?.message },
        'dependency unavailable',
      );
      return reply
        .code(503)
        .header('retry-after', '1')
        .send({ error: err.code, message: err.message, ...err.extra });
    }
    if (err instanceof HttpError)
      return reply
        .code(err.status)
        .headers(err.headers)
        .send({ error: err.code, message: err.message, ...err.extra });
    const fe = err as FastifyError;
    if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
      return reply
        .code(413)
        .send({ error: 'payload_too_large', message: `body exceeds ${config.BODY_LIMIT_BYTES} bytes`, field: 'body' });
    if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
      return reply.code(415).send({ error: 'unsupported_media_type', message: 'send application/json', field: 'body' });
    if (fe.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || fe.statusCode === 400)
      return reply.code(400).send({ error: 'validation_failed', message: `body: ${fe.message}`, field: 'body' });
    if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500)
      return reply.code(fe.statusCode).send({ error: 'bad_request', message: fe.message });
    log.error({ reqId: req.id, err }, 'unhandled error');
    return reply.code(500).send({ error: 'internal_error', message: 'internal error', request_id: req.id });
  });
  http.setNotFoundHandler((req, reply) =>
    reply.code(404).send({ error: 'not_found', message: `no route ${req.method} ${req.url.split('?')[0]}` }),
  );

  // --- probes and metrics --------------------------------------------------------------------------
  const depUp = m.gauge(metrics.dependencyUp);
  // Start (dependencies first seen up) and every recovery: open rooms get GAME_RESUME_TIMEOUT_S to resume.
  const resume = new ResumeWindow(db, config.GAME_RESUME_TIMEOUT_S, log);
  const wasUp = { postgres: false, redis: false };
  async function checkDependencies(): Promise<Record<'postgres' | 'redis', string>> {
    const timeout = Math.min(config.DEPENDENCY_TIMEOUT_MS, 1_000);
    const [pgRes, redisRes] = await Promise.allSettled([db.ping(timeout), redis.ping(timeout)]);
    const up = { postgres: pgRes.status === 'fulfilled', redis: redisRes.status === 'fulfilled' };
    const recovered = (['postgres', 'redis'] as const).filter((d) => up[d] && !wasUp[d]);
    Object.assign(wasUp, up);
    if (recovered.length && up.postgres && !draining)
      void resume.mark(`${recovered.join(' and ')} up`).catch(() => (wasUp.postgres = false));
    depUp.set({ dependency: 'postgres' }, pgRes.status === 'fulfilled' ? 1 : 0);
    depUp.set({ dependency: 'redis' }, redisRes.status === 'fulfilled' ? 1 : 0);
    const describe = (r: PromiseSettledResult<void>) =>
      r.status === 'fulfilled' ? 'up' : `down: ${(r.reason as Error).message}`;
    return { postgres: describe(pgRes), redis: describe(redisRes) };
  }
  depUp.set({ dependency: 'postgres' }, 0);
  depUp.set({ dependency: 'redis' }, 0);

  http.get('/healthz', async () => ({ status: 'ok' }));
  http.get('/readyz', async (_req, reply) => {
    const checks = await checkDependencies();
    const failing = Object.entries(checks)
      .filter(([, v]) => v !== 'up')
      .map(([k]) => k);
    if (draining) return reply.code(503).send({ status: 'draining', failing, checks });
    if (failing.length)
      return reply
        .code(503)
        .send({ status: 'unavailable', failing, checks, message: `${failing.join(' and ')} unreachable` });
    return { status: 'ready', checks };
  });
  http.get('/metrics', async (_req, reply) => {
    const text = await m.exposition();
    return reply.header('content-type', m.contentType).send(text);
  });

  if (faultsEnabled(opts.faults)) installFaults(http, hub, log);

  // --- API -------------------------------------------------------------------------------------------
  authRoutes(http, ctx);
  postRoutes(http, ctx);
  messagingRoutes(http, ctx);
  notificationRoutes(http, ctx);
  const games = gameRoutes(http, ctx);
  let web: WebClient | undefined;
  webRoutes(http, () => web);
  http.post('/api/ws/ticket', async (req) => {
    const me = userOf(ctx, req);
    const t = await hub.issueTicket(me);
    return { ...t, endpoints: ['/api/ws/chat', '/api/ws/notifications', '/api/ws/games'] };
  });

  let timers: NodeJS.Timeout[] = [];
  return {
    http,
    ctx,
    async start() {
      const deadline = Date.now() + config.STARTUP_TIMEOUT_MS;
      web = await buildWebClient(opts.webFlags);
      // Dependencies may come up after us (Compose, drills): retry, bounded by STARTUP_TIMEOUT_MS.
      for (let attempt = 1; ; attempt++) {
        try {
          await redis.connect();
          const applied = await withTimeout(
            db.migrate(),
            Math.max(config.DEPENDENCY_TIMEOUT_MS * 5, 10_000),
            'migrations',
          );
          if (applied.length) log.info({ applied }, 'migrations applied');
          break;
        } catch (err) {
          if (Date.now() >= deadline)
            throw new Error(
              `dependencies not reachable within STARTUP_TIMEOUT_MS=${config.STARTUP_TIMEOUT_MS}: ${(err as Error).message}`,
            );
          log.warn({ attempt, err: (err as Error).message }, 'waiting for dependencies');
          await new Promise((r) => setTimeout(r, Math.min(250 * attempt, 2_000)));
        }
      }
      await http.listen({ host: config.APP_HOST, port: config.APP_PORT });
      await hub.start(http.server);
      await checkDependencies();
      timers = [
        setInterval(() => void checkDependencies().catch(() => {}), config.READINESS_INTERVAL_MS),
        setInterval(
          () =>
            void games
              .reap()
              .then((n) => n && log.info({ closed: n }, 'closed idle game rooms'))
              .catch(() => {}),
          Math.min(60_000, config.GAME_IDLE_TIMEOUT_S * 500),
        ),
      ];
      for (const t of timers) t.unref();
      const addr = http.server.address();
      return typeof addr === 'object' && addr ? addr.port : config.APP_PORT;
    },
    async stop() {
      draining = true;
      resume.stop();
      for (const t of timers) clearInterval(t);
      await hub.drain(Math.min(2_000, config.SHUTDOWN_TIMEOUT_MS / 2));
      // Stop accepting, let in-flight requests finish, close idle keep-alives; past half the shutdown
      // budget, cut whatever connections remain.
      const cut = setTimeout(() => http.server.closeAllConnections(), config.SHUTDOWN_TIMEOUT_MS / 2);
      await http.close();
      clearTimeout(cut);
      await Promise.allSettled([db.close(), redis.close()]);
    },
  };
}
