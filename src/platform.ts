// The platform's construct tree. Definition modules attach their constructs to `platform`;
// `src/definitions.ts` imports them all so that synthesis sees the whole tree.
import { App, Stack } from './constructs/construct.js';

export const app = new App('stressgate');
export const platform = new Stack(app, 'platform');

/** The platform API's scrape job: what every dashboard's `job` variable selects by default. */
export const APP_JOB = 'api';

/** How often Prometheus scrapes every job (prometheus.yml): alerts on scrapes (how long a target may be missing) derive from it. */
export const SCRAPE_INTERVAL = '15s';
