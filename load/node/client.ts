// The LoadClient on Node: fetch for HTTP, `ws` for WebSockets, measurements into RunMetrics.
import WebSocket from 'ws';
import type { HttpResponse, LoadClient, RequestOptions, WsHandle, WsHandlers } from '../lib/client.js';
import type { RateMetric, TrendMetric } from '../../src/load-contract/metrics.js';
import { assertUrlAllowed } from '../../src/load-contract/interlock.js';
import { seededRandom, vuSeed } from '../lib/random.js';
import { sendWithCheckedRedirects, type Send } from '../lib/redirects.js';
import type { RunMetrics } from './metrics.js';

export class NodeClient implements LoadClient {
  readonly vu: { id: number; iteration: number };
  readonly random: () => number;
  private readonly sockets = new Set<WebSocket>();

  constructor(
    private readonly baseUrl: URL,
    private readonly metrics: RunMetrics,
    private readonly signal: AbortSignal,
    vuId: number,
    private readonly allowedHosts: readonly string[] = [],
  ) {
    this.vu = { id: vuId, iteration: 0 };
    this.random = seededRandom(vuSeed(vuId));
  }

  /** One request; fetch never follows a redirect (sendWithCheckedRedirects checks each hop first). */
  private readonly send: Send = async (method, url, body, headers) => {
    const started = performance.now();
    let status = 0;
    let location: string | undefined;
    let parsed: unknown = null;
    try {
      const res = await fetch(url, {
        method,
        headers,
        body,
        redirect: 'manual',
        signal: AbortSignal.any([this.signal, AbortSignal.timeout(30_000)]),
      });
      status = res.status;
      location = res.headers.get('location') ?? undefined;
      const text = await res.text();
      parsed = text ? safeJson(text) : null;
    } catch {
      status = 0; // connection refused, reset or timed out: k6 reports these as status 0 too
    }
    this.metrics.trend('http_req_duration', performance.now() - started);
    this.metrics.count('http_reqs');
    this.metrics.rate('http_req_failed', status === 0 || status >= 400);
    return { status, ...(location ? { location } : {}), body: parsed };
  };

  async request(method: string, path: string, opts: RequestOptions): Promise<HttpResponse> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    const body = opts.body === undefined ? null : JSON.stringify(opts.body);
    const res = await sendWithCheckedRedirects(
      this.send,
      method,
      new URL(path, this.baseUrl).href,
      body,
      headers,
      this.allowedHosts,
    );
    return { status: res.status, body: res.body };
  }

  websocket(path: string, handlers: WsHandlers): Promise<WsHandle> {
    const url = new URL(path, this.baseUrl);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    assertUrlAllowed(url.href, this.allowedHosts, 'WebSocket');
    return new Promise((resolve, reject) => {
      // `ws` never follows redirects unless told to (followRedirects), so an upgrade answered with a 3xx is refused.
      const ws = new WebSocket(url, { handshakeTimeout: 10_000 });
      this.sockets.add(ws);
      let closedResolve!: (code: number) => void;
      const closed = new Promise<number>((r) => (closedResolve = r));
      ws.on('message', (data) => handlers.onMessage(safeJson(String(data))));
      ws.on('close', (code) => {
        this.sockets.delete(ws);
        handlers.onClose?.(code);
        closedResolve(code);
      });
      ws.on('error', (err) => reject(err));
      ws.on('unexpected-response', (_req, res) => reject(new Error(`WebSocket upgrade refused: ${res.statusCode}`)));
      ws.on('open', () => {
        this.metrics.count('ws_sessions');
        resolve({
          send: (data) => ws.readyState === WebSocket.OPEN && ws.send(JSON.stringify(data)),
          close: (code = 1000) => ws.close(code),
          closed,
        });
      });
    });
  }

  check(name: string, ok: boolean): boolean {
    this.metrics.check(name, ok);
    return ok;
  }
  rate(metric: RateMetric, hit: boolean): void {
    this.metrics.rate(metric, hit);
  }
  trend(metric: TrendMetric, ms: number): void {
    this.metrics.trend(metric, ms);
  }
  sleep(seconds: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, seconds * 1000);
      this.signal.addEventListener('abort', done, { once: true });
    });
  }
  now(): number {
    return Date.now();
  }
  /** Closes whatever sockets a flow left open (hard stop). */
  closeAll(): void {
    for (const ws of this.sockets) ws.terminate();
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
