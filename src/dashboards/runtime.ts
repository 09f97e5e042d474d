// Runtime: the API process's memory, CPU and event-loop lag, for soak-test stability.
import { metrics } from '../catalog/index.js';
import { Dashboard, Panel, Row } from '../constructs/dashboard.js';
import { promql } from '../promql/expr.js';
import { JOB, sumRate } from '../promql/functions.js';
import { APP_JOB, platform } from '../platform.js';

const d = new Dashboard(platform, 'runtime', {
  title: 'Service runtime',
  description:
    'Memory, CPU and event-loop lag of the API process: flat lines over a soak run mean no leak and no saturation.',
  tags: ['runtime', 'soak'],
  defaultJob: APP_JOB,
  timeFrom: 'now-3h',
});

const row = new Row(d, 'process', { title: 'Process' });
new Panel(row, 'rss', {
  title: 'Resident memory',
  description: 'Resident set size per instance; a steady climb over a soak run is a leak.',
  unit: 'bytes',
  width: 6,
  queries: [{ expr: promql`${metrics.processResidentMemory.select(JOB)}`, legend: '{{instance}}' }],
});
new Panel(row, 'heap', {
  title: 'V8 heap used',
  description: 'Used V8 heap across spaces per instance.',
  unit: 'bytes',
  width: 6,
  queries: [{ expr: promql`sum by (instance) (${metrics.heapUsed.select(JOB)})`, legend: '{{instance}}' }],
});
new Panel(row, 'cpu', {
  title: 'CPU',
  description: 'CPU seconds used per second (1 = one core busy) per instance.',
  unit: 'short',
  width: 6,
  queries: [{ expr: sumRate(metrics.processCpu.select(JOB), ['instance']), legend: '{{instance}}' }],
});
new Panel(row, 'event-loop-lag', {
  title: 'Event-loop lag p99',
  description: 'p99 event-loop lag per instance; above ~100 ms every request and socket stalls.',
  unit: 's',
  width: 6,
  queries: [{ expr: promql`${metrics.eventLoopLagP99.select(JOB)}`, legend: '{{instance}}' }],
});
