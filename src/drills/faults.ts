// Fault drills under concurrent chat + notification + game load: Redis restart, app restart (SIGTERM
// drain, then start), PostgreSQL unavailable for a few seconds. Each measures what a release manager
// asks about (time to readiness flip, time to recovery, messages lost, stuck rooms) and checks it
// against stated bounds. The stack is reached through a Driver, so the same drill runs on the local
// in-process stack (processes by PID), on `make stack-up` (scripts/stack/stack.sh, PID files), or on
// the Compose deployment (`docker compose stop/start <service>`).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import pg from 'pg';
import { WebSocket } from 'ws';
import type { LocalStack } from '../live/stack.js';
import { BackgroundLoad, type BackgroundLoadResult } from './background-load.js';

const run = promisify(execFile);
export type ServiceName = 'redis' | 'postgres' | 'app';

/** How a drill reaches the deployment under test. */
export interface Driver {
  readonly name: string;
  /** The app's base URL (loopback, or a host in STRESS_ALLOWED_HOSTS). */
  target(): URL;
  /** PostgreSQL the app writes to, for checking what was persisted. */
  readonly databaseUrl: string;
  /** Stops a service; for the app this is SIGTERM (drain: sockets closed with 1001). */
  stop(service: ServiceName): Promise<void>;
  start(service: ServiceName): Promise<void>;
}

/** The in-process stack of src/live/stack.ts: PostgreSQL and Redis child processes (by PID), the app drained and restarted in-process. */
export function localDriver(stack: LocalStack): Driver {
  return {
    name: 'local',
    target: () => new URL(stack.app.base),
    databaseUrl: stack.pg.url,
    async stop(s) {
      if (s === 'redis') await stack.redis.stop();
      else if (s === 'postgres') await stack.pg.stop();
      else await stack.app.stop(); // the code path main.ts runs on SIGTERM
    },
    async start(s) {
      if (s === 'redis') await stack.redis.start();
      else if (s === 'postgres') await stack.pg.start();
      else await stack.restartApp();
    },
  };
}

/** `make stack-up`'s processes, stopped and started by PID file through scripts/stack/stack.sh. */
export function stackShDriver(root: string, env: NodeJS.ProcessEnv = process.env): Driver {
  const sh = (verb: 'up' | 'down', s: ServiceName) => run('bash', ['scripts/stack/stack.sh', verb, s], { cwd: root, env, timeout: 120_000 }).then(() => undefined);
  return {
    name: 'stack-sh',
    target: () => new URL(`http://127.0.0.1:${env.APP_PORT ?? 18080}`),
    databaseUrl: `postgres://postgres@127.0.0.1:${env.PG_PORT ?? 15432}/stressgate`,
    stop: (s) => sh('down', s),
    start: (s) => sh('up', s),
  };
}

/** The Compose deployment (staging): `docker compose stop|start <service>`; the app service is `api`. */
export function composeDriver(opts: { file: string; target: string; databaseUrl: string; services?: Partial<Record<ServiceName, string>> }): Driver {
  const svc = (s: ServiceName) => opts.services?.[s] ?? (s === 'app' ? 'api' : s);
  const dc = (verb: string, s: ServiceName) => run('docker', ['compose', '-f', opts.file, verb, ...(verb === 'stop' ? ['--timeout', '15'] : []), svc(s)], { timeout: 120_000 }).then(() => undefined);
  return { name: 'compose', target: () => new URL(opts.target), databaseUrl: opts.databaseUrl, stop: (s) => dc('stop', s), start: (s) => dc('start', s) };
}

// --- the observer: one conversation watched end to end -------------------------------------------

interface Tokens {
  id: number;
  access: string;
  refresh: string;
}

async function http(base: URL, method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; body: any }> {
  try {
    const res = await fetch(new URL(path, base), {
      method,
      headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(5_000),
    });
    const text = await res.text();
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = text;
    }
    return { status: res.status, body: parsed };
  } catch {
    return { status: 0, body: null };
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A sender and a recipient: the sender posts numbered messages over HTTP every `everyMs`; the
 * recipient holds chat and notification sockets that reconnect with backoff through a fresh ticket.
 * Everything is timestamped so the drill can say when delivery stopped and resumed.
 */
class Observer {
  readonly acked = new Map<string, number>();
  readonly sendStatuses: Array<{ t: number; status: number; error?: string; dependency?: string }> = [];
  readonly received = new Map<string, number>();
  readonly notifications: number[] = [];
  readonly closes: Array<{ t: number; channel: string; code: number }> = [];
  readonly reconnects: Array<{ t: number; channel: string; attempts: number }> = [];
  readonly refreshes: Array<{ t: number; status: number }> = [];
  private stopped = false;
  private loops: Promise<void>[] = [];
  private sockets = new Set<WebSocket>();
  conversation = 0;
  private a!: Tokens;
  private b!: Tokens;

  constructor(private readonly base: () => URL, private readonly everyMs = 100) {}

  private async signup(role: string): Promise<Tokens> {
    const r = await http(this.base(), 'POST', '/api/auth/signup', { username: `drill_${role}_${process.pid}_${Date.now() % 1e7}`.slice(0, 32), password: 'drill-password' });
    if (r.status !== 201) throw new Error(`observer signup: ${r.status} ${JSON.stringify(r.body)}`);
    return { id: r.body.user.id, access: r.body.access_token, refresh: r.body.refresh_token };
  }

  async start(): Promise<void> {
    this.a = await this.signup('a');
    this.b = await this.signup('b');
    const conv = await http(this.base(), 'POST', '/api/conversations', { type: 'dm', user_id: this.b.id }, this.a.access);
    if (conv.status !== 201 && conv.status !== 200) throw new Error(`observer conversation: ${conv.status}`);
    this.conversation = conv.body.id;
    this.loops = [this.socketLoop('chat'), this.socketLoop('notifications'), this.sendLoop()];
    // Both sockets up before the drill starts.
    for (let i = 0; i < 100 && this.reconnects.filter((r) => r.attempts >= 1).length < 2; i++) await sleep(50);
  }

  /** Refreshes a session's tokens (rotation); records the status. */
  async refresh(who: 'a' | 'b'): Promise<number> {
    const s = this[who];
    const r = await http(this.base(), 'POST', '/api/auth/refresh', { refresh_token: s.refresh });
    this.refreshes.push({ t: Date.now(), status: r.status });
    if (r.status === 200) (s.access = r.body.access_token), (s.refresh = r.body.refresh_token);
    return r.status;
  }

  private async sendLoop(): Promise<void> {
    for (let seq = 0; seq < 100_000 && !this.stopped; seq++) {
      const body = `drill ${seq}`;
      const r = await http(this.base(), 'POST', `/api/conversations/${this.conversation}/messages`, { body }, this.a.access);
      const t = Date.now();
      this.sendStatuses.push({ t, status: r.status, ...(r.body?.error ? { error: r.body.error } : {}), ...(r.body?.dependency ? { dependency: r.body.dependency } : {}) });
      if (r.status === 201) this.acked.set(body, t);
      if (r.status === 401) await this.refresh('a');
      await sleep(this.everyMs);
    }
  }

  private async socketLoop(channel: 'chat' | 'notifications'): Promise<void> {
    let backoff = 100;
    let attempts = 0;
    for (let n = 0; n < 10_000 && !this.stopped; n++) {
      attempts++;
      let t = await http(this.base(), 'POST', '/api/ws/ticket', {}, this.b.access);
      if (t.status === 401 && (await this.refresh('b')) === 200) t = await http(this.base(), 'POST', '/api/ws/ticket', {}, this.b.access);
      if (t.status !== 200) {
        await sleep(backoff);
        backoff = Math.min(2_000, backoff * 2);
        continue;
      }
      const opened = await new Promise<WebSocket | null>((resolve) => {
        const ws = new WebSocket(`${this.base().origin.replace('http', 'ws')}/api/ws/${channel}?ticket=${encodeURIComponent(t.body.ticket)}`);
        ws.once('open', () => resolve(ws));
        ws.once('error', () => resolve(null));
        ws.once('unexpected-response', () => (ws.terminate(), resolve(null)));
      });
      if (!opened) {
        await sleep(backoff);
        backoff = Math.min(2_000, backoff * 2);
        continue;
      }
      this.sockets.add(opened);
      this.reconnects.push({ t: Date.now(), channel, attempts });
      attempts = 0;
      backoff = 100;
      opened.on('message', (data) => {
        let msg: any;
        try {
          msg = JSON.parse(data.toString());
        } catch {
          return;
        }
        if (channel === 'chat' && msg.type === 'message' && typeof msg.data?.body === 'string' && !this.received.has(msg.data.body)) this.received.set(msg.data.body, Date.now());
        if (channel === 'notifications' && msg.type === 'notification') this.notifications.push(Date.now());
      });
      const code = await new Promise<number>((resolve) => opened.once('close', (c) => resolve(c)));
      this.sockets.delete(opened);
      if (!this.stopped) this.closes.push({ t: Date.now(), channel, code });
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const ws of this.sockets) ws.close(1000);
    await Promise.race([Promise.all(this.loops), sleep(10_000)]);
    for (const ws of this.sockets) ws.terminate();
  }

  /** What PostgreSQL holds for the conversation, and what the recipient reads over HTTP (resync). */
  async reconcile(databaseUrl: string): Promise<{ acknowledged: number; persisted: number; lost: string[]; deliveredLive: number; seenNotPersisted: string[]; missingAfterResync: string[] }> {
    const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5_000 });
    await client.connect();
    let rows: Array<{ body: string }>;
    try {
      rows = (await client.query<{ body: string }>('SELECT body FROM messages WHERE conversation_id = $1', [this.conversation])).rows;
    } finally {
      await client.end();
    }
    const persisted = new Set(rows.map((r) => r.body));
    const viaHttp = new Set<string>();
    let cursor: string | undefined;
    for (let page = 0; page < 200; page++) {
      const r = await http(this.base(), 'GET', `/api/conversations/${this.conversation}/messages?limit=100${cursor ? `&cursor=${cursor}` : ''}`, undefined, this.b.access);
      if (r.status !== 200) break;
      for (const m of r.body.items as Array<{ body: string }>) viaHttp.add(m.body);
      if (!r.body.next_cursor) break;
      cursor = String(r.body.next_cursor);
    }
    return {
      acknowledged: this.acked.size,
      persisted: persisted.size,
      lost: [...this.acked.keys()].filter((b) => !persisted.has(b)),
      deliveredLive: this.received.size,
      seenNotPersisted: [...this.received.keys()].filter((b) => !persisted.has(b)),
      missingAfterResync: [...this.acked.keys()].filter((b) => !viaHttp.has(b)),
    };
  }
}

// --- probes ------------------------------------------------------------------------------------------

class ReadinessProbe {
  readonly samples: Array<{ t: number; status: number; failing?: string[]; state?: string }> = [];
  private stopped = false;
  private loop: Promise<void>;
  constructor(base: () => URL, everyMs = 100) {
    this.loop = (async () => {
      for (let i = 0; i < 100_000 && !this.stopped; i++) {
        const r = await http(base(), 'GET', '/readyz');
        this.samples.push({ t: Date.now(), status: r.status, ...(r.body?.failing ? { failing: r.body.failing } : {}), ...(r.body?.status ? { state: r.body.status } : {}) });
        await sleep(everyMs);
      }
    })();
  }
  /** First sample at or after `t` matching. */
  first(after: number, pred: (s: { status: number; failing?: string[] }) => boolean): number | null {
    return this.samples.find((s) => s.t >= after && pred(s))?.t ?? null;
  }
  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }
}

async function activeRooms(databaseUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return Number((await client.query<{ n: string }>("SELECT count(*) AS n FROM game_rooms WHERE status IN ('waiting', 'active')")).rows[0]!.n);
  } finally {
    await client.end();
  }
}

// --- the drills ----------------------------------------------------------------------------------------

export type FaultDrillName = 'redis' | 'app-restart' | 'db';

/** The bounds each drill asserts (the numbers the docs state). */
export const BOUNDS = {
  readinessFlipMs: 5_000,
  recoveryMs: 15_000,
  deliveryResumedMs: 15_000,
  errorRateRecoveredMs: 15_000,
  roomsClosedMs: 30_000,
} as const;

export interface FaultDrillResult {
  readonly drill: FaultDrillName;
  readonly driver: string;
  readonly at: string;
  readonly outageMs: number;
  readonly load: BackgroundLoadResult;
  /** Fault → first /readyz 503 (null for app-restart: the app itself goes away). */
  readonly readinessFlipMs: number | null;
  readonly readinessFailing: string[] | null;
  /** Service back → first /readyz 200. */
  readonly recoveryMs: number | null;
  /** Service back → first message sent after it delivered live over the recipient's socket. */
  readonly deliveryResumedMs: number | null;
  readonly notificationResumedMs: number | null;
  readonly sockets: { closeCodes: number[]; reconnects: number; reconnectAfterRecoveryMs: number | null };
  readonly messages: { acknowledged: number; persisted: number; lost: number; deliveredLive: number; seenNotPersisted: number; missingAfterResync: number };
  /** Writes answered during the outage: status → count, with the error codes. */
  readonly writesDuringOutage: Record<string, number>;
  readonly writeErrors: string[];
  /** Service back → last 5xx the observer saw (0 if none after it). */
  readonly errorRateRecoveredMs: number | null;
  readonly tokenRefresh: { status: number | null };
  readonly rooms: { activeAtLoadEnd: number; activeAfter: number; closedWithinMs: number | null };
  readonly bounds: { readonly [K in keyof typeof BOUNDS]: number };
  readonly failures: string[];
  readonly pass: boolean;
}

const SERVICE: Record<FaultDrillName, ServiceName> = { redis: 'redis', 'app-restart': 'app', db: 'postgres' };

export interface FaultDrillOptions {
  /** How long the service stays down (default 3 s). */
  readonly outageMs?: number;
  /** VUs per WS scenario (chat, notifications, games); default 2. */
  readonly vus?: number;
  /** How long open game rooms may take to be closed after the load (default BOUNDS.roomsClosedMs).
   *  Rooms interrupted mid-game are closed by the app's idle reaper, so this must exceed the app's
   *  GAME_IDLE_TIMEOUT_S (the local stack runs with 5 s; `make stack-up` with 600 s by default). */
  readonly roomsTimeoutMs?: number;
  readonly log?: (line: string) => void;
}

export async function runFaultDrill(name: FaultDrillName, driver: Driver, opts: FaultDrillOptions = {}): Promise<FaultDrillResult> {
  const outageMs = opts.outageMs ?? 3_000;
  const vus = opts.vus ?? 2;
  const service = SERVICE[name];
  const observer = new Observer(() => driver.target());
  await observer.start();
  const probe = new ReadinessProbe(() => driver.target());
  const load = new BackgroundLoad({ target: driver.target(), vus: { messaging: vus, notifications: vus, games: vus }, maxMs: 120_000 });
  await sleep(2_000);
  const tFault = Date.now();
  opts.log?.(`${name}: stopping ${service} (${driver.name})`);
  await driver.stop(service);
  const stopped = Date.now();
  await sleep(Math.max(0, outageMs - (stopped - tFault)));
  const tBack = Date.now();
  await driver.start(service);
  opts.log?.(`${name}: ${service} started again after ${tBack - tFault} ms down`);
  // Sessions continue with refreshed tokens (rotation works against the restarted service).
  let refreshStatus: number | null = null;
  for (let i = 0; i < 50 && refreshStatus !== 200; i++) {
    refreshStatus = await observer.refresh('b');
    if (refreshStatus !== 200) await sleep(200);
  }
  // Let delivery resume and the load run on, bounded.
  const resumedBy = Date.now() + BOUNDS.deliveryResumedMs;
  const deliveredAfter = () => [...observer.received.entries()].some(([body, t]) => t > tBack && (observer.acked.get(body) ?? 0) > tBack);
  while (Date.now() < resumedBy && !(deliveredAfter() && observer.notifications.some((t) => t > tBack) && probe.first(tBack, (s) => s.status === 200) !== null)) await sleep(100);
  await sleep(2_000);
  const loadResult = await load.stop();
  await observer.stop();
  await probe.stop();
  const t = (x: number | null, from: number) => (x === null ? null : x - from);

  const firstDeliveredAfter = Math.min(...[...observer.received.entries()].filter(([body, at]) => at > tBack && (observer.acked.get(body) ?? 0) > tBack).map(([, at]) => at));
  const notificationAfter = observer.notifications.find((x) => x > tBack) ?? null;
  const flip = probe.samples.find((s) => s.t >= tFault && s.status !== 200);
  const recovered = probe.first(tBack, (s) => s.status === 200);
  const outageWrites = observer.sendStatuses.filter((s) => s.t >= tFault && s.t <= tBack);
  const writesDuringOutage: Record<string, number> = {};
  for (const s of outageWrites) writesDuringOutage[String(s.status)] = (writesDuringOutage[String(s.status)] ?? 0) + 1;
  const writeErrors = [...new Set(outageWrites.filter((s) => s.status >= 500).map((s) => `${s.status} ${s.error ?? ''}${s.dependency ? ` (${s.dependency})` : ''}`.trim()))];
  const last5xx = observer.sendStatuses.filter((s) => s.t > tBack && (s.status >= 500 || s.status === 0)).at(-1);
  const reconnectAfter = observer.reconnects.find((r) => r.t > tBack && r.channel === 'chat')?.t ?? null;
  const messages = await observer.reconcile(driver.databaseUrl);

  // No game room stuck active: the flows close theirs; interrupted ones are closed by the reaper.
  const activeAtLoadEnd = await activeRooms(driver.databaseUrl);
  const roomsFrom = Date.now();
  let activeAfter = activeAtLoadEnd;
  const roomsTimeoutMs = opts.roomsTimeoutMs ?? BOUNDS.roomsClosedMs;
  for (let i = 0; i < 100_000 && activeAfter > 0 && Date.now() - roomsFrom < roomsTimeoutMs; i++) {
    await sleep(250);
    activeAfter = await activeRooms(driver.databaseUrl);
  }

  const result = {
    drill: name,
    driver: driver.name,
    at: new Date(tFault).toISOString(),
    outageMs: tBack - tFault,
    load: loadResult,
    readinessFlipMs: name === 'app-restart' ? null : t(flip?.t ?? null, tFault),
    readinessFailing: name === 'app-restart' ? null : (flip?.failing ?? null),
    recoveryMs: t(recovered, tBack),
    deliveryResumedMs: Number.isFinite(firstDeliveredAfter) ? firstDeliveredAfter - tBack : null,
    notificationResumedMs: t(notificationAfter, tBack),
    sockets: { closeCodes: [...new Set(observer.closes.filter((c) => c.t >= tFault).map((c) => c.code))].sort(), reconnects: observer.reconnects.filter((r) => r.t > tFault).length, reconnectAfterRecoveryMs: t(reconnectAfter, tBack) },
    messages: { acknowledged: messages.acknowledged, persisted: messages.persisted, lost: messages.lost.length, deliveredLive: messages.deliveredLive, seenNotPersisted: messages.seenNotPersisted.length, missingAfterResync: messages.missingAfterResync.length },
    writesDuringOutage,
    writeErrors,
    errorRateRecoveredMs: last5xx ? last5xx.t - tBack : 0,
    tokenRefresh: { status: refreshStatus },
    rooms: { activeAtLoadEnd, activeAfter, closedWithinMs: activeAfter === 0 ? Date.now() - roomsFrom : null },
    bounds: { ...BOUNDS, roomsClosedMs: roomsTimeoutMs },
  };
  const failures: string[] = [];
  const within = (what: string, v: number | null, bound: number) => (v === null ? failures.push(`${what}: never observed`) : v > bound && failures.push(`${what}: ${v} ms > ${bound} ms`));
  if (name !== 'app-restart') {
    within('readiness flip', result.readinessFlipMs, BOUNDS.readinessFlipMs);
    if (!result.readinessFailing?.includes(service)) failures.push(`readiness did not name ${service} (failing: ${JSON.stringify(result.readinessFailing)})`);
  } else if (!result.sockets.closeCodes.includes(1001)) failures.push(`sockets were not closed with 1001 on drain (codes: ${result.sockets.closeCodes.join(', ')})`);
  if (name === 'redis' && !result.sockets.closeCodes.includes(1013)) failures.push(`sockets were not closed with 1013 when Redis went away (codes: ${result.sockets.closeCodes.join(', ')})`);
  within('recovery (readiness 200)', result.recoveryMs, BOUNDS.recoveryMs);
  within('chat delivery resumed', result.deliveryResumedMs, BOUNDS.deliveryResumedMs);
  within('notification delivery resumed', result.notificationResumedMs, BOUNDS.deliveryResumedMs);
  // PostgreSQL going away does not close sockets (realtime needs only Redis): nothing to reconnect.
  if (name !== 'db') within('client reconnect', result.sockets.reconnectAfterRecoveryMs, BOUNDS.recoveryMs);
  else if (result.sockets.closeCodes.length) failures.push(`sockets were closed during a PostgreSQL outage (codes: ${result.sockets.closeCodes.join(', ')})`);
  within('error rate recovered', result.errorRateRecoveredMs, BOUNDS.errorRateRecoveredMs);
  if (name === 'db' && !writeErrors.some((e) => e.startsWith('503 dependency_unavailable (postgres)'))) failures.push(`writes during the outage were not 503 dependency_unavailable (postgres): ${JSON.stringify(writesDuringOutage)} ${writeErrors.join('; ')}`);
  if (result.messages.lost > 0) failures.push(`${result.messages.lost} acknowledged messages are not in PostgreSQL`);
  if (result.messages.seenNotPersisted > 0) failures.push(`${result.messages.seenNotPersisted} messages delivered over WS are not in PostgreSQL`);
  if (result.messages.missingAfterResync > 0) failures.push(`${result.messages.missingAfterResync} acknowledged messages missing from the recipient's history`);
  if (result.messages.acknowledged === 0) failures.push('no message was acknowledged: the drill measured nothing');
  if (refreshStatus !== 200) failures.push(`token refresh after recovery answered ${refreshStatus}`);
  if (activeAfter > 0) failures.push(`${activeAfter} game rooms still open ${roomsTimeoutMs} ms after the load (closed by the app's idle reaper after GAME_IDLE_TIMEOUT_S: run the app with a short one, or pass --rooms-timeout)`);
  return { ...result, failures, pass: failures.length === 0 };
}
