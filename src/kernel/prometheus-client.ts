// The one Prometheus HTTP client, as every live part uses it (verdict, report, live check, drills):
// bounded timeouts, Prometheus's own error text, and the questions more than one part asks (the
// server's scrape and evaluation intervals; the gate alerts pending or firing during a run).
import { parse } from 'yaml';
import { parsePromDuration } from './duration.js';

export interface PromSample {
  metric: Record<string, string>;
  value: [number, string];
}

export class PromApiError extends Error {}

/** No answer at all (refused, no route, DNS, timeout): the URL is wrong or the server is down. */
export class PromUnreachable extends PromApiError {}

/** What fetch failed on: its cause (`connect ECONNREFUSED 127.0.0.1:1`), not its bare "fetch failed". */
const failure = (err: unknown) => {
  const cause = (err as Error).cause;
  return cause instanceof Error ? cause.message : (err as Error).message;
};

export class PromClient {
  constructor(readonly url: string) {}

  private async get<T>(path: string, params: Record<string, string> = {}): Promise<T> {
    const u = new URL(path, this.url);
    for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
    let res: Response;
    try {
      res = await fetch(u, { signal: AbortSignal.timeout(10_000) });
    } catch (err) {
      throw new PromUnreachable(`Prometheus at ${this.url} unreachable: GET ${u.pathname}: ${failure(err)}`);
    }
    const body = (await res.json().catch(() => null)) as {
      status?: string;
      error?: string;
      errorType?: string;
      data?: T;
    } | null;
    if (!body || body.status !== 'success')
      throw new PromApiError(body?.error ? `${body.errorType ?? 'error'}: ${body.error}` : `HTTP ${res.status}`);
    return body.data as T;
  }

  /** Range query: one `[unix seconds, value]` list per series. */
  async queryRange(
    expr: string,
    start: Date,
    end: Date,
    stepSeconds: number,
  ): Promise<{ metric: Record<string, string>; values: [number, string][] }[]> {
    const data = await this.get<{ result: { metric: Record<string, string>; values: [number, string][] }[] }>(
      '/api/v1/query_range',
      {
        query: expr,
        start: String(start.getTime() / 1000),
        end: String(end.getTime() / 1000),
        step: `${Math.max(1, Math.round(stepSeconds))}s`,
      },
    );
    return data.result;
  }

  /** Instant query; rejects with Prometheus's parse/execution error. */
  async query(expr: string, at?: Date): Promise<PromSample[]> {
    const data = await this.get<{ resultType: string; result: PromSample[] | [number, string] }>('/api/v1/query', {
      query: expr,
      ...(at ? { time: String(at.getTime() / 1000) } : {}),
    });
    if (data.resultType === 'scalar' || data.resultType === 'string')
      return [{ metric: {}, value: data.result as [number, string] }];
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

  /** Scrape targets' health (`up` per job) and interval. */
  async targets(): Promise<TargetState[]> {
    return (await this.get<{ activeTargets: TargetState[] }>('/api/v1/targets')).activeTargets;
  }

  /** The server's running configuration, as YAML. */
  async config(): Promise<string> {
    return (await this.get<{ yaml: string }>('/api/v1/status/config')).yaml;
  }

  /**
   * How often the server scrapes `job` (its own scrape_interval, else the global one) and evaluates
   * rules, from its running config; else from its target list (hosted Prometheus-compatible servers
   * often hide the config); else Prometheus's own 1m defaults (a wider window, never a blank one).
   */
  async intervals(job = 'api'): Promise<PromIntervals> {
    const seconds = (text: unknown) => (typeof text === 'string' ? parsePromDuration(text) : undefined) || undefined;
    try {
      const doc = (parse(await this.config()) ?? {}) as {
        global?: Record<string, unknown>;
        scrape_configs?: Array<Record<string, unknown>>;
      };
      const global = seconds(doc.global?.scrape_interval) ?? DEFAULT_INTERVAL_S;
      return {
        scrape: seconds(doc.scrape_configs?.find((c) => c.job_name === job)?.scrape_interval) ?? global,
        evaluation: seconds(doc.global?.evaluation_interval) ?? DEFAULT_INTERVAL_S,
        source: `${this.url}/api/v1/status/config (job ${job})`,
      };
    } catch {
      // fall through to the target list
    }
    try {
      const scrape = seconds(
        (await this.targets()).find((t) => t.labels.job === job && t.scrapeInterval)?.scrapeInterval,
      );
      if (scrape) return { scrape, evaluation: DEFAULT_INTERVAL_S, source: `${this.url}/api/v1/targets (job ${job})` };
    } catch {
      // fall through to the defaults
    }
    return {
      scrape: DEFAULT_INTERVAL_S,
      evaluation: DEFAULT_INTERVAL_S,
      source: 'Prometheus did not say: its 1m defaults assumed',
    };
  }

  /**
   * The alerts matching `selector` (the release gate's by default) that were pending or firing at any
   * moment in [start, end]: a range query whose every point takes max_over_time over its whole step,
   * so nothing falls between points. Pending counts: a breach in a run's last minutes is still pending
   * when the run ends, and an alert pending mid-run and gone by the end is still a breach.
   */
  async gateAlertsDuring(start: Date, end: Date, selector = '{gate="release"}'): Promise<AlertSeen[]> {
    const seconds = Math.max(1, Math.ceil((end.getTime() - start.getTime()) / 1000));
    const step = Math.max(1, Math.ceil(seconds / ALERT_POINTS));
    const rows = await this.queryRange(`max_over_time(ALERTS${selector}[${step}s])`, start, end, step);
    const byName = new Map<string, AlertSeen>();
    for (const row of rows) {
      const seen = row.values.filter(([, v]) => Number(v) > 0).map(([t]) => t);
      if (!seen.length) continue;
      const alertname = row.metric.alertname ?? '?';
      const state = row.metric.alertstate === 'firing' ? 'firing' : 'pending';
      const first = new Date((Math.min(...seen) - step) * 1000).toISOString();
      const { alertname: _n, alertstate: _s, __name__: _m, ...labels } = row.metric;
      const known = byName.get(alertname);
      if (!known) byName.set(alertname, { alertname, states: [state], firstSeen: first, labels });
      else
        byName.set(alertname, {
          ...known,
          states: (['pending', 'firing'] as const).filter((x) => x === state || known.states.includes(x)),
          firstSeen: first < known.firstSeen ? first : known.firstSeen,
        });
    }
    return [...byName.values()].sort((a, b) => a.alertname.localeCompare(b.alertname));
  }

  /** State of one alert from `ALERTS{alertname=...}`: 'firing', 'pending' or 'inactive'. */
  async alertState(alertname: string): Promise<'firing' | 'pending' | 'inactive'> {
    const rows = await this.query(`ALERTS{alertname=${JSON.stringify(alertname)}}`);
    const states = new Set(rows.map((r) => r.metric.alertstate));
    return states.has('firing') ? 'firing' : states.has('pending') ? 'pending' : 'inactive';
  }
}

/** Prometheus's default scrape and evaluation interval, when the server does not say. */
const DEFAULT_INTERVAL_S = 60;
/** Points per range query in gateAlertsDuring. */
const ALERT_POINTS = 240;

export interface PromIntervals {
  /** Seconds between scrapes of the job. */
  readonly scrape: number;
  /** Seconds between rule evaluations. */
  readonly evaluation: number;
  /** Where the numbers came from, for reports. */
  readonly source: string;
}

/** An alert seen during a window: its states, when it was first seen, its labels (without alertname/alertstate). */
export interface AlertSeen {
  alertname: string;
  states: Array<'pending' | 'firing'>;
  firstSeen: string;
  labels: Record<string, string>;
}

export interface TargetState {
  labels: Record<string, string>;
  health: string;
  lastError: string;
  scrapeInterval?: string;
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
