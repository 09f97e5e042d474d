// Notifications: event volume and fan-out delivery latency.
import { metrics } from '../catalog/index.js';
import { Dashboard, Panel, Row } from '../constructs/dashboard.js';
import { promql } from '../promql/expr.js';
import { JOB, quantile, sumRate } from '../promql/functions.js';
import { platform } from '../platform.js';
import { slos } from '../slos/index.js';

const d = new Dashboard(platform, 'notifications', {
  title: 'Notifications',
  description: 'Notification event volume by type and delivery latency to subscribed sockets.',
  tags: ['notifications'],
});

const row = new Row(d, 'fanout', { title: 'Fan-out' });
new Panel(row, 'events', {
  title: 'Events by type',
  description: 'Notifications created per second, by what created them (comments, likes, messages, game events).',
  unit: 'ops',
  stacked: true,
  queries: [{ expr: sumRate(metrics.notificationEvents.select(JOB), ['type']), legend: '{{type}}' }],
});
new Panel(row, 'delivery-p95', {
  title: 'Delivery p95 (SLO)',
  description: `p95 time from creation to the recipient's socket over ${slos.notificationDeliveryP95.window}; the gate fails above ${slos.notificationDeliveryP95.thresholdText}.`,
  unit: 's',
  thresholds: slos.notificationDeliveryP95.thresholds,
  queries: [{ expr: promql`${slos.notificationDeliveryP95.sli.select(JOB)}`, legend: '{{job}}' }],
});
new Panel(row, 'delivery-p95-by-type', {
  title: 'Delivery p95 by type',
  description: 'p95 delivery latency per notification type over the rate interval.',
  unit: 's',
  queries: [{ expr: quantile(0.95, metrics.notificationDeliveryDuration, ['type']), legend: '{{type}}' }],
});
