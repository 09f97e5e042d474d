// An alerting rule's states over time, from its expression's values at each evaluation (a range
// query at the group's interval): Prometheus 2.42's AlertingRule.Eval (rules/alerting.go) step by
// step. A label set present in the result is active: pending from its first evaluation, firing once
// it has been active for `for` (at once when `for` is 0); absent, it resolves, unless it was firing
// and `keep_firing_for` has not run out since it was last present.

/** One series of a range query: its labels and `[unix seconds, value]` points. */
export interface ExprRow {
  readonly metric: Readonly<Record<string, string>>;
  readonly values: ReadonlyArray<readonly [number, string]>;
}

export interface AlertTiming {
  readonly name: string;
  readonly forSeconds: number;
  readonly keepFiringForSeconds: number;
  /** The rule's labels, set on every alert (templates are not expanded). */
  readonly labels: Readonly<Record<string, string>>;
}

/** One alert instance from becoming active until it resolved (`end`, exclusive), in ms. */
export interface Episode {
  readonly instance: string;
  readonly activeAt: number;
  readonly firedAt?: number;
  readonly end: number;
}

/** The alert's identity: expression labels without __name__, the rule's labels, alertname. */
export function instanceKey(metric: Readonly<Record<string, string>>, rule: AlertTiming): string {
  const labels: Record<string, string> = { ...metric, ...rule.labels, alertname: rule.name };
  delete labels.__name__;
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

interface State {
  activeAt: number;
  firedAt?: number;
  keepSince?: number;
}

/** Episodes of every instance over the evaluation times `grid` (ms, ascending, one step apart). */
export function alertEpisodes(rule: AlertTiming, rows: readonly ExprRow[], grid: readonly number[]): Episode[] {
  const present = new Map<number, Set<string>>();
  for (const row of rows) {
    const key = instanceKey(row.metric, rule);
    for (const [t] of row.values) {
      const ms = Math.round(t * 1000);
      present.set(ms, (present.get(ms) ?? new Set()).add(key));
    }
  }
  const holdMs = rule.forSeconds * 1000;
  const keepMs = rule.keepFiringForSeconds * 1000;
  const active = new Map<string, State>();
  const episodes: Episode[] = [];
  const close = (key: string, s: State, end: number) =>
    episodes.push({
      instance: key,
      activeAt: s.activeAt,
      ...(s.firedAt !== undefined ? { firedAt: s.firedAt } : {}),
      end,
    });
  for (const ts of grid) {
    const now = present.get(ts) ?? new Set<string>();
    for (const key of now) if (!active.has(key)) active.set(key, { activeAt: ts });
    for (const [key, s] of [...active]) {
      if (!now.has(key)) {
        let keepFiring = false;
        if (s.firedAt !== undefined && keepMs > 0) {
          s.keepSince ??= ts;
          keepFiring = ts - s.keepSince < keepMs;
        }
        if (!keepFiring) {
          close(key, s, ts);
          active.delete(key);
          continue;
        }
      } else s.keepSince = undefined;
      if (s.firedAt === undefined && ts - s.activeAt >= holdMs) s.firedAt = ts;
    }
  }
  const step = grid.length > 1 ? grid[1]! - grid[0]! : 0;
  const last = grid.length ? grid[grid.length - 1]! + step : 0;
  for (const [key, s] of active) close(key, s, last);
  return episodes.sort((a, b) => a.activeAt - b.activeAt || a.instance.localeCompare(b.instance));
}

/** How an alert behaved within a window: the gate counts pending and firing alike. */
export interface AlertSummary {
  /** Episodes active (pending or firing) at some moment of the window. */
  readonly activeEpisodes: number;
  /** Episodes that reached firing within the window ("fired N times"). */
  readonly firingEpisodes: number;
  /** Seconds of the window with at least one instance active / firing. */
  readonly activeSeconds: number;
  readonly firingSeconds: number;
  /** First moment in the window an instance was active / firing (ISO), or null. */
  readonly firstActive: string | null;
  readonly firstFiring: string | null;
}

/** The length of the union of intervals, clipped to [from, to). */
function unionMs(intervals: Array<[number, number]>, from: number, to: number): number {
  const clipped = intervals
    .map(([a, b]) => [Math.max(a, from), Math.min(b, to)] as [number, number])
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0]);
  let total = 0;
  let [cs, ce] = [NaN, NaN];
  for (const [a, b] of clipped) {
    if (!(a <= ce)) {
      if (ce > cs) total += ce - cs;
      [cs, ce] = [a, b];
    } else ce = Math.max(ce, b);
  }
  if (ce > cs) total += ce - cs;
  return total;
}

export function summarize(episodes: readonly Episode[], from: number, to: number): AlertSummary {
  const inWindow = (a: number, b: number) => a < to && b > from;
  const active = episodes.filter((e) => inWindow(e.activeAt, e.end));
  const firing = episodes.filter((e) => e.firedAt !== undefined && inWindow(e.firedAt, e.end));
  const first = (ms: number[]) => (ms.length ? new Date(Math.max(from, Math.min(...ms))).toISOString() : null);
  return {
    activeEpisodes: active.length,
    firingEpisodes: firing.length,
    activeSeconds:
      unionMs(
        active.map((e) => [e.activeAt, e.end]),
        from,
        to,
      ) / 1000,
    firingSeconds:
      unionMs(
        firing.map((e) => [e.firedAt!, e.end]),
        from,
        to,
      ) / 1000,
    firstActive: first(active.map((e) => e.activeAt)),
    firstFiring: first(firing.map((e) => e.firedAt!)),
  };
}
