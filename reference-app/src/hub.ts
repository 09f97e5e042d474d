// Realtime: one-time WS tickets in Redis (./ws-handshake.ts), the three WS endpoints (frames: ./ws-frames.ts), Redis pub/sub fan-out to the sockets
// of each user, bounded per-socket send buffers (drops counted, persistent slowness closes the socket),
// keep-alive pings, and closing everything with 1001 on drain.
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, WebSocket, type RawData } from 'ws';
import { metrics } from '../../src/catalog/index.js';
import type { Dependencies } from './dependencies.js';
import type { HttpError } from './errors.js';
import { NO_FAULTS, type FaultSettings } from './fault-settings.js';
import { answerFrame, type InboundHandler } from './ws-frames.js';
import { isTicket, issueTicket, redeemTicket, rejectUpgrade } from './ws-handshake.js';

export const CHANNELS = ['chat', 'notifications', 'games'] as const;
export type Channel = (typeof CHANNELS)[number];
type DisconnectReason = 'normal' | 'going_away' | 'backpressure' | 'error' | 'ping_timeout' | 'dependency';

/** What travels over Redis: the target channel, the event, and when it was accepted (epoch ms). */
export interface Envelope {
  readonly channel: Channel;
  readonly event: string;
  readonly data: unknown;
  readonly at: number;
  /** The delivery histogram's label: conversation kind for chat, notification type for notifications. */
  readonly kind?: string;
}

/** Custom close code for a socket closed because its client reads too slowly. */
export const CLOSE_BACKPRESSURE = 4008;
const PATH = /^\/api\/ws\/(chat|notifications|games)$/;

interface Conn {
  readonly ws: WebSocket;
  readonly userId: number;
  readonly channel: Channel;
  alive: boolean;
  consecutiveDrops: number;
  closeReason?: DisconnectReason;
}

export class Hub {
  private readonly wss: WebSocketServer;
  private readonly byUser = new Map<number, Set<Conn>>();
  private readonly conns = new Set<Conn>();
  private readonly handlers = new Map<Channel, InboundHandler>();
  private pingTimer?: NodeJS.Timeout;
  private draining = false;
  private readonly m;
  /** Injected faults (reference-app/src/faults.ts); none unless the fault control is installed. */
  faults: Readonly<FaultSettings> = NO_FAULTS;

  constructor(private readonly ctx: Dependencies) {
    this.wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024, clientTracking: false });
    const mm = ctx.metrics;
    this.m = {
      active: mm.gauge(metrics.wsConnectionsActive),
      disconnects: mm.counter(metrics.wsDisconnects),
      messages: mm.counter(metrics.wsMessages),
      drops: mm.counter(metrics.wsBackpressureDrops),
      chatDelivery: mm.histogram(metrics.chatDeliveryDuration),
      notificationDelivery: mm.histogram(metrics.notificationDeliveryDuration),
    };
  }

  onMessage(channel: Channel, handler: InboundHandler): void {
    this.handlers.set(channel, handler);
  }

  /** A one-time ticket for the WS endpoints, valid WS_TICKET_TTL_S seconds. */
  issueTicket(userId: number): Promise<{ ticket: string; expires_in: number }> {
    return issueTicket(this.ctx, userId);
  }

  async start(server: Server): Promise<void> {
    const { sub } = this.ctx.redis;
    sub.on('pmessage', (_pattern: string, channel: string, raw: string) =>
      this.faults.deliveryDelayMs > 0
        ? void setTimeout(() => this.dispatch(channel, raw), this.faults.deliveryDelayMs)
        : this.dispatch(channel, raw),
    );
    // Messages published while the subscriber is away are lost: close the sockets so that clients
    // reconnect (with a new ticket once Redis is back) and resync over HTTP.
    sub.on('close', () => {
      if (!this.draining && this.conns.size > 0) {
        this.ctx.log.warn({ sockets: this.conns.size }, 'redis subscriber lost: closing sockets');
        for (const c of [...this.conns]) this.close(c, 1013, 'realtime dependency unavailable', 'dependency');
      }
    });
    await sub.psubscribe('u:*');
    server.on(
      'upgrade',
      (req, socket, head) =>
        void this.upgrade(req, socket, head).catch((err: Error) => {
          this.ctx.log.error({ err: err.message }, 'websocket upgrade failed');
          socket.destroy();
        }),
    );
    const interval = this.ctx.config.WS_PING_INTERVAL_MS;
    this.pingTimer = setInterval(() => this.heartbeat(), interval);
    this.pingTimer.unref();
  }

  private async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    socket.on('error', () => socket.destroy());
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = PATH.exec(url.pathname);
    if (!path) return rejectUpgrade(socket, 404, 'not_found', 'unknown WebSocket endpoint');
    if (this.draining) return rejectUpgrade(socket, 503, 'draining', 'server is shutting down');
    const ticket = url.searchParams.get('ticket') ?? '';
    if (!isTicket(ticket))
      return rejectUpgrade(socket, 401, 'unauthorized', 'query.ticket: a ticket from POST /api/ws/ticket is required');
    if (this.ctx.redis.sub.status !== 'ready')
      return rejectUpgrade(socket, 503, 'dependency_unavailable', 'redis is unavailable; retry later');
    let owner: string | null;
    try {
      owner = await redeemTicket(this.ctx, ticket);
    } catch (err) {
      const e = err as HttpError;
      return rejectUpgrade(socket, e.status ?? 503, e.code ?? 'dependency_unavailable', e.message);
    }
    if (!owner) return rejectUpgrade(socket, 401, 'unauthorized', 'ticket is invalid, expired or already used');
    const userId = Number(owner);
    const channel = path[1] as Channel;
    this.wss.handleUpgrade(req, socket, head, (ws) => this.register(ws, userId, channel));
  }

  private register(ws: WebSocket, userId: number, channel: Channel): void {
    const conn: Conn = { ws, userId, channel, alive: true, consecutiveDrops: 0 };
    if (this.draining) {
      ws.close(1001, 'server shutting down');
      return;
    }
    this.conns.add(conn);
    let set = this.byUser.get(userId);
    if (!set) this.byUser.set(userId, (set = new Set()));
    set.add(conn);
    this.m.active.inc({ channel });
    ws.on('pong', () => (conn.alive = true));
    ws.on('error', (err) => {
      conn.closeReason ??= 'error';
      this.ctx.log.debug({ err: err.message, userId, channel }, 'websocket error');
    });
    ws.on('message', (data, isBinary) => void this.inbound(conn, data, isBinary));
    ws.on('close', (code) => {
      this.conns.delete(conn);
      set!.delete(conn);
      if (set!.size === 0) this.byUser.delete(userId);
      this.m.active.dec({ channel });
      const reason: DisconnectReason =
        conn.closeReason ?? (code === 1000 || code === 1001 || code === 1005 ? 'normal' : 'error');
      this.m.disconnects.inc({ channel, reason });
    });
    this.send(conn, JSON.stringify({ type: 'hello', channel, user_id: userId }));
    if (this.faults.wsDisconnect) this.close(conn, 1011, 'fault injected', 'error');
  }

  private async inbound(conn: Conn, data: RawData, isBinary: boolean): Promise<void> {
    this.m.messages.inc({ channel: conn.channel, direction: 'in' });
    const reply = await answerFrame(
      data,
      isBinary,
      conn.channel,
      this.handlers.get(conn.channel),
      conn.userId,
      this.ctx.log,
    );
    this.send(conn, JSON.stringify(reply));
  }

  /** Sends within the socket's buffer bound; otherwise drops (counted) and, if persistent, closes. */
  private send(conn: Conn, payload: string): boolean {
    const { ws } = conn;
    if (ws.readyState !== WebSocket.OPEN) return false;
    const injected = this.faults.backpressure && !payload.startsWith('{"type":"hello"');
    if (injected || ws.bufferedAmount + Buffer.byteLength(payload) > this.ctx.config.WS_SEND_BUFFER_BYTES) {
      this.m.drops.inc({ channel: conn.channel });
      if (++conn.consecutiveDrops >= this.ctx.config.WS_MAX_CONSECUTIVE_DROPS) {
        this.close(conn, CLOSE_BACKPRESSURE, 'send buffer exceeded: client too slow', 'backpressure');
      }
      return false;
    }
    conn.consecutiveDrops = 0;
    ws.send(payload);
    this.m.messages.inc({ channel: conn.channel, direction: 'out' });
    return true;
  }

  private close(conn: Conn, code: number, text: string, reason: DisconnectReason): void {
    if (conn.ws.readyState === WebSocket.CLOSED) return;
    conn.closeReason ??= reason;
    conn.ws.close(code, text);
    // A client that doesn't read never completes the close handshake: cut it after a grace period.
    setTimeout(() => conn.ws.terminate(), 2_000).unref();
  }

  private dispatch(redisChannel: string, raw: string): void {
    const userId = Number(redisChannel.slice(2));
    const targets = this.byUser.get(userId);
    if (!targets) return;
    let env: Envelope;
    try {
      env = JSON.parse(raw) as Envelope;
    } catch {
      return;
    }
    const payload = JSON.stringify({ type: env.event, channel: env.channel, data: env.data, at: env.at });
    for (const conn of targets) {
      if (conn.channel !== env.channel) continue;
      if (!this.send(conn, payload)) continue;
      const latency = Math.max(0, Date.now() - env.at) / 1000;
      if (env.channel === 'chat' && (env.kind === 'dm' || env.kind === 'group'))
        this.m.chatDelivery.observe({ conversation_type: env.kind }, latency);
      if (env.channel === 'notifications' && env.kind) this.m.notificationDelivery.observe({ type: env.kind }, latency);
    }
  }

  /** Publishes to each user's Redis channel. Best effort: the data is already persisted, so a Redis
   *  outage loses only the push (clients resync over HTTP); it is logged, not failed. */
  async publish(userIds: Iterable<number>, env: Omit<Envelope, 'at'> & { at?: number }): Promise<void> {
    const raw = JSON.stringify({ ...env, at: env.at ?? Date.now() });
    const ids = [...new Set(userIds)];
    if (ids.length === 0) return;
    try {
      const pipeline = this.ctx.redis.cmd.pipeline();
      for (const id of ids) pipeline.publish(`u:${id}`, raw);
      const results = await pipeline.exec();
      const failed = results?.find(([err]) => err);
      if (failed) throw failed[0];
    } catch (err) {
      this.ctx.log.warn(
        { err: (err as Error).message, channel: env.channel, event: env.event },
        'realtime publish failed',
      );
    }
  }

  private heartbeat(): void {
    for (const conn of this.conns) {
      if (!conn.alive) {
        conn.closeReason ??= 'ping_timeout';
        conn.ws.terminate();
        continue;
      }
      conn.alive = false;
      conn.ws.ping();
    }
  }

  /** Closes every open socket abnormally (fault injection: a WS disconnect storm). */
  disconnectAll(): void {
    for (const conn of [...this.conns]) this.close(conn, 1011, 'fault injected', 'error');
  }

  get connectionCount(): number {
    return this.conns.size;
  }

  /** Stops accepting upgrades and closes every socket with 1001; resolves when all closed (bounded). */
  async drain(timeoutMs: number): Promise<void> {
    this.draining = true;
    clearInterval(this.pingTimer);
    for (const conn of [...this.conns]) this.close(conn, 1001, 'server shutting down', 'going_away');
    const deadline = Date.now() + timeoutMs;
    while (this.conns.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    for (const conn of this.conns) conn.ws.terminate();
  }
}
