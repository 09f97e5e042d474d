// The platform's construct tree. Definition modules attach their constructs to `platform`;
// `src/definitions.ts` imports them all so that synthesis sees the whole tree.
import { App, Stack } from './constructs/construct.js';

export const app = new App('stressgate');
export const platform = new Stack(app, 'platform');

/** The platform API's scrape job: what every dashboard's `job` variable selects by default. */
export const APP_JOB = 'api';

/**
 * The matchers every rule selector of the app's own series carries: on a shared Prometheus (a
 * kube-prometheus-stack cluster) other services export `up`, `http_requests_total`, ... as well, and
 * their outages are not this gate's to judge. The cluster's ServiceMonitor must give the API this job
 * (docs/kubernetes.md).
 */
export const APP_SCOPE = { job: APP_JOB } as const;

/** How often Prometheus scrapes every job (prometheus.yml): alerts on scrapes (how long a target may be missing) derive from it. */
export const SCRAPE_INTERVAL = '15s';

/**
 * The web client's page routes and bundle (docs/ui-contract.md) as the API labels them: served by the
 * same process, but not the API, so no API SLI counts them.
 */
export const WEB_CLIENT_ROUTES = [
  '/',
  '/login',
  '/feed',
  '/posts/:id',
  '/notifications',
  '/conversations',
  '/conversations/:id',
  '/games',
  '/games/:id',
] as const;
export const WEB_CLIENT_BUNDLE = '/assets/app.js';

/**
 * The Grafanas the runbooks link dashboards on (`<url>/d/<uid>`): the platform VM's (through the SSH
 * tunnel) and the cluster's (port-forwarded), as docs/runbooks/alerts.md "Where to look" opens them.
 * Another Grafana is this setting, or for one synth STRESSGATE_GRAFANA_URL / STRESSGATE_CLUSTER_GRAFANA_URL.
 */
export const GRAFANA_URLS = { vm: 'http://127.0.0.1:3000', cluster: 'http://127.0.0.1:3001' } as const;
export type GrafanaUrls = { readonly [T in keyof typeof GRAFANA_URLS]: string };
