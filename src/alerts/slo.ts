// Gate alerts guarding the SLOs: expression, hold time and unit tests come from the SLO itself.
import { RuleGroup } from '../constructs/rules.js';
import { sloAlert } from '../constructs/slo.js';
import { platform } from '../platform.js';
import { slos } from '../slos/index.js';

const group = new RuleGroup(platform, 'slo-alerts');

export const http5xxRatioHigh = sloAlert(group, slos.http5xxRatio, {
  name: 'Http5xxRatioHigh',
  severity: 'critical',
  summary: 'The API answers too many requests with 5xx errors.',
});

export const authFailureRatioHigh = sloAlert(group, slos.authFailureRatio, {
  name: 'AuthFailureRatioHigh',
  severity: 'critical',
  summary: 'Too many authentication operations fail.',
});

export const apiLatencyP95High = sloAlert(group, slos.apiLatencyP95, {
  name: 'ApiLatencyP95High',
  severity: 'critical',
  summary: 'API p95 latency is above its SLO.',
});

export const chatDeliveryLatencyHigh = sloAlert(group, slos.chatDeliveryP95, {
  name: 'ChatDeliveryLatencyHigh',
  severity: 'critical',
  summary: 'Chat messages reach recipients too slowly.',
});

export const notificationDeliveryLatencyHigh = sloAlert(group, slos.notificationDeliveryP95, {
  name: 'NotificationDeliveryLatencyHigh',
  severity: 'critical',
  summary: 'Notifications reach recipients too slowly.',
});
