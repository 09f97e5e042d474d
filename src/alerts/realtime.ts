// WebSocket health alerts.
import { metrics } from '../catalog/index.js';
import { ramp, seriesLiteral } from '../constructs/alert-cases.js';
import { Alert, RuleGroup } from '../constructs/rules.js';
import { promql } from '../promql/expr.js';
import { wsAbnormalDisconnects } from '../recording-rules/realtime.js';
import { platform } from '../platform.js';

const group = new RuleGroup(platform, 'realtime-alerts');

/** A spike must also be this large in absolute terms, so two drops among five clients don't page. */
export const DISCONNECT_SPIKE_FLOOR = 5;
/** Share of the open connections lost abnormally within 5 minutes that makes a storm. */
export const DISCONNECT_SPIKE_SHARE = 0.1;

const connections = (n: number) => ({
  series: seriesLiteral(metrics.wsConnectionsActive.name, { channel: 'chat' }),
  values: `${n}x40`,
});
const disconnects = (perMinute: number) => ({
  series: seriesLiteral(metrics.wsDisconnects.name, { channel: 'chat', reason: 'ping_timeout' }),
  values: ramp(perMinute),
});

/**
 * Disconnect spike: in the last 5 minutes, more than 10% of a channel's open connections (and at
 * least 5) were lost abnormally, sustained for 2 minutes. Relative to the open connections, so it
 * means the same at 30 clients as at 3,000; with a floor, so a quiet channel's single drop is not a
 * storm; abnormal only, so deploy drains and users leaving never count.
 */
export const wsDisconnectSpike = new Alert(group, {
  name: 'WsDisconnectSpike',
  expr: promql`${wsAbnormalDisconnects} > on (job, channel) clamp_min(${DISCONNECT_SPIKE_SHARE} * sum by (job, channel) (${metrics.wsConnectionsActive}), ${DISCONNECT_SPIKE_FLOOR})`,
  for: '2m',
  // Clients reconnect with a fresh ticket: a storm hurts, but recovers by itself; ticket, and block the release.
  severity: 'warning',
  gate: true,
  summary: 'WebSocket clients are being disconnected abnormally in large numbers.',
  description:
    '{{ $value | humanize }} abnormal {{ $labels.channel }} WebSocket disconnects in 5m for job {{ $labels.job }}, over 10% of open connections.',
  tests: {
    // 50 open chat sockets; 2 abnormal drops a minute = 10 in 5m, above max(5, 5).
    fires: { title: '10 abnormal drops in 5m among 50 sockets', inputs: [connections(50), disconnects(2)], evalTime: '15m', value: 10, labels: { job: 'api', channel: 'chat' } },
    // 1 drop a minute = 5 in 5m: exactly at the threshold, not above it.
    quiet: { title: '5 abnormal drops in 5m among 50 sockets', inputs: [connections(50), disconnects(1)], evalTime: '15m' },
  },
});

export const wsBackpressureDrops = new Alert(group, {
  name: 'WsBackpressureDrops',
  expr: promql`sum by (job, channel) (increase(${metrics.wsBackpressureDrops}[5m])) > 0`,
  for: '1m',
  // Drops hit the slow clients, not everyone: ticket, and block the release (a drop is a lost message).
  severity: 'warning',
  gate: true,
  summary: 'WebSocket messages are being dropped because clients cannot keep up.',
  description: '{{ $value | humanize }} {{ $labels.channel }} messages dropped for slow clients in 5m on job {{ $labels.job }}.',
  tests: {
    fires: {
      title: '2 drops a minute',
      inputs: [{ series: seriesLiteral(metrics.wsBackpressureDrops.name, { channel: 'notifications' }), values: ramp(2) }],
      evalTime: '15m',
      value: 10,
      labels: { job: 'api', channel: 'notifications' },
    },
    quiet: {
      title: 'counter present, no drops',
      inputs: [{ series: seriesLiteral(metrics.wsBackpressureDrops.name, { channel: 'notifications' }), values: '0x40' }],
      evalTime: '15m',
    },
  },
});
