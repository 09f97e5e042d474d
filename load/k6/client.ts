// The LoadClient on k6: http.asyncRequest, the WebSocket module, k6/metrics. Metrics objects are
// created at module load, which k6 requires to happen in the init context. Timers and WebSockets
// come from ./runtime.js, which the bundler resolves for the k6 generation (src/k6-script/generations.ts).
import { check as k6check } from 'k6';
import exec from 'k6/execution';
import http from 'k6/http';
import { Counter, Rate, Trend } from 'k6/metrics';
import { setTimeout, WebSocket } from './runtime.js';
import { seededRandom, vuSeed } from '../lib/random.js';
import { assertUrlAllowed } from '../../src/load-contract/interlock.js';
import { sendWithCheckedRedirects, type Send } from '../lib/redirects.js';
import { LOAD_CHECKS, LOAD_SAMPLES, type RateMetric, type TrendMetric } from '../../src/load-contract/metrics.js';
import type { HttpResponse, LoadClient, RequestOptions, WsHandle, WsHandlers } from '../lib/client.js';

const rates: Record<RateMetric, Rate> = { http_5xx: new Rate('http_5xx'), auth_failures: new Rate('auth_failures') };
const trends: Record<TrendMetric, Trend> = {
  chat_delivery: new Trend('chat_delivery', true),
  notification_delivery: new Trend('notification_delivery', true),
};
const samples = new Counter(LOAD_SAMPLES);
const checks = new Counter(LOAD_CHECKS);

function parseBody(body: unknown): unknown {
  try {
    return typeof body === 'string' && body ? JSON.parse(body) : null;
  } catch {
    return null;
  }
}

export class K6Client implements LoadClient {
  readonly random: () => number;
  constructor(
    private readonly baseUrl: string,
    private readonly allowedHosts: readonly string[],
  ) {
    this.random = seededRandom(vuSeed(exec.vu.idInTest));
  }
  get vu() {
    return { id: exec.vu.idInTest, iteration: exec.vu.iterationInScenario };
  }

  /** One request, never following a redirect: sendWithCheckedRedirects decides that. */
  private sender(name: string): Send {
    return async (method, url, body, headers) => {
      const res = await http.asyncRequest(method, url, body, {
        headers,
        tags: { name },
        timeout: '30s',
        redirects: 0,
        // 4xx are expected answers in these flows (wrong passwords, refused tickets); checks judge them.
        responseCallback: http.expectedStatuses({ min: 200, max: 499 }),
      });
      samples.add(1, { measure: 'http_req_duration' });
      return { status: res.status, location: res.headers.Location, body: parseBody(res.body) };
    };
  }

  async request(method: string, path: string, opts: RequestOptions): Promise<HttpResponse> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    const body = opts.body === undefined ? null : JSON.stringify(opts.body);
    const res = await sendWithCheckedRedirects(
      this.sender(opts.name),
      method,
      `${this.baseUrl}${path}`,
      body,
      headers,
      this.allowedHosts,
    );
    return { status: res.status, body: res.body };
  }

  websocket(path: string, handlers: WsHandlers): Promise<WsHandle> {
    const url = `${this.baseUrl.replace(/^http/, 'ws')}${path}`;
    assertUrlAllowed(url, this.allowedHosts, 'WebSocket');
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
    checks.add(1, { passed: String(ok) });
    return ok;
  }
  rate(metric: RateMetric, hit: boolean): void {
    rates[metric].add(hit);
    samples.add(1, { measure: metric });
  }
  trend(metric: TrendMetric, ms: number): void {
    trends[metric].add(ms);
    samples.add(1, { measure: metric });
  }
  sleep(seconds: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  }
  now(): number {
    return Date.now();
  }
}
