// HTTP SLIs shared by the API dashboards and the gate alerts.
import { anyOf, metrics, ne, notRe, re } from '../catalog/index.js';
import { WEB_CLIENT_BUNDLE, WEB_CLIENT_ROUTES } from '../platform.js';
import { RuleGroup } from '../constructs/rules.js';
import { quantileRule, ratioRule } from '../constructs/sli-rules.js';
import { APP_SCOPE, platform } from '../platform.js';

const group = new RuleGroup(platform, 'http-recording');

/**
 * User-facing API routes only: /healthz, /readyz and /metrics are probes, and readiness answering
 * 503 during a dependency outage is the probe working, not users failing.
 */
export const API_ROUTES = re('/api/.*');
/**
 * Requests that should feed an API SLI: neither probes nor the web client's pages and bundle (which
 * are not the API, and flow alone when only the journeys' browser is on the site). When these flow
 * but an API SLI has no value, the SLI's own selector matches nothing (e.g. a backend whose route
 * labels are not `/api/...`), and its gate alert is blind.
 */
export const NOT_SLI_EXEMPT = notRe(
  anyOf(['/healthz', '/readyz', '/metrics', ...WEB_CLIENT_ROUTES, WEB_CLIENT_BUNDLE]),
);

export const http5xxRatio = ratioRule(group, 'http-5xx-ratio', {
  record: 'job:http_requests_5xx:ratio_rate5m',
  errors: metrics.httpRequests.select({ ...APP_SCOPE, route: API_ROUTES, status: re('5..') }),
  total: metrics.httpRequests.select({ ...APP_SCOPE, route: API_ROUTES }),
  window: '5m',
  examples: {
    error: { method: 'GET', route: '/api/posts', status: '503' },
    ok: { method: 'GET', route: '/api/posts', status: '200' },
    excluded: [{ method: 'GET', route: '/readyz', status: '503' }],
  },
  traffic: metrics.httpRequests.select({ ...APP_SCOPE, route: NOT_SLI_EXEMPT }),
});

export const httpLatencyP95 = quantileRule(group, 'http-latency-p95', {
  record: 'job:http_request_duration_seconds:p95_rate10m',
  histogram: metrics.httpRequestDuration,
  quantile: 0.95,
  window: '10m',
  matchers: { ...APP_SCOPE, route: API_ROUTES },
  example: { method: 'GET', route: '/api/posts' },
  excluded: [{ method: 'GET', route: '/readyz' }],
  traffic: metrics.httpRequestDuration.count.select({ ...APP_SCOPE, route: NOT_SLI_EXEMPT }),
});

export const authFailureRatio = ratioRule(group, 'auth-failure-ratio', {
  record: 'job:auth_operations_failures:ratio_rate5m',
  errors: metrics.authOperations.select({ ...APP_SCOPE, outcome: 'failure' }),
  // Throttled logins were never checked: neither failures nor attempts, or a flood of them would
  // dilute the real failures into a healthy-looking ratio.
  total: metrics.authOperations.select({ ...APP_SCOPE, outcome: ne('throttled') }),
  window: '5m',
  examples: {
    error: { operation: 'login', outcome: 'failure' },
    ok: { operation: 'login', outcome: 'success' },
    excluded: [{ operation: 'login', outcome: 'throttled' }],
  },
});
