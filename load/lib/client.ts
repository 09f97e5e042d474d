// The small async client every flow is written against. The k6 adapter (load/k6/) and the Node
// adapter (load/node/) implement it, so each flow exists once and runs under both.
import type { RateMetric, TrendMetric } from '../../src/load-contract/metrics.js';

export interface HttpResponse {
  readonly status: number;
  /** Parsed JSON body, or null when the body is empty or not JSON. */
  readonly body: unknown;
}

export interface RequestOptions {
  readonly body?: unknown;
  readonly token?: string;
  /** Groups requests in metrics (k6 `name` tag): the route template, e.g. `/api/posts/:id`. */
  readonly name: string;
}

export interface WsHandlers {
  onMessage(data: unknown): void;
  onClose?(code: number): void;
}

export interface WsHandle {
  send(data: unknown): void;
  close(code?: number): void;
  /** Resolves when the socket has closed (by either side). */
  readonly closed: Promise<number>;
}

export interface LoadClient {
  request(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    path: string,
    opts: RequestOptions,
  ): Promise<HttpResponse>;
  /** Opens `path` (with its query) as a WebSocket; resolves once open, rejects if refused. */
  websocket(path: string, handlers: WsHandlers): Promise<WsHandle>;
  /** Records a named check; returns `ok` so flows can branch on it. */
  check(name: string, ok: boolean): boolean;
  rate(metric: RateMetric, hit: boolean): void;
  trend(metric: TrendMetric, ms: number): void;
  sleep(seconds: number): Promise<void>;
  /** Milliseconds since the epoch, comparable across VUs of one run. */
  now(): number;
  /** This VU's number (1-based) and iteration (0-based), for unique names. */
  readonly vu: { readonly id: number; readonly iteration: number };
  /** Deterministic per-VU random numbers in [0, 1), so runs are reproducible. */
  random(): number;
}

/** What a flow keeps across its VU's iterations, and the profile's knobs it reads. */
export interface FlowContext {
  readonly state: Map<string, unknown>;
  /** Unique per run (and per k6 VU): part of every name a flow creates, so runs never collide. */
  readonly runId: string;
  /** Share of logins made with a wrong password (profile `authFailureShare`). */
  readonly authFailureShare: number;
}

export type Flow = (client: LoadClient, ctx: FlowContext) => Promise<void>;
