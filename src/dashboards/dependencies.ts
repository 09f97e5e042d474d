// Dependencies: PostgreSQL and Redis as the API sees them, and readiness.
import { metrics } from '../catalog/index.js';
import { Dashboard, Panel, Row } from '../constructs/dashboard.js';
import { promql } from '../promql/expr.js';
import { JOB, quantile, sumRate } from '../promql/functions.js';
import { platform } from '../platform.js';

const d = new Dashboard(platform, 'dependencies', {
  title: 'Dependencies',
  description: 'PostgreSQL query latency and errors, Redis command latency and errors, readiness per dependency.',
  tags: ['dependencies'],
});

const readiness = new Row(d, 'readiness', { title: 'Readiness' });
new Panel(readiness, 'dependency-up', {
  kind: 'stat',
  title: 'Dependency readiness',
  description: 'What /readyz last found per dependency: 1 reachable, 0 down (the API then answers 503).',
  unit: 'bool',
  width: 12,
  height: 5,
  thresholds: [{ value: 1, color: 'green' }],
  queries: [{ expr: promql`min by (dependency) (${metrics.dependencyUp.select(JOB)})`, legend: '{{dependency}}' }],
});
new Panel(readiness, 'targets-up', {
  kind: 'stat',
  title: 'Scrape targets up',
  description: 'Whether Prometheus can scrape each target: 0 means the process is down or unreachable.',
  unit: 'bool',
  width: 12,
  height: 5,
  thresholds: [{ value: 1, color: 'green' }],
  queries: [{ expr: promql`${metrics.up.select(JOB)}`, legend: '{{instance}}' }],
});

const db = new Row(d, 'postgres', { title: 'PostgreSQL' });
new Panel(db, 'db-p95', {
  title: 'Query p95 latency',
  description: 'p95 PostgreSQL query latency per statement kind, measured in the API.',
  unit: 's',
  width: 12,
  queries: [{ expr: quantile(0.95, metrics.dbQueryDuration, ['operation']), legend: '{{operation}}' }],
});
new Panel(db, 'db-errors', {
  title: 'Query errors',
  description: 'Failed PostgreSQL queries per second per statement kind; non-zero during a database outage.',
  unit: 'ops',
  width: 12,
  queries: [{ expr: sumRate(metrics.dbQueryErrors.select(JOB), ['operation']), legend: '{{operation}}' }],
});

const redis = new Row(d, 'redis', { title: 'Redis' });
new Panel(redis, 'redis-p95', {
  title: 'Command p95 latency',
  description: 'p95 Redis command latency per command, measured in the API.',
  unit: 's',
  width: 12,
  queries: [{ expr: quantile(0.95, metrics.redisCommandDuration, ['command']), legend: '{{command}}' }],
});
new Panel(redis, 'redis-errors', {
  title: 'Command errors',
  description: 'Failed or timed-out Redis commands per second per command.',
  unit: 'ops',
  width: 12,
  queries: [{ expr: sumRate(metrics.redisCommandErrors.select(JOB), ['command']), legend: '{{command}}' }],
});
