// Test harness for the reference app: real PostgreSQL and Redis (src/kernel/services.ts), the app
// in-process on a random port, and small HTTP and WebSocket clients. Reusable by drills and load tests.
import { WebSocket } from 'ws';
import { startDependencies, type Service } from '../../src/kernel/services.js';
import { createApp, type App, type AppOptions } from '../../reference-app/src/app.js';
import { loadConfig } from '../../reference-app/src/config.js';

export interface Deps {
  pg: Service;
  redis: Service;
  dispose(): Promise<void>;
}

export const startDeps = (): Promise<Deps> => startDependencies();

export interface TestApp {
  app: App;
  base: string;
  port: number;
  api: Api;
  stop(): Promise<void>;
}

/** The app in-process against `deps`, strict about metric labels, quiet, with a cheap scrypt cost. */
export async function startApp(
  deps: Deps,
  env: Record<string, string> = {},
  opts: Omit<AppOptions, 'logger'> = {},
): Promise<TestApp> {
  const config = loadConfig({
    DATABASE_URL: deps.pg.url,
    REDIS_URL: deps.redis.url,
    APP_PORT: '0',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    SCRYPT_COST: '1024',
    TOKEN_SECRET: 'test-secret-test-secret-test-secret-0123',
    READINESS_INTERVAL_MS: '500',
    ...env,
  });
  const app = createApp(config, { strictMetrics: true, ...opts });
  const port = await app.start();
  const base = `http://127.0.0.1:${port}`;
  let stopped = false;
  return {
    app,
    base,
    port,
    api: new Api(base),
    stop: async () => {
      if (!stopped) ((stopped = true), await app.stop());
    },
  };
}

export interface Res<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface User {
  id: number;
  username: string;
  token: string;
  refresh: string;
}

let seq = 0;
export const uniqueName = (prefix = 'u') => `${prefix}_${process.pid}_${Date.now() % 1e6}_${++seq}`.slice(0, 32);

export class Api {
  constructor(readonly base: string) {}

  async req<T = any>(
    method: string,
    path: string,
    opts: { body?: unknown; token?: string; raw?: string; headers?: Record<string, string> } = {},
  ): Promise<Res<T>> {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.body !== undefined || opts.raw !== undefined) headers['content-type'] ??= 'application/json';
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    const r = await fetch(this.base + path, {
      method,
      headers,
      body: opts.raw ?? (opts.body !== undefined ? JSON.stringify(opts.body) : undefined),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await r.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON (e.g. /metrics) */
    }
    return { status: r.status, body: body as T, headers: r.headers };
  }

  get = <T = any>(path: string, token?: string) => this.req<T>('GET', path, { token });
  post = <T = any>(path: string, body: unknown, token?: string) => this.req<T>('POST', path, { body, token });

  async signup(name = uniqueName(), password = 'correct horse'): Promise<User> {
    const r = await this.post('/api/auth/signup', { username: name, password });
    if (r.status !== 201) throw new Error(`signup ${name}: ${r.status} ${JSON.stringify(r.body)}`);
    return { id: r.body.user.id, username: name, token: r.body.access_token, refresh: r.body.refresh_token };
  }

  async metrics(): Promise<string> {
    return (await this.req<string>('GET', '/metrics')).body;
  }
}

/** The value of one sample in a Prometheus exposition, or undefined. Labels must match exactly (any order). */
export function sample(exposition: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of exposition.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)/.exec(line);
    if (!m || m[1] !== name) continue;
    const got: Record<string, string> = {};
    for (const [, k, v] of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) got[k!] = v!;
    const keys = Object.keys(labels);
    if (keys.length === Object.keys(got).length && keys.every((k) => got[k] === labels[k])) return Number(m[3]);
  }
  return undefined;
}

/** A WebSocket client that queues what it receives, for `next(predicate)`. */
export class WsClient {
  readonly received: any[] = [];
  private waiters: Array<{ pred: (m: any) => boolean; resolve: (m: any) => void }> = [];
  closed: Promise<{ code: number; reason: string }>;

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const msg = JSON.parse(data.toString());
      this.received.push(msg);
      this.waiters = this.waiters.filter((w) => (w.pred(msg) ? (w.resolve(msg), false) : true));
    });
    this.closed = new Promise((resolve) =>
      ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
  }

  /** Opens `/api/ws/<channel>` with a fresh ticket. */
  static async open(api: Api, channel: 'chat' | 'notifications' | 'games', token: string): Promise<WsClient> {
    const t = await api.post('/api/ws/ticket', {}, token);
    if (t.status !== 200) throw new Error(`ticket: ${t.status} ${JSON.stringify(t.body)}`);
    const client = await WsClient.connect(api.base, channel, t.body.ticket);
    await client.next((m) => m.type === 'hello');
    return client;
  }

  static connect(base: string, channel: string, ticket: string): Promise<WsClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`${base.replace('http', 'ws')}/api/ws/${channel}?ticket=${encodeURIComponent(ticket)}`);
      const client = new WsClient(ws);
      ws.once('open', () => resolve(client));
      ws.once('unexpected-response', (_req, res) =>
        reject(Object.assign(new Error(`upgrade refused: ${res.statusCode}`), { status: res.statusCode })),
      );
      ws.once('error', reject);
    });
  }

  next(pred: (m: any) => boolean, timeoutMs = 5_000): Promise<any> {
    const found = this.received.find(pred);
    if (found) {
      this.received.splice(this.received.indexOf(found), 1);
      return Promise.resolve(found);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(
              `no matching WebSocket message within ${timeoutMs} ms; got ${JSON.stringify(this.received).slice(0, 500)}`,
            ),
          ),
        timeoutMs,
      );
      this.waiters.push({
        pred,
        resolve: (m) => {
          clearTimeout(timer);
          this.received.splice(this.received.indexOf(m), 1);
          resolve(m);
        },
      });
    });
  }

  send(msg: unknown): void {
    this.ws.send(JSON.stringify(msg));
  }

  close(): void {
    this.ws.close(1000);
  }
}

/** Polls `fn` until it returns truthy, bounded by `timeoutMs`. */
export async function eventually<T>(fn: () => Promise<T>, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (let i = 0; i < 10_000 && Date.now() < deadline; i++) {
    try {
      const v = await fn();
      if (v) return v;
      last = v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(
    `${what} not reached within ${timeoutMs} ms (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`,
  );
}
