// The observer: one conversation watched end to end while a fault is injected, and the small
// HTTP helper the probes share.
import pg from 'pg';
import { WebSocket } from 'ws';

interface Tokens {
  id: number;
  access: string;
  refresh: string;
}

export async function http(
  base: URL,
  method: string,
  path: string,
  body?: unknown,
  token?: string,
): Promise<{ status: number; body: any }> {
  try {
    const res = await fetch(new URL(path, base), {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
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

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A sender and a recipient: the sender posts numbered messages over HTTP every `everyMs`; the
 * recipient holds chat and notification sockets that reconnect with backoff through a fresh ticket.
 * Everything is timestamped so the drill can say when delivery stopped and resumed.
 */
export class Observer {
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

  constructor(
    private readonly base: () => URL,
    private readonly everyMs = 100,
  ) {}

  private async signup(role: string): Promise<Tokens> {
    const r = await http(this.base(), 'POST', '/api/auth/signup', {
      username: `drill_${role}_${process.pid}_${Date.now() % 1e7}`.slice(0, 32),
      password: 'drill-password',
    });
    if (r.status !== 201) throw new Error(`observer signup: ${r.status} ${JSON.stringify(r.body)}`);
    return { id: r.body.user.id, access: r.body.access_token, refresh: r.body.refresh_token };
  }

  async start(): Promise<void> {
    this.a = await this.signup('a');
    this.b = await this.signup('b');
    const conv = await http(
      this.base(),
      'POST',
      '/api/conversations',
      { type: 'dm', user_id: this.b.id },
      this.a.access,
    );
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
    if (r.status === 200) ((s.access = r.body.access_token), (s.refresh = r.body.refresh_token));
    return r.status;
  }

  private async sendLoop(): Promise<void> {
    for (let seq = 0; seq < 100_000 && !this.stopped; seq++) {
      const body = `drill ${seq}`;
      const r = await http(
        this.base(),
        'POST',
        `/api/conversations/${this.conversation}/messages`,
        { body },
        this.a.access,
      );
      const t = Date.now();
      this.sendStatuses.push({
        t,
        status: r.status,
        ...(r.body?.error ? { error: r.body.error } : {}),
        ...(r.body?.dependency ? { dependency: r.body.dependency } : {}),
      });
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
      if (t.status === 401 && (await this.refresh('b')) === 200)
        t = await http(this.base(), 'POST', '/api/ws/ticket', {}, this.b.access);
      if (t.status !== 200) {
        await sleep(backoff);
        backoff = Math.min(2_000, backoff * 2);
        continue;
      }
      const opened = await new Promise<WebSocket | null>((resolve) => {
        const ws = new WebSocket(
          `${this.base().origin.replace('http', 'ws')}/api/ws/${channel}?ticket=${encodeURIComponent(t.body.ticket)}`,
        );
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
        if (
          channel === 'chat' &&
          msg.type === 'message' &&
          typeof msg.data?.body === 'string' &&
          !this.received.has(msg.data.body)
        )
          this.received.set(msg.data.body, Date.now());
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
  async reconcile(databaseUrl: string): Promise<{
    acknowledged: number;
    persisted: number;
    lost: string[];
    deliveredLive: number;
    seenNotPersisted: string[];
    missingAfterResync: string[];
  }> {
    const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5_000 });
    await client.connect();
    let rows: Array<{ body: string }>;
    try {
      rows = (
        await client.query<{ body: string }>('SELECT body FROM messages WHERE conversation_id = $1', [
          this.conversation,
        ])
      ).rows;
    } finally {
      await client.end();
    }
    const persisted = new Set(rows.map((r) => r.body));
    const viaHttp = new Set<string>();
    let cursor: string | undefined;
    for (let page = 0; page < 200; page++) {
      const r = await http(
        this.base(),
        'GET',
        `/api/conversations/${this.conversation}/messages?limit=100${cursor ? `&cursor=${cursor}` : ''}`,
        undefined,
        this.b.access,
      );
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
