// The app's JSON logger: pino to stdout, written asynchronously. A synchronous write per log line
// is a syscall per request on the access log's hot path; async, lines that arrive while a write is
// in flight go out together in the next one. pino flushes what is pending synchronously on exit.
import { pino, type Logger } from 'pino';
import type { Config } from './config.js';

export function createLogger(level: Config['LOG_LEVEL']): Logger {
  return pino(
    { level, base: { service: 'stressgate-reference-app' }, timestamp: pino.stdTimeFunctions.isoTime },
    pino.destination({ dest: process.stdout.fd, sync: false }),
  );
}
