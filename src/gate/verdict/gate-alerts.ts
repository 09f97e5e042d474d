// Gate alerts during the run: a range query over ALERTS{gate="release"} across the whole window.
// Pending counts as much as firing: a breach in the last minutes of a run is still pending when the
// run ends (a 10m window plus `for: 5m` outlasts a short run), and ignoring it would pass it.
import type { PromClient } from '../../prometheus-api/client.js';
import type { AlertSeen, Failure } from './schema.js';

/** Points per range query; each point covers its whole step with max_over_time, so nothing falls between. */
const POINTS = 240;

export async function gateAlertsDuring(prom: PromClient, start: Date, end: Date): Promise<{ alerts: AlertSeen[]; failures: Failure[] }> {
  const seconds = Math.max(1, Math.ceil((end.getTime() - start.getTime()) / 1000));
  const step = Math.max(1, Math.ceil(seconds / POINTS));
  const rows = await prom.queryRange(`max_over_time(ALERTS{gate="release"}[${step}s])`, start, end, step);
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
    else byName.set(alertname, { ...known, states: (['pending', 'firing'] as const).filter((x) => x === state || known.states.includes(x)), firstSeen: first < known.firstSeen ? first : known.firstSeen });
  }
  const alerts = [...byName.values()].sort((a, b) => a.alertname.localeCompare(b.alertname));
  const failures = alerts.map((a): Failure => ({
    source: 'gate-alert',
    subject: a.alertname,
    reason: `${a.states.join(' and ')} during the run (from ${a.firstSeen}${Object.keys(a.labels).length ? `; ${Object.entries(a.labels).map(([k, v]) => `${k}=${v}`).join(', ')}` : ''})`,
  }));
  return { alerts, failures };
}
