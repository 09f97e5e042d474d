// Notifications: event volume and fan-out delivery latency.
import { metrics } from '../catalog/index.js';
import { Dashboard, Panel, Row } from '../constructs/dashboard.js';
import { JOB, quantile, sumRate } from '../promql/functions.js';
import { APP_JOB, platform } from '../platform.js';
import { sloPanel } from './slo-panel.js';
import { slos } from '../slos/index.js';

const d = new Dashboard(platform, 'notifications', {
  title: 'Notifications',
  description: 'Notification event volume by type and delivery latency to subscribed sockets.',
  tags: ['notifications'],
  defaultJob: APP_JOB,
});

const row = new Row(d, 'fanout', { title: 'Fan-out' });
new Panel(row, 'events', {
  title: 'Events by type',
  description: 'Notifications created per second, by what created them (comments, likes, messages, game events).',
  unit: 'ops',
  stacked: true,
  queries: [{ expr: sumRate(metrics.notificationEvents.select(JOB), ['type']), legend: '{{type}}' }],
});
sloPanel(row, 'delivery-p95', slos.notificationDeliveryP95);
new Panel(row, 'delivery-p95-by-type', {
  title: 'Delivery p95 by type',
  description: 'p95 delivery latency per notification type over the rate interval.',
  unit: 's',
  queries: [{ expr: quantile(0.95, metrics.notificationDeliveryDuration, ['type']), legend: '{{type}}' }],
});
