// Games: room actions, their latency and rejections, active rooms.
import { metrics } from '../catalog/index.js';
import { Dashboard, Panel, Row } from '../constructs/dashboard.js';
import { promql } from '../promql/expr.js';
import { JOB, quantile, sumRate } from '../promql/functions.js';
import { APP_JOB, platform } from '../platform.js';

const d = new Dashboard(platform, 'games', {
  title: 'Games',
  description: 'Real-time game rooms: action rate and latency, rejected moves, rooms left open.',
  tags: ['games'],
  defaultJob: APP_JOB,
});

const row = new Row(d, 'rooms', { title: 'Rooms' });
new Panel(row, 'actions', {
  title: 'Actions by type',
  description: 'Game actions per second by action and outcome (rejected = failed server-side validation).',
  unit: 'ops',
  queries: [
    { expr: sumRate(metrics.gameActions.select(JOB), ['action', 'outcome']), legend: '{{action}} {{outcome}}' },
  ],
});
new Panel(row, 'action-p95', {
  title: 'Action p95 latency',
  description: 'p95 latency from request to committed room state, per action.',
  unit: 's',
  queries: [{ expr: quantile(0.95, metrics.gameActionDuration, ['action']), legend: '{{action}}' }],
});
new Panel(row, 'active-rooms', {
  title: 'Active rooms',
  description: 'Rooms open now; after a load run ends this must return to its starting level (no orphaned rooms).',
  unit: 'short',
  queries: [{ expr: promql`sum(${metrics.gameRoomsActive.select(JOB)})`, legend: 'active rooms' }],
});
