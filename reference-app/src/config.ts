// Configuration from the environment, validated once at start; a bad value names the variable.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';

const int = (def: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce.number().int().min(min).max(max).default(def);

const schema = z.object({
  APP_HOST: z.string().min(1).default('127.0.0.1'),
  APP_PORT: int(18080, 0, 65535),
  DATABASE_URL: z.string().url().default('postgres://postgres@127.0.0.1:15432/stressgate'),
  REDIS_URL: z.string().url().default('redis://127.0.0.1:16379'),
  /** HMAC key for access tokens; a random per-process key when unset (tokens die with the process). */
  TOKEN_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  ACCESS_TOKEN_TTL_S: int(900, 1, 86_400),
  REFRESH_TOKEN_TTL_S: int(30 * 86_400, 60, 365 * 86_400),
  WS_TICKET_TTL_S: int(30, 1, 600),
  /** Bytes a socket may have queued unsent before new messages to it are dropped. */
  WS_SEND_BUFFER_BYTES: int(1 << 20, 1024, 64 << 20),
  /** Consecutive drops after which the slow socket is closed (reason backpressure). */
  WS_MAX_CONSECUTIVE_DROPS: int(100, 1, 1_000_000),
  WS_PING_INTERVAL_MS: int(30_000, 100, 600_000),
  BODY_LIMIT_BYTES: int(64 * 1024, 1024, 16 << 20),
  /** scrypt N (CPU/memory cost, a power of two). */
  SCRYPT_COST: int(16_384, 2, 1 << 20).refine((n) => (n & (n - 1)) === 0, 'must be a power of two'),
  PG_POOL_MAX: int(20, 1, 500),
  DEPENDENCY_TIMEOUT_MS: int(2_000, 50, 60_000),
  STARTUP_TIMEOUT_MS: int(30_000, 0, 600_000),
  SHUTDOWN_TIMEOUT_MS: int(10_000, 100, 600_000),
  READINESS_INTERVAL_MS: int(5_000, 100, 600_000),
  /** Rooms nobody acted in for this long are closed by the reaper (no orphaned open rooms). */
  GAME_IDLE_TIMEOUT_S: int(600, 1, 86_400),
  /** After a restart or a dependency outage, rooms nobody acts in within this long are closed (./game-resume.ts). */
  GAME_RESUME_TIMEOUT_S: int(20, 1, 86_400),
  /** Login throttling (reference-app/src/throttle.ts): failed logins counted per window of this length. */
  LOGIN_THROTTLE_WINDOW_S: int(900, 1, 86_400),
  /** Failed logins on one username per window before its logins get 429 (a guesser of one password). */
  LOGIN_MAX_FAILURES_PER_ACCOUNT: int(10, 1, 1_000_000),
  /** Failed logins from one client IP per window, any username (a sprayer). High: load runs share 127.0.0.1. */
  LOGIN_MAX_FAILURES_PER_IP: int(10_000, 1, 1_000_000_000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = z.infer<typeof schema> & { TOKEN_SECRET: string; tokenSecretGenerated: boolean };

export class ConfigError extends Error {}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const picked: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const v = env[key];
    if (v !== undefined && v !== '') picked[key] = v;
  }
  const parsed = schema.safeParse(picked);
  if (!parsed.success) {
    const msgs = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration: ${msgs.join('; ')}`);
  }
  const secret = parsed.data.TOKEN_SECRET;
  return { ...parsed.data, TOKEN_SECRET: secret ?? randomBytes(32).toString('hex'), tokenSecretGenerated: !secret };
}
