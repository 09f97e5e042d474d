// WebSocket health alerts.
import { metrics } from '../catalog/index.js';
import { ramp, seriesLiteral } from '../constructs/alert-cases.js';
import {
  counterValues,
  holdExpectations,
  STEP,
  steadyScenario,
  type AlertScenario,
} from '../constructs/alert-timeline.js';
import { formatNumber } from '../promql/expr.js';
import { Alert, RuleGroup } from '../constructs/rules.js';
import { promql } from '../promql/expr.js';
import { wsAbnormalDisconnects } from '../recording-rules/realtime.js';
import { APP_SCOPE, platform } from '../platform.js';

const group = new RuleGroup(platform, 'realtime-alerts');

/** A spike must also be this large in absolute terms, so two drops among five clients don't page. */
export const DISCONNECT_SPIKE_FLOOR = 5;
/** Share of the open connections lost abnormally within 5 minutes that makes a storm. */
export const DISCONNECT_SPIKE_SHARE = 0.1;

const chat = { channel: 'chat' } as const;
const sockets = (n: number) => ({ series: seriesLiteral(metrics.wsConnectionsActive.name, chat), values: `${n}x80` });
/** Disconnects of one reason at a steady rate, `per5m` in every 5 minutes, sampled every 15 s. */
const closes = (reason: string, per5m: number) => ({
  series: seriesLiteral(metrics.wsDisconnects.name, { ...chat, reason }),
  values: `0+${formatNumber(per5m / 20)}x80`,
});
const abnormal = (per5m: number) => closes('ping_timeout', per5m);
/** Closes that never count: clients leaving and our own drain on deploy, far more than any threshold. */
const expected = [closes('normal', 400), closes('going_away', 400)];
const SPIKE = { job: 'api', channel: 'chat' } as const;
/** The same series from another service on a shared Prometheus: the API's alerts must not read it. */
const otherJob = (input: { series: string; values: string }) => ({
  ...input,
  series: input.series.replace('job="api"', 'job="another-service"'),
});

/**
 * 120 open sockets (10% is 12, above the floor): one abnormal close every 15 s from 2m for 10m.
 * The 5m count passes 12 at the 13th close (pending), fires 2m later, and falls back to 12 two
 * minutes after the closes stop.
 */
function spikeTimeline(): AlertScenario {
  // From 2m: the first check (one step before the crossing) then still sees a full 5m window of samples.
  const start = 120;
  const n = (start + 600 + 180) / STEP;
  const drops = Array.from({ length: n }, (_, i) => (i * STEP >= start && i * STEP < start + 600 ? 1 : 0));
  return {
    title: 'a burst of abnormal closes among 120 sockets',
    step: STEP,
    inputs: [
      { series: seriesLiteral(metrics.wsConnectionsActive.name, chat), values: `120x${n}` },
      { series: seriesLiteral(metrics.wsDisconnects.name, { ...chat, reason: 'error' }), values: counterValues(drops) },
    ],
    expect: holdExpectations(start + 13 * STEP, 120, STEP, start + 600 + 8 * STEP),
  };
}

/**
 * Disconnect spike: in the last 5 minutes, more than 10% of a channel's open connections (and at
 * least 5) were lost abnormally, sustained for 2 minutes. Relative to the open connections, so it
 * means the same at 30 clients as at 3,000; with a floor, so a quiet channel's single drop is not a
 * storm; abnormal only, so deploy drains and users leaving never count.
 */
export const wsDisconnectSpike = new Alert(group, {
  name: 'WsDisconnectSpike',
  // The open sockets need no job filter: matched on (job, channel) to the scoped disconnects, other jobs drop out.
  expr: promql`${wsAbnormalDisconnects} > on (job, channel) clamp_min(${DISCONNECT_SPIKE_SHARE} * sum by (job, channel) (${metrics.wsConnectionsActive}), ${DISCONNECT_SPIKE_FLOOR})`,
  for: '2m',
  // Clients reconnect with a fresh ticket: a storm hurts, but recovers by itself; ticket, and block the release.
  severity: 'warning',
  gate: true,
  summary: 'WebSocket clients are being disconnected abnormally in large numbers.',
  description:
    '{{ $value | humanize }} abnormal {{ $labels.channel }} WebSocket disconnects in 5m for job {{ $labels.job }}, over 10% of open connections.',
  tests: {
    // The share decides above the floor: 10% of 200 sockets is 20. 25 abnormal closes in 5m fire
    // (twice the share would not); 15 do not (half the share would), nor do hundreds of normal closes.
    fires: {
      title: '25 abnormal closes in 5m among 200 sockets',
      interval: '15s',
      inputs: [sockets(200), abnormal(25)],
      evalTime: '15m',
      value: 25,
      labels: SPIKE,
    },
    quiet: {
      title: '15 abnormal closes in 5m among 200 sockets, and 800 normal ones',
      interval: '15s',
      inputs: [sockets(200), abnormal(15), ...expected],
      evalTime: '15m',
    },
    more: [
      {
        expect: 'quiet',
        title: "another service's disconnect storm (not the API's job)",
        interval: '15s',
        inputs: [sockets(200), otherJob(sockets(200)), otherJob(abnormal(400))],
        evalTime: '15m',
      },
    ],
    scenarios: [
      // The floor decides below it: 10% of 20 sockets is 2, the floor 5. 8 fire (twice the floor would
      // not), 3 do not (half the floor would).
      steadyScenario('8 abnormal closes in 5m among 20 sockets', [sockets(20), abnormal(8)], 420, 'firing'),
      steadyScenario('3 abnormal closes in 5m among 20 sockets', [sockets(20), abnormal(3)], 420, 'inactive'),
      spikeTimeline(),
    ],
  },
});

/** Backpressure drops in 5m the release tolerates: the alert fires above it, the realtime dashboard turns red above it. */
export const BACKPRESSURE_DROPS_ALLOWED = 0;

export const wsBackpressureDrops = new Alert(group, {
  name: 'WsBackpressureDrops',
  expr: promql`sum by (job, channel) (increase(${metrics.wsBackpressureDrops.select(APP_SCOPE)}[5m])) > ${BACKPRESSURE_DROPS_ALLOWED}`,
  for: '1m',
  // Drops hit the slow clients, not everyone: ticket, and block the release (a drop is a lost message).
  severity: 'warning',
  gate: true,
  summary: 'WebSocket messages are being dropped because clients cannot keep up.',
  description:
    '{{ $value | humanize }} {{ $labels.channel }} messages dropped for slow clients in 5m on job {{ $labels.job }}.',
  tests: {
    fires: {
      title: '2 drops a minute',
      inputs: [
        { series: seriesLiteral(metrics.wsBackpressureDrops.name, { channel: 'notifications' }), values: ramp(2) },
      ],
      evalTime: '15m',
      value: 10,
      labels: { job: 'api', channel: 'notifications' },
    },
    quiet: {
      title: 'counter present, no drops',
      inputs: [
        { series: seriesLiteral(metrics.wsBackpressureDrops.name, { channel: 'notifications' }), values: '0x40' },
      ],
      evalTime: '15m',
    },
    more: [
      {
        expect: 'quiet',
        title: "another service's drops (not the API's job)",
        inputs: [
          otherJob({
            series: seriesLiteral(metrics.wsBackpressureDrops.name, { channel: 'notifications' }),
            values: ramp(2),
          }),
        ],
        evalTime: '15m',
      },
    ],
    // One drop at 5m: pending at the next sample, firing a minute later, resolved when it leaves the 5m window.
    scenarios: [
      {
        title: 'a single drop',
        step: STEP,
        inputs: [
          {
            series: seriesLiteral(metrics.wsBackpressureDrops.name, { channel: 'notifications' }),
            values: counterValues(Array.from({ length: 42 }, (_, i) => (i === 20 ? 1 : 0))),
          },
        ],
        expect: holdExpectations(315, 60, STEP, 615),
      },
    ],
  },
});
