// The LoadClient on k6: http.asyncRequest, the WebSocket module, k6/metrics. Metrics objects are
// created at module load, which k6 requires to happen in the init context.
import { check as k6check } from 'k6';
import exec from 'k6/execution';
import http from 'k6/http';
import { Rate, Trend } from 'k6/metrics';
// Resolved at bundle time: k6/experimental/websockets for k6 v0.48+, k6/websockets from v1.6 (src/gate/k6-bundle.ts).
import { WebSocket } from 'k6/websockets';
import { seededRandom, vuSeed } from '../lib/random.js';
import type { HttpResponse, LoadClient, RateMetric, RequestOptions, TrendMetric, WsHandle, WsHandlers } from '../lib/client.js';

const rates: Record<RateMetric, Rate> = { http_5xx: new Rate('http_5xx'), auth_failures: new Rate('auth_failures') };
const trends: Record<TrendMetric, Trend> = {
  chat_delivery: new Trend('chat_delivery', true),
  notification_delivery: new Trend('notification_delivery', true),
};

export class K6Client implements LoadClient {
  readonly random: () => number;
  constructor(private readonly baseUrl: string) {
    this.random = seededRandom(vuSeed(exec.vu.idInTest));
  }
  get vu() {
    return { id: exec.vu.idInTest, iteration: exec.vu.iterationInScenario };
  }

  async request(method: string, path: string, opts: RequestOptions): Promise<HttpResponse> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    const res = await http.asyncRequest(method, `${this.baseUrl}${path}`, opts.body === undefined ? null : JSON.stringify(opts.body), {
      headers,
      tags: { name: opts.name },
      timeout: '30s',
      // 4xx are expected answers in these flows (wrong passwords, refused tickets); checks judge them.
      responseCallback: http.expectedStatuses({ min: 200, max: 499 }),
    });
    let body: unknown = null;
    try {
      body = typeof res.body === 'string' && res.body ? JSON.parse(res.body) : null;
    } catch {
      body = null;
    }
    return { status: res.status, body };
  }

  websocket(path: string, handlers: WsHandlers): Promise<WsHandle> {
    const url = `${this.baseUrl.replace(/^http/, 'ws')}${path}`;
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      let opened = false;
      let closedResolve!: (code: number) => void;
      const closed = new Promise<number>((r) => (closedResolve = r));
      ws.onmessage = (event) => {
        try {
          handlers.onMessage(JSON.parse(String(event?.data)));
        } catch {
          handlers.onMessage(null);
        }
      };
      ws.onerror = () => {
        if (!opened) reject(new Error(`WebSocket ${path.split('?')[0]} refused`));
      };
      ws.onclose = () => {
        handlers.onClose?.(1000);
        closedResolve(1000);
      };
      ws.onopen = () => {
        opened = true;
        resolve({ send: (data) => ws.send(JSON.stringify(data)), close: () => ws.close(), closed });
      };
    });
  }

  check(name: string, ok: boolean): boolean {
    k6check(null, { [name]: () => ok });
    return ok;
  }
  rate(metric: RateMetric, hit: boolean): void {
    rates[metric].add(hit);
  }
  trend(metric: TrendMetric, ms: number): void {
    trends[metric].add(ms);
  }
  sleep(seconds: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  }
  now(): number {
    return Date.now();
  }
}
