// The client-side measures each scenario feeds (the SLOs' `load.metric`s). A run scoped to some
// scenarios judges only the SLOs its scenarios feed; the load-smoke tests prove every claim here by
// running each scenario alone and finding samples of each measure it names.
import type { ScenarioName } from './profile.js';

/** Every HTTP call feeds these; every scenario signs its users up, so auth operations too. */
const HTTP = ['http_5xx', 'http_req_duration', 'auth_failures'] as const;

export const SCENARIO_MEASURES: Readonly<Record<ScenarioName, readonly string[]>> = {
  auth: HTTP,
  posts: HTTP,
  messaging: [...HTTP, 'chat_delivery'],
  notifications: [...HTTP, 'notification_delivery'],
  games: HTTP,
};

export const measuresOf = (scenarios: readonly ScenarioName[]): Set<string> =>
  new Set(scenarios.flatMap((s) => SCENARIO_MEASURES[s]));
