// The catalog signals each scenario exercises on the target: the load-smoke test proves they move,
// and coverage reports list them. Kept apart from the flows so the k6 bundle stays small.
import { metrics, type Metric } from '../../src/catalog/index.js';
import type { ScenarioName } from '../../src/load-contract/profile.js';

/** Series each scenario must move on the target: counters and histograms that grow when it runs. */
export const SCENARIO_SIGNALS: Readonly<Record<ScenarioName, readonly Metric[]>> = {
  auth: [metrics.authOperations, metrics.httpRequests, metrics.httpRequestDuration, metrics.dbQueryDuration],
  posts: [metrics.httpRequests, metrics.httpRequestDuration, metrics.dbQueryDuration],
  messaging: [
    metrics.chatMessagesSent,
    metrics.chatDeliveryDuration,
    metrics.wsMessages,
    metrics.wsDisconnects,
    metrics.redisCommandDuration,
  ],
  notifications: [
    metrics.notificationEvents,
    metrics.notificationDeliveryDuration,
    metrics.wsMessages,
    metrics.wsDisconnects,
  ],
  games: [metrics.gameActions, metrics.gameActionDuration, metrics.wsMessages, metrics.wsDisconnects],
};
