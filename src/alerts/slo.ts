// Gate alerts guarding the SLOs: expression, hold time and unit tests come from the SLO itself.
// `warning`: a 5-minute breach blocks a release and opens a ticket; whether it is worth waking
// someone depends on how fast it spends the month's budget, which the burn-rate alerts judge
// (src/alerts/burn-rate.ts pages at 14.4× and 6×).
import { DefinitionError } from '../constructs/construct.js';
import { Alert, RuleGroup } from '../constructs/rules.js';
import type { Slo } from '../constructs/slo.js';
import { sloAlert } from '../constructs/slo-alert.js';
import { platform } from '../platform.js';
import { slos } from '../slos/index.js';

const group = new RuleGroup(platform, 'slo-alerts');

/** Each SLO's gate alert, by SLO id: the SLO panels link to its runbook section. */
export const sloAlertOf = (slo: Slo): Alert => {
  const alert = group.rules.find((a): a is Alert => a instanceof Alert && a.props.labels?.slo === slo.id);
  if (!alert) throw new DefinitionError(slo, 'alert', `SLO ${slo.id} has no gate alert in src/alerts/slo.ts`);
  return alert;
};

export const http5xxRatioHigh = sloAlert(group, slos.http5xxRatio, {
  name: 'Http5xxRatioHigh',
  severity: 'warning',
  summary: 'The API answers too many requests with 5xx errors.',
});

export const authFailureRatioHigh = sloAlert(group, slos.authFailureRatio, {
  name: 'AuthFailureRatioHigh',
  severity: 'warning',
  summary: 'Too many authentication operations fail.',
});

export const apiLatencyP95High = sloAlert(group, slos.apiLatencyP95, {
  name: 'ApiLatencyP95High',
  severity: 'warning',
  summary: 'API p95 latency is above its SLO.',
});

export const chatDeliveryLatencyHigh = sloAlert(group, slos.chatDeliveryP95, {
  name: 'ChatDeliveryLatencyHigh',
  severity: 'warning',
  summary: 'Chat messages reach recipients too slowly.',
});

export const notificationDeliveryLatencyHigh = sloAlert(group, slos.notificationDeliveryP95, {
  name: 'NotificationDeliveryLatencyHigh',
  severity: 'warning',
  summary: 'Notifications reach recipients too slowly.',
});
