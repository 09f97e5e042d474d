// The three WebSocket channels (chat, notifications, games). Each connection needs its own one-time
// ticket from POST /api/ws/ticket. A closed socket reconnects with a new ticket after a capped
// backoff (bounded attempts), then the app resyncs over HTTP: pushes sent while away are lost.
import { api } from './api.js';

export const CHANNELS = ['chat', 'notifications', 'games'] as const;
export type Channel = (typeof CHANNELS)[number];
export type RealtimeState = 'connecting' | 'connected' | 'offline';

/** A server push: {type: event, channel, data, at}. */
export interface Push {
  readonly type: string;
  readonly channel: Channel;
  readonly data: any;
  readonly at: number;
}

type Handler = (push: Push) => void;

const MAX_ATTEMPTS = 20;
const backoffMs = (attempt: number) => Math.min(5_000, 250 * 2 ** attempt);

export class Realtime {
  private readonly sockets = new Map<Channel, WebSocket>();
  private readonly open = new Set<Channel>();
  private readonly handlers = new Map<string, Set<Handler>>();
  /** Consecutive failed connections per channel; a hello resets it. */
  private readonly failures = new Map<Channel, number>();
  private stopped = true;
  private everConnected = false;
  state: RealtimeState = 'offline';

  constructor(private readonly onState: (state: RealtimeState, resync: boolean) => void) {}

  /** Subscribes to one event on one channel; returns the unsubscribe function. */
  on(channel: Channel, event: string, handler: Handler): () => void {
    const key = `${channel}:${event}`;
    let set = this.handlers.get(key);
    if (!set) this.handlers.set(key, (set = new Set()));
    set.add(handler);
    return () => set.delete(handler);
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.everConnected = false;
    this.failures.clear();
    this.setState('connecting');
    for (const c of CHANNELS) void this.connect(c);
  }

  stop(): void {
    this.stopped = true;
    for (const ws of this.sockets.values()) ws.close(1000);
    this.sockets.clear();
    this.open.clear();
    this.setState('offline');
  }

  private setState(state: RealtimeState): void {
    const resync = state === 'connected' && this.everConnected;
    if (state === 'connected') this.everConnected = true;
    if (state === this.state && !resync) return;
    this.state = state;
    this.onState(state, resync);
  }

  private async connect(channel: Channel): Promise<void> {
    if (this.stopped) return;
    let ticket: string;
    try {
      ticket = (await api<{ ticket: string }>('POST', '/api/ws/ticket', {})).ticket;
    } catch {
      return this.retry(channel);
    }
    if (this.stopped) return;
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const ws = new WebSocket(`${scheme}://${location.host}/api/ws/${channel}?ticket=${encodeURIComponent(ticket)}`);
    this.sockets.set(channel, ws);
    ws.onmessage = (ev) => {
      let msg: Push;
      try {
        msg = JSON.parse(String(ev.data)) as Push;
      } catch {
        return;
      }
      if (msg.type === 'hello') {
        this.failures.set(channel, 0);
        this.open.add(channel);
        if (this.open.size === CHANNELS.length) this.setState('connected');
        return;
      }
      for (const h of this.handlers.get(`${channel}:${msg.type}`) ?? []) h(msg);
    };
    ws.onclose = () => {
      if (this.sockets.get(channel) !== ws) return;
      this.open.delete(channel);
      this.sockets.delete(channel);
      if (this.stopped) return;
      this.setState('connecting');
      this.retry(channel);
    };
  }

  private retry(channel: Channel): void {
    if (this.stopped) return;
    const attempt = this.failures.get(channel) ?? 0;
    if (attempt >= MAX_ATTEMPTS) return this.setState('offline');
    this.failures.set(channel, attempt + 1);
    setTimeout(() => void this.connect(channel), backoffMs(attempt));
  }
}
