// The platform's metric catalog: the single source of truth for every series the dashboards,
// rules, load checks and the reference target use.
import { counter, gauge, histogram, nativeHistogram } from './types.js';

// SLO thresholds (300 ms API p95, 500 ms delivery p95) sit exactly on bucket boundaries so that
// histogram_quantile interpolates within a bucket that the threshold closes, not across it.
const API_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2.5, 5, 10] as const;
const DELIVERY_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] as const;
const DEPENDENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1] as const;

const METHOD = { values: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], help: 'HTTP method' } as const;
const ROUTE = { pattern: '^/[A-Za-z0-9_/:.-]*$', help: 'route template, never the raw path (bounded cardinality)' };
const STATUS = { pattern: '^[1-5][0-9][0-9]$', help: 'HTTP status code' };
const CHANNEL = { values: ['chat', 'notifications', 'games'], help: 'WebSocket endpoint' } as const;
const CONVERSATION = { values: ['dm', 'group'], help: 'conversation kind' } as const;
const NOTIFICATION_TYPE = {
  values: ['comment', 'like', 'message', 'game_invite', 'game_turn'],
  help: 'what created the notification',
} as const;
const GAME_ACTION = { values: ['create', 'join', 'move', 'leave', 'close'], help: 'game room action' } as const;
const DB_OPERATION = { values: ['select', 'insert', 'update', 'delete', 'transaction'], help: 'SQL statement kind' };

export const httpRequests = counter<'method' | 'route' | 'status'>({
  name: 'http_requests_total',
  help: 'HTTP requests completed, by route template, method and status code.',
  unit: 'count',
  labels: { method: METHOD, route: ROUTE, status: STATUS },
  signals: ['http-traffic'],
});

export const httpRequestDuration = histogram<'method' | 'route'>({
  name: 'http_request_duration_seconds',
  help: 'HTTP request latency from first byte in to last byte out, by route template and method.',
  unit: 'seconds',
  labels: { method: METHOD, route: ROUTE },
  buckets: API_BUCKETS,
  signals: ['http-latency'],
});

export const authOperations = counter<'operation' | 'outcome'>({
  name: 'auth_operations_total',
  help: 'Authentication operations by operation and outcome; failures include wrong passwords and bad tokens, throttled logins are refused unchecked.',
  unit: 'count',
  labels: {
    operation: { values: ['signup', 'login', 'refresh', 'logout'], help: 'auth operation' },
    outcome: {
      values: ['success', 'failure', 'throttled'],
      help: 'succeeded, failed, or refused by login throttling (429) without being checked',
    },
  },
  signals: ['auth'],
});

export const dbQueryDuration = histogram<'operation'>({
  name: 'db_query_duration_seconds',
  help: 'PostgreSQL query latency by statement kind, measured in the client.',
  unit: 'seconds',
  labels: { operation: DB_OPERATION },
  buckets: DEPENDENCY_BUCKETS,
  signals: ['db'],
});

export const dbQueryErrors = counter<'operation'>({
  name: 'db_query_errors_total',
  help: 'PostgreSQL queries that failed (connection loss, timeouts, constraint errors), by statement kind.',
  unit: 'count',
  labels: { operation: DB_OPERATION },
  signals: ['db'],
});

export const redisCommandDuration = histogram<'command'>({
  name: 'redis_command_duration_seconds',
  help: 'Redis command latency by command, measured in the client.',
  unit: 'seconds',
  labels: { command: { pattern: '^[a-z]+$', help: 'lower-case Redis command name' } },
  buckets: DEPENDENCY_BUCKETS,
  signals: ['redis'],
});

export const redisCommandErrors = counter<'command'>({
  name: 'redis_command_errors_total',
  help: 'Redis commands that failed or timed out, by command.',
  unit: 'count',
  labels: { command: { pattern: '^[a-z]+$', help: 'lower-case Redis command name' } },
  signals: ['redis'],
});

export const dependencyUp = gauge<'dependency'>({
  name: 'readiness_dependency_up',
  help: 'Whether the readiness probe last found the dependency reachable (1) or not (0).',
  unit: 'count',
  labels: { dependency: { values: ['postgres', 'redis'], help: 'dependency checked by /readyz' } },
  signals: ['readiness'],
});

export const wsConnectionsActive = gauge<'channel'>({
  name: 'ws_connections_active',
  help: 'Open WebSocket connections by channel.',
  unit: 'count',
  labels: { channel: CHANNEL },
  signals: ['ws-connections'],
});

export const wsDisconnects = counter<'channel' | 'reason'>({
  name: 'ws_disconnects_total',
  help: 'WebSocket connections closed, by channel and reason.',
  unit: 'count',
  labels: {
    channel: CHANNEL,
    reason: {
      values: ['normal', 'going_away', 'backpressure', 'error', 'ping_timeout', 'dependency'],
      help: 'normal = client close, going_away = server drain, the rest are abnormal',
    },
  },
  signals: ['ws-disconnects'],
});

export const wsMessages = counter<'channel' | 'direction'>({
  name: 'ws_messages_total',
  help: 'WebSocket frames carrying application messages, by channel and direction.',
  unit: 'count',
  labels: { channel: CHANNEL, direction: { values: ['in', 'out'], help: 'in = from client' } },
  signals: ['ws-throughput'],
});

export const wsBackpressureDrops = counter<'channel'>({
  name: 'ws_backpressure_drops_total',
  help: 'Outbound WebSocket messages dropped because a slow client exceeded its send buffer.',
  unit: 'count',
  labels: { channel: CHANNEL },
  signals: ['ws-backpressure'],
});

export const chatMessagesSent = counter<'conversation_type'>({
  name: 'chat_messages_sent_total',
  help: 'Chat messages accepted and persisted, by conversation kind.',
  unit: 'count',
  labels: { conversation_type: CONVERSATION },
  signals: ['chat'],
});

export const chatDeliveryDuration = histogram<'conversation_type'>({
  name: 'chat_message_delivery_seconds',
  help: 'Time from a chat message being accepted to its write to each recipient socket.',
  unit: 'seconds',
  labels: { conversation_type: CONVERSATION },
  buckets: DELIVERY_BUCKETS,
  signals: ['chat'],
});

export const notificationEvents = counter<'type'>({
  name: 'notification_events_total',
  help: 'Notifications created, by what created them.',
  unit: 'count',
  labels: { type: NOTIFICATION_TYPE },
  signals: ['notifications'],
});

export const notificationDeliveryDuration = histogram<'type'>({
  name: 'notification_delivery_seconds',
  help: 'Time from a notification being created to its write to the recipient socket.',
  unit: 'seconds',
  labels: { type: NOTIFICATION_TYPE },
  buckets: DELIVERY_BUCKETS,
  signals: ['notifications'],
});

export const gameActions = counter<'action' | 'outcome'>({
  name: 'game_actions_total',
  help: 'Game room actions by action and outcome; rejected = failed server-side validation.',
  unit: 'count',
  labels: { action: GAME_ACTION, outcome: { values: ['success', 'rejected'], help: 'validation outcome' } },
  signals: ['games'],
});

export const gameActionDuration = histogram<'action'>({
  name: 'game_action_duration_seconds',
  help: 'Game room action latency from request to committed state, by action.',
  unit: 'seconds',
  labels: { action: GAME_ACTION },
  buckets: API_BUCKETS,
  signals: ['games'],
});

export const gameRoomsActive = gauge({
  name: 'game_rooms_active',
  help: 'Game rooms currently open (created and not closed).',
  unit: 'count',
  labels: {},
  signals: ['games'],
});

// Node.js runtime metrics from prom-client's default collectors, for soak stability.
export const processResidentMemory = gauge({
  name: 'process_resident_memory_bytes',
  help: 'Resident memory size of the service process in bytes.',
  unit: 'bytes',
  labels: {},
  signals: ['process'],
  origin: 'runtime',
});

export const processCpu = counter({
  name: 'process_cpu_seconds_total',
  help: 'Total user and system CPU time spent by the service process, in seconds.',
  unit: 'seconds',
  labels: {},
  signals: ['process'],
  origin: 'runtime',
});

export const eventLoopLagP99 = gauge({
  name: 'nodejs_eventloop_lag_p99_seconds',
  help: 'The 99th percentile of the Node.js event loop lag, in seconds.',
  unit: 'seconds',
  labels: {},
  signals: ['process'],
  origin: 'runtime',
});

export const heapUsed = gauge<'space'>({
  name: 'nodejs_heap_space_size_used_bytes',
  help: 'Used size of each V8 heap space, in bytes.',
  unit: 'bytes',
  labels: { space: { pattern: '^[a-z_]+$', help: 'V8 heap space' } },
  signals: ['process'],
  origin: 'runtime',
});

// Series Prometheus itself writes.
export const up = gauge({
  name: 'up',
  help: 'Whether the last scrape of the target succeeded (1) or failed (0).',
  unit: 'count',
  labels: {},
  signals: ['scrape'],
  origin: 'prometheus',
});

export const alerts = gauge<'alertname' | 'alertstate' | 'severity' | 'gate'>({
  name: 'ALERTS',
  help: 'Pending and firing alerts, one series per alert instance, written by the rule evaluator.',
  unit: 'count',
  labels: {
    alertname: { pattern: '^[A-Z][A-Za-z0-9]*$', help: 'alert name' },
    alertstate: { values: ['pending', 'firing'], help: 'alert state' },
    severity: { values: ['critical', 'warning', 'info', 'none'], help: 'alert severity' },
    gate: { values: ['release'], help: 'set on alerts that block a release' },
  },
  signals: ['alerting'],
  origin: 'prometheus',
});

export const alertsForState = gauge<'alertname' | 'severity' | 'gate'>({
  name: 'ALERTS_FOR_STATE',
  help: 'When each pending or firing alert became active (unix seconds), written by the rule evaluator; the release gate table shows it as "since".',
  unit: 'seconds',
  labels: {
    alertname: { pattern: '^[A-Z][A-Za-z0-9]*$', help: 'alert name' },
    severity: { values: ['critical', 'warning', 'info'], help: 'alert severity' },
    gate: { values: ['release'], help: 'set on alerts that block a release' },
  },
  signals: ['alerting'],
  origin: 'prometheus',
});

export const ruleEvaluationFailures = counter<'rule_group'>({
  name: 'prometheus_rule_evaluation_failures_total',
  help: 'Rule evaluations that failed, per rule group: a failing gate rule is a blind gate.',
  unit: 'count',
  labels: { rule_group: { pattern: '^.+$', help: 'rule file and group name' } },
  signals: ['alerting'],
  origin: 'prometheus',
});

// Series k6 writes by remote write during a load run (K6_PROMETHEUS_RW_SERVER_URL), trends as native
// histograms (K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM: src/gate/k6-driver/run.ts, src/synth/k6-testrun.ts).
// A run is named by testrun_name: k6-operator tags a TestRun's samples with it, stressgate load tags
// its runs with it too (and testid, what `gate --run testid=…` selects); instance_id is the runner
// (k6-operator) or the instance of `--instances N`.
const K6_SCENARIO = { pattern: '^[a-z]+$', help: 'load scenario (auth, posts, messaging, notifications, games)' };
const K6_RUN = {
  testid: { pattern: '^[a-z0-9-]+$', help: 'the run, as stressgate load tags it (not set by k6-operator)' },
  testrun_name: {
    pattern: '^[a-z0-9-]+$',
    help: 'the run: the TestRun name (k6-operator), or the testid (stressgate load)',
  },
  instance_id: {
    pattern: '^[0-9]+$',
    help: 'the k6 runner or instance within the run (absent for one local instance)',
  },
} as const;
/** The label naming one load run on every k6 series (k6-operator's and stressgate load's): what a dashboard picks runs by. */
export const K6_RUN_LABEL = 'testrun_name' satisfies keyof typeof K6_RUN;
const K6_REQUEST = {
  scenario: K6_SCENARIO,
  ...K6_RUN,
  method: METHOD,
  name: { pattern: '^/[A-Za-z0-9_/:.-]*$', help: 'request name: the route template the flow gives' },
  status: { pattern: '^[0-9]{1,3}$', help: 'HTTP status code (0: no response)' },
  expected_response: { values: ['true', 'false'], help: 'whether the status was expected (2xx-4xx)' },
} as const;
type K6Run = keyof typeof K6_RUN;

export const k6Vus = gauge<K6Run>({
  name: 'k6_vus',
  help: 'Virtual users k6 is running.',
  unit: 'count',
  labels: K6_RUN,
  signals: ['load-generator'],
  origin: 'k6',
});

export const k6HttpRequests = counter<keyof typeof K6_REQUEST>({
  name: 'k6_http_reqs_total',
  help: 'HTTP requests k6 sent, by scenario, request name, method and status.',
  unit: 'count',
  labels: K6_REQUEST,
  signals: ['load-generator'],
  origin: 'k6',
});

export const k6HttpDuration = nativeHistogram<keyof typeof K6_REQUEST>({
  name: 'k6_http_req_duration_seconds',
  help: 'HTTP request duration as k6 measured it, a native histogram (cumulative since the instance started), in seconds.',
  unit: 'seconds',
  labels: K6_REQUEST,
  signals: ['load-generator'],
  origin: 'k6',
});

export const k6Iterations = counter<'scenario' | K6Run>({
  name: 'k6_iterations_total',
  help: 'Scenario iterations k6 completed (including those whose flow threw).',
  unit: 'count',
  labels: { scenario: K6_SCENARIO, ...K6_RUN },
  signals: ['load-generator'],
  origin: 'k6',
});

export const k6IterationErrors = counter<'scenario' | K6Run>({
  name: 'k6_iteration_errors_total',
  help: 'Iterations whose flow threw (the gate requires none); 0 is written on every clean iteration.',
  unit: 'count',
  labels: { scenario: K6_SCENARIO, ...K6_RUN },
  signals: ['load-generator'],
  origin: 'k6',
});

export const k6Checks = gauge<'check' | 'scenario' | K6Run>({
  name: 'k6_checks_rate',
  help: 'Share of k6 checks that passed, per check and scenario, per flush interval.',
  unit: 'ratio',
  labels: { check: { pattern: '^.+$', help: 'check name' }, scenario: K6_SCENARIO, ...K6_RUN },
  signals: ['load-generator'],
  origin: 'k6',
});
