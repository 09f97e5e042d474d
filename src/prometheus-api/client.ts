// The Prometheus HTTP API as every live part uses it: bounded timeouts, Prometheus's own error text.

export interface PromSample {
  metric: Record<string, string>;
  value: [number, string];
}

export class PromApiError extends Error {}

export class PromClient {
  constructor(readonly url: string) {}

  private async get<T>(path: string, params: Record<string, string> = {}): Promise<T> {
    const u = new URL(path, this.url);
    for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
    let res: Response;
    try {
      res = await fetch(u, { signal: AbortSignal.timeout(10_000) });
    } catch (err) {
      throw new PromApiError(`Prometheus at ${this.url} unreachable: ${(err as Error).message}`);
    }
    const body = (await res.json().catch(() => null)) as { status?: string; error?: string; errorType?: string; data?: T } | null;
    if (!body || body.status !== 'success') throw new PromApiError(body?.error ? `${body.errorType ?? 'error'}: ${body.error}` : `HTTP ${res.status}`);
    return body.data as T;
  }

  /** Range query: one `[unix seconds, value]` list per series. */
  async queryRange(expr: string, start: Date, end: Date, stepSeconds: number): Promise<{ metric: Record<string, string>; values: [number, string][] }[]> {
    const data = await this.get<{ result: { metric: Record<string, string>; values: [number, string][] }[] }>('/api/v1/query_range', {
      query: expr,
      start: String(start.getTime() / 1000),
      end: String(end.getTime() / 1000),
      step: `${Math.max(1, Math.round(stepSeconds))}s`,
    });
    return data.result;
  }

  /** Instant query; rejects with Prometheus's parse/execution error. */
  async query(expr: string, at?: Date): Promise<PromSample[]> {
    const data = await this.get<{ resultType: string; result: PromSample[] | [number, string] }>('/api/v1/query', {
      query: expr,
      ...(at ? { time: String(at.getTime() / 1000) } : {}),
    });
    if (data.resultType === 'scalar' || data.resultType === 'string') return [{ metric: {}, value: data.result as [number, string] }];
    return data.result as PromSample[];
  }

  async rules(): Promise<RuleGroupState[]> {
    return (await this.get<{ groups: RuleGroupState[] }>('/api/v1/rules')).groups;
  }

  async ready(): Promise<boolean> {
    try {
      const r = await fetch(new URL('/-/ready', this.url), { signal: AbortSignal.timeout(2_000) });
      return r.ok;
    } catch {
      return false;
    }
  }

  /** Scrape targets' health (`up` per job). */
  async targets(): Promise<Array<{ labels: Record<string, string>; health: string; lastError: string }>> {
    return (await this.get<{ activeTargets: Array<{ labels: Record<string, string>; health: string; lastError: string }> }>('/api/v1/targets')).activeTargets;
  }

  /** State of one alert from `ALERTS{alertname=...}`: 'firing', 'pending' or 'inactive'. */
  async alertState(alertname: string): Promise<'firing' | 'pending' | 'inactive'> {
    const rows = await this.query(`ALERTS{alertname=${JSON.stringify(alertname)}}`);
    const states = new Set(rows.map((r) => r.metric.alertstate));
    return states.has('firing') ? 'firing' : states.has('pending') ? 'pending' : 'inactive';
  }
}

export interface RuleState {
  type: 'recording' | 'alerting';
  name: string;
  query: string;
  health: string;
  lastError?: string;
  state?: string;
  lastEvaluation?: string;
}
export interface RuleGroupState {
  name: string;
  file: string;
  rules: RuleState[];
}

