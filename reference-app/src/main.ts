// Entry point: `tsx reference-app/src/main.ts`. Config from the environment (see docs/reference-app.md).
import { createApp } from './app.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { createLogger } from './log.js';

const t0 = performance.now();
let config: Config;
try {
  config = loadConfig();
} catch (err) {
  process.stderr.write(`${err instanceof ConfigError ? err.message : String(err)}\n`);
  process.exit(2);
}
const log = createLogger(config.LOG_LEVEL);
if (config.tokenSecretGenerated) log.warn('TOKEN_SECRET unset: using a random key, tokens do not survive a restart');
const app = createApp(config, { logger: log });

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'draining');
  const timer = setTimeout(() => {
    log.error({ timeoutMs: config.SHUTDOWN_TIMEOUT_MS }, 'drain timed out; exiting');
    process.exit(1);
  }, config.SHUTDOWN_TIMEOUT_MS);
  timer.unref();
  try {
    await app.stop();
    log.info('stopped');
    process.exit(0);
  } catch (err) {
    log.error({ err }, 'error while draining');
    process.exit(1);
  }
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('unhandledRejection', (err) => log.error({ err }, 'unhandled rejection'));

try {
  const port = await app.start();
  log.info({ host: config.APP_HOST, port, startupMs: Math.round(performance.now() - t0) }, 'listening');
} catch (err) {
  log.fatal({ err: (err as Error).message }, 'could not start');
  process.exit(1);
}
