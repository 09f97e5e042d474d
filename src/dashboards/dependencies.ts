// Dependencies: PostgreSQL and Redis as the API sees them, and readiness.
import { metrics, type Counter, type Histogram } from '../catalog/index.js';
import { Dashboard, Panel, Row } from '../constructs/dashboard.js';
import { UP_DOWN } from '../constructs/panel-options.js';
import { promql } from '../promql/expr.js';
import { JOB, quantile, sumRate } from '../promql/functions.js';
import { APP_JOB, platform } from '../platform.js';

const d = new Dashboard(platform, 'dependencies', {
  title: 'Dependencies',
  description: 'PostgreSQL query latency and errors, Redis command latency and errors, readiness per dependency.',
  tags: ['dependencies'],
  defaultJob: APP_JOB,
});

const readiness = new Row(d, 'readiness', { title: 'Readiness' });
new Panel(readiness, 'dependency-up', {
  kind: 'stat',
  title: 'Dependency readiness',
  description: 'What /readyz last found per dependency: 1 reachable, 0 down (the API then answers 503).',
  unit: 'bool',
  width: 12,
  height: 5,
  // Red at 0 with DOWN written on it: a health panel must never show a failure in green.
  baseColor: 'red',
  thresholds: [{ value: 1, color: 'green' }],
  texts: UP_DOWN,
  queries: [{ expr: promql`min by (dependency) (${metrics.dependencyUp.select(JOB)})`, legend: '{{dependency}}' }],
});
new Panel(readiness, 'targets-up', {
  kind: 'stat',
  title: 'Scrape targets up',
  description: 'Whether Prometheus can scrape each target: 0 means the process is down or unreachable.',
  unit: 'bool',
  width: 12,
  height: 5,
  baseColor: 'red',
  thresholds: [{ value: 1, color: 'green' }],
  texts: UP_DOWN,
  queries: [{ expr: promql`${metrics.up.select(JOB)}`, legend: '{{instance}}' }],
});

/** Each dependency as the API sees it: client-side latency by operation, and failures. */
const CLIENT_SIDE: readonly {
  id: string;
  title: string;
  what: string;
  whats: string;
  by: string;
  latency: Histogram<string>;
  errors: Counter<string>;
  bad: string;
}[] = [
  {
    id: 'postgres',
    title: 'PostgreSQL',
    what: 'query',
    whats: 'queries',
    by: 'operation',
    latency: metrics.dbQueryDuration,
    errors: metrics.dbQueryErrors,
    bad: 'non-zero during a database outage',
  },
  {
    id: 'redis',
    title: 'Redis',
    what: 'command',
    whats: 'commands',
    by: 'command',
    latency: metrics.redisCommandDuration,
    errors: metrics.redisCommandErrors,
    bad: 'tickets, fan-out and presence fail with it',
  },
];

for (const dep of CLIENT_SIDE) {
  const row = new Row(d, dep.id, { title: dep.title });
  new Panel(row, `${dep.id}-p95`, {
    title: `${dep.title} ${dep.what} p95 latency`,
    description: `p95 ${dep.title} ${dep.what} latency per ${dep.by}, measured in the API.`,
    unit: 's',
    width: 12,
    queries: [{ expr: quantile(0.95, dep.latency, [dep.by]), legend: `{{${dep.by}}}` }],
  });
  new Panel(row, `${dep.id}-errors`, {
    title: `${dep.title} ${dep.what} errors`,
    description: `Failed ${dep.title} ${dep.whats} per second per ${dep.by}; ${dep.bad}.`,
    unit: 'ops',
    width: 12,
    queries: [{ expr: sumRate(dep.errors.select(JOB), [dep.by]), legend: `{{${dep.by}}}` }],
  });
}
