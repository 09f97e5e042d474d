// The release gate's SLOs (from the stress-test plan). Each is one threshold that the alerts,
// the release-gate dashboard and the load-test thresholds all read. `load` names the client-side
// metric a load run measures the same objective with: http_5xx and auth_failures are Rate metrics
// the flows record, chat_delivery and notification_delivery are end-to-end Trends (ms).
// `production` is the objective over 30 days that the burn-rate alerts guard (src/slos/burn-rate.ts):
// for a latency SLO, the share of events at or under the threshold (its histogram bucket).
import { Construct } from '../constructs/construct.js';
import { ms, percent } from '../constructs/quantity.js';
import { Slo } from '../constructs/slo.js';
import { platform } from '../platform.js';
import { authFailureRatio, http5xxRatio, httpLatencyP95 } from '../recording-rules/http.js';
import { chatDeliveryP95, notificationDeliveryP95 } from '../recording-rules/realtime.js';

const scope = new Construct(platform, 'slos');

export const slos = {
  http5xxRatio: new Slo(scope, 'http-5xx-ratio', {
    title: 'HTTP 5xx ratio',
    description: 'Share of API requests answered with a 5xx status. Users see failed page loads and lost writes.',
    sli: http5xxRatio,
    threshold: percent(0.5),
    alertFor: '2m',
    load: { metric: 'http_5xx', stat: 'rate' },
    production: { objective: '99.5%', period: '30d' },
  }),
  authFailureRatio: new Slo(scope, 'auth-failure-ratio', {
    title: 'Auth failure ratio',
    description: 'Share of signup/login/refresh/logout operations that fail. Users are logged out or cannot sign in.',
    sli: authFailureRatio,
    threshold: percent(1),
    alertFor: '2m',
    load: { metric: 'auth_failures', stat: 'rate' },
    production: { objective: '99%', period: '30d' },
  }),
  apiLatencyP95: new Slo(scope, 'api-latency-p95', {
    title: 'API p95 latency',
    description: '95th percentile of API request latency across routes. Users feel the app as slow.',
    sli: httpLatencyP95,
    threshold: ms(300),
    alertFor: '5m',
    load: { metric: 'http_req_duration', stat: 'p(95)', scale: 1000 },
    production: { objective: '95%', period: '30d' },
  }),
  chatDeliveryP95: new Slo(scope, 'chat-delivery-p95', {
    title: 'Chat delivery p95',
    description: "95th percentile of the time from a chat message being accepted to reaching the recipients' sockets.",
    sli: chatDeliveryP95,
    threshold: ms(500),
    alertFor: '5m',
    load: { metric: 'chat_delivery', stat: 'p(95)', scale: 1000 },
    production: { objective: '95%', period: '30d' },
  }),
  notificationDeliveryP95: new Slo(scope, 'notification-delivery-p95', {
    title: 'Notification delivery p95',
    description: "95th percentile of the time from a notification being created to reaching the recipient's socket.",
    sli: notificationDeliveryP95,
    threshold: ms(500),
    alertFor: '5m',
    load: { metric: 'notification_delivery', stat: 'p(95)', scale: 1000 },
    production: { objective: '95%', period: '30d' },
  }),
} as const;
