// What the app is built from: config, logger, PostgreSQL, Redis, metrics and the token signer.
// The realtime hub is built from these; route modules get them plus the hub (context.ts).
import type { Logger } from 'pino';
import type { TokenSigner } from './auth.js';
import type { Config } from './config.js';
import type { Database } from './db.js';
import type { AppMetrics } from './metrics.js';
import type { RedisClients } from './redis.js';

export interface Dependencies {
  readonly config: Config;
  readonly log: Logger;
  readonly db: Database;
  readonly redis: RedisClients;
  readonly metrics: AppMetrics;
  readonly tokens: TokenSigner;
}
