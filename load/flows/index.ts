// The scenario → flow table both runners use. (It stays free of the catalog so the k6 bundle
// carries no validation library: see signals.ts.)
import type { ScenarioName } from '../../src/load-contract/profile.js';
import type { Flow } from '../lib/client.js';
import { authFlow } from './auth.js';
import { gamesFlow } from './games.js';
import { messagingFlow } from './messaging.js';
import { notificationsFlow } from './notifications.js';
import { postsFlow } from './posts.js';

export const flows: Readonly<Record<ScenarioName, Flow>> = {
  auth: authFlow,
  posts: postsFlow,
  messaging: messagingFlow,
  notifications: notificationsFlow,
  games: gamesFlow,
};
