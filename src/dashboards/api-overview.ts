// API overview: traffic, errors, latency and error logs of the platform's HTTP API.
import { metrics, re } from '../catalog/index.js';
import { Dashboard, Panel, Row } from '../constructs/dashboard.js';
import { promql } from '../promql/expr.js';
import { JOB, quantile, sumRate } from '../promql/functions.js';
import { APP_JOB, platform } from '../platform.js';
import { sloPanel } from './slo-panel.js';
import { API_ROUTES } from '../recording-rules/http.js';
import { slos } from '../slos/index.js';

const d = new Dashboard(platform, 'api-overview', {
  title: 'API overview',
  description:
    'Request rate, 4xx/5xx ratios and p95/p99 latency of the platform API (routes under /api/, as the SLOs count them), by route.',
  tags: ['api'],
  defaultJob: APP_JOB,
});

const requests = metrics.httpRequests;
/** The SLOs' scope: user-facing API routes only (probes answering 503 during an outage are not users failing). */
const API = { ...JOB, route: API_ROUTES };
const traffic = new Row(d, 'traffic', { title: 'Traffic' });
new Panel(traffic, 'rate-by-route', {
  title: 'Request rate by route',
  description: 'Requests per second completed by the API, per route template.',
  unit: 'reqps',
  width: 12,
  stacked: true,
  queries: [{ expr: sumRate(requests.select(API), ['route']), legend: '{{route}}' }],
});
new Panel(traffic, 'rate-by-status', {
  title: 'Request rate by status',
  description: 'Requests per second by HTTP status code; watch 4xx/5xx growing against 2xx.',
  unit: 'reqps',
  width: 12,
  stacked: true,
  queries: [{ expr: sumRate(requests.select(API), ['status']), legend: '{{status}}' }],
});

const ratioOf = (status: string) =>
  promql`${sumRate(requests.select({ ...API, status: re(status) }))} / ${sumRate(requests.select(API))}`;

const errors = new Row(d, 'errors', { title: 'Errors' });
sloPanel(errors, 'ratio-5xx', slos.http5xxRatio);
new Panel(errors, 'ratio-4xx', {
  title: '4xx ratio',
  description: 'Share of requests answered 4xx: client mistakes, auth failures and missing resources.',
  unit: 'percentunit',
  queries: [{ expr: ratioOf('4..'), legend: '4xx' }],
});
new Panel(errors, 'errors-by-route', {
  title: '5xx by route',
  description: 'Requests per second answered 5xx, per route: where the failures come from.',
  unit: 'reqps',
  queries: [{ expr: sumRate(requests.select({ ...API, status: re('5..') }), ['route']), legend: '{{route}}' }],
});

const latency = new Row(d, 'latency', { title: 'Latency' });
sloPanel(latency, 'p95-slo', slos.apiLatencyP95);
new Panel(latency, 'p95-by-route', {
  title: 'p95 latency by route',
  description: 'p95 request latency per route template over the rate interval.',
  unit: 's',
  queries: [
    { expr: quantile(0.95, metrics.httpRequestDuration, ['route'], { route: API_ROUTES }), legend: '{{route}}' },
  ],
});
new Panel(latency, 'p99-by-route', {
  title: 'p99 latency by route',
  description: 'p99 request latency per route template: the slowest requests users see.',
  unit: 's',
  queries: [
    { expr: quantile(0.99, metrics.httpRequestDuration, ['route'], { route: API_ROUTES }), legend: '{{route}}' },
  ],
});

const auth = new Row(d, 'auth', { title: 'Auth' });
new Panel(auth, 'auth-ops', {
  title: 'Auth operations',
  description: 'Auth operations per second by operation and outcome.',
  unit: 'ops',
  width: 12,
  queries: [
    {
      expr: sumRate(metrics.authOperations.select(JOB), ['operation', 'outcome']),
      legend: '{{operation}} {{outcome}}',
    },
  ],
});
sloPanel(auth, 'auth-failure-ratio', slos.authFailureRatio, { width: 12 });

const logs = new Row(d, 'logs', { title: 'Logs' });
new Panel(logs, 'error-logs', {
  kind: 'logs',
  title: 'Error logs',
  description: 'Error-level JSON log lines of the API (pino level 50 and above), newest first.',
  unit: 'none',
  width: 24,
  height: 10,
  queries: [{ expr: '{job=~"$job"} | json | level >= 50' }],
});
