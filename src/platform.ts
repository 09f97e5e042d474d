// The platform's construct tree. Definition modules attach their constructs to `platform`;
// `src/definitions.ts` imports them all so that synthesis sees the whole tree.
import { App, Stack } from './constructs/construct.js';

export const app = new App('stressgate');
export const platform = new Stack(app, 'platform');

/** The platform API's scrape job: what every dashboard's `job` variable selects by default. */
export const APP_JOB = 'api';
