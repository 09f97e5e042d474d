// Realtime SLIs: message and notification delivery latency, abnormal WebSocket disconnects.
import { metrics, notRe } from '../catalog/index.js';
import { promql } from '../promql/expr.js';
import { RecordingRule, RuleGroup } from '../constructs/rules.js';
import { quantileRule } from '../constructs/sli-rules.js';
import { APP_SCOPE, platform } from '../platform.js';

const group = new RuleGroup(platform, 'realtime-recording');

export const chatDeliveryP95 = quantileRule(group, 'chat-delivery-p95', {
  record: 'job:chat_message_delivery_seconds:p95_rate5m',
  histogram: metrics.chatDeliveryDuration,
  quantile: 0.95,
  window: '5m',
  matchers: APP_SCOPE,
  example: { conversation_type: 'dm' },
});

export const notificationDeliveryP95 = quantileRule(group, 'notification-delivery-p95', {
  record: 'job:notification_delivery_seconds:p95_rate5m',
  histogram: metrics.notificationDeliveryDuration,
  quantile: 0.95,
  window: '5m',
  matchers: APP_SCOPE,
  example: { type: 'comment' },
});

/**
 * Disconnects the server did not ask for: `normal` is a client closing its tab, `going_away` is
 * our own drain on deploy. Everything else (errors, ping timeouts, backpressure, dependency loss)
 * is a client that lost its session.
 */
export const ABNORMAL_DISCONNECT = notRe('normal|going_away');

export const wsAbnormalDisconnects = new RecordingRule(group, 'ws-abnormal-disconnects', {
  record: 'job_channel:ws_disconnects_abnormal:increase5m',
  unit: 'count',
  window: '5m',
  expr: promql`sum by (job, channel) (increase(${metrics.wsDisconnects.select({ ...APP_SCOPE, reason: ABNORMAL_DISCONNECT })}[5m]))`,
});
