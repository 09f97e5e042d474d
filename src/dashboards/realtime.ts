// Realtime: WebSocket connections, disconnects, throughput, backpressure, and chat delivery.
import { metrics } from '../catalog/index.js';
import { Dashboard, Panel, Row } from '../constructs/dashboard.js';
import { promql } from '../promql/expr.js';
import { JOB, sumIncrease, sumRate } from '../promql/functions.js';
import { APP_JOB, platform } from '../platform.js';
import { sloPanel } from './slo-panel.js';
import { wsAbnormalDisconnects } from '../recording-rules/realtime.js';
import { BACKPRESSURE_DROPS_ALLOWED } from '../alerts/realtime.js';
import { slos } from '../slos/index.js';

/** The smallest step Grafana shows above a threshold: its steps turn at ≥ value, the alerts at > value. */
const ABOVE = 0.0001;

const d = new Dashboard(platform, 'realtime', {
  title: 'Realtime',
  description:
    'WebSocket connections, disconnects, message throughput and backpressure; chat volume and delivery latency.',
  tags: ['websocket', 'chat'],
  defaultJob: APP_JOB,
});

const sockets = new Row(d, 'sockets', { title: 'WebSockets' });
new Panel(sockets, 'active', {
  title: 'Active connections',
  description: 'Open WebSocket connections per channel (chat, notifications, games).',
  unit: 'short',
  queries: [{ expr: promql`sum by (channel) (${metrics.wsConnectionsActive.select(JOB)})`, legend: '{{channel}}' }],
});
new Panel(sockets, 'disconnects', {
  title: 'Disconnects by reason',
  description: 'WebSocket closes per second by reason; normal and going_away are expected, the rest are lost sessions.',
  unit: 'ops',
  stacked: true,
  queries: [{ expr: sumRate(metrics.wsDisconnects.select(JOB), ['reason']), legend: '{{reason}}' }],
});
new Panel(sockets, 'abnormal-disconnects', {
  title: 'Abnormal disconnects (5m)',
  description:
    'Abnormal disconnects per channel in the last 5 minutes; the spike alert fires above 10% of open connections (min 5).',
  unit: 'short',
  queries: [{ expr: promql`${wsAbnormalDisconnects.select(JOB)}`, legend: '{{channel}}' }],
});
new Panel(sockets, 'messages', {
  title: 'Message throughput',
  description: 'Application messages per second over WebSockets, by channel and direction (in = from clients).',
  unit: 'ops',
  queries: [
    { expr: sumRate(metrics.wsMessages.select(JOB), ['channel', 'direction']), legend: '{{channel}} {{direction}}' },
  ],
});
new Panel(sockets, 'backpressure', {
  title: 'Backpressure drops (5m)',
  description: 'Outbound messages dropped for slow clients in the last 5 minutes; any drop fails the release gate.',
  unit: 'short',
  // Red where WsBackpressureDrops fires: above its threshold (Grafana's steps start at ≥, and increase() extrapolates fractions).
  thresholds: [{ value: BACKPRESSURE_DROPS_ALLOWED + ABOVE, color: 'red' }],
  queries: [{ expr: sumIncrease(metrics.wsBackpressureDrops.select(JOB), ['channel'], '5m'), legend: '{{channel}}' }],
});

const chat = new Row(d, 'chat', { title: 'Chat' });
new Panel(chat, 'sent', {
  title: 'Messages sent',
  description: 'Chat messages accepted per second, by conversation kind.',
  unit: 'ops',
  width: 12,
  queries: [
    { expr: sumRate(metrics.chatMessagesSent.select(JOB), ['conversation_type']), legend: '{{conversation_type}}' },
  ],
});
sloPanel(chat, 'delivery-p95', slos.chatDeliveryP95, { width: 12 });
