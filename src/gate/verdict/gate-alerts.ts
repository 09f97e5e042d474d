// Gate alerts during the run, as verdict failures: every alert the one client's gateAlertsDuring
// (a range query over the whole window, pending as much as firing) saw. A breach in the last minutes of
// a run is still pending when the run ends (a 10m window plus `for: 5m` outlasts a short run), and
// ignoring it would pass it.
import type { PromClient } from '../../kernel/prometheus-client.js';
import type { AlertSeen, Failure } from './schema.js';

export async function gateAlertFailures(
  prom: PromClient,
  start: Date,
  end: Date,
): Promise<{ alerts: AlertSeen[]; failures: Failure[] }> {
  const alerts = await prom.gateAlertsDuring(start, end);
  const failures = alerts.map((a): Failure => ({
    source: 'gate-alert',
    subject: a.alertname,
    reason: `${a.states.join(' and ')} during the run (from ${a.firstSeen}${
      Object.keys(a.labels).length
        ? `; ${Object.entries(a.labels)
            .map(([k, v]) => `${k}=${v}`)
            .join(', ')}`
        : ''
    })`,
  }));
  return { alerts, failures };
}
