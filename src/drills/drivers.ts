// How a drill reaches the deployment under test: the in-process stack (processes by PID),
// `make stack-up` (scripts/stack/stack.sh, PID files) or the Compose deployment
// (`docker compose stop/start <service>`). The same drill runs on each.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { LocalStack } from '../live/stack.js';

const run = promisify(execFile);
export type ServiceName = 'redis' | 'postgres' | 'app';

/** How a drill reaches the deployment under test. */
export interface Driver {
  readonly name: string;
  /** The app's base URL (loopback, or a host in STRESS_ALLOWED_HOSTS). */
  target(): URL;
  /** PostgreSQL the app writes to, for checking what was persisted. */
  readonly databaseUrl: string;
  /** Stops a service; for the app this is SIGTERM (drain: sockets closed with 1001). */
  stop(service: ServiceName): Promise<void>;
  start(service: ServiceName): Promise<void>;
}

/** The in-process stack of src/live/stack.ts: PostgreSQL and Redis child processes (by PID), the app drained and restarted in-process. */
export function localDriver(stack: LocalStack): Driver {
  return {
    name: 'local',
    target: () => new URL(stack.app.base),
    databaseUrl: stack.pg.url,
    async stop(s) {
      if (s === 'redis') await stack.redis.stop();
      else if (s === 'postgres') await stack.pg.stop();
      else await stack.app.stop(); // the code path main.ts runs on SIGTERM
    },
    async start(s) {
      if (s === 'redis') await stack.redis.start();
      else if (s === 'postgres') await stack.pg.start();
      else await stack.restartApp();
    },
  };
}

/** `make stack-up`'s processes, stopped and started by PID file through scripts/stack/stack.sh. */
export function stackShDriver(root: string, env: NodeJS.ProcessEnv = process.env): Driver {
  const sh = (verb: 'up' | 'down', s: ServiceName) =>
    run('bash', ['scripts/stack/stack.sh', verb, s], { cwd: root, env, timeout: 120_000 }).then(() => undefined);
  return {
    name: 'stack-sh',
    target: () => new URL(`http://127.0.0.1:${env.APP_PORT ?? 18080}`),
    databaseUrl: `postgres://postgres@127.0.0.1:${env.PG_PORT ?? 15432}/stressgate`,
    stop: (s) => sh('down', s),
    start: (s) => sh('up', s),
  };
}

/** The Compose deployment (staging): `docker compose stop|start <service>`; the app service is `api`. */
export function composeDriver(opts: {
  file: string;
  target: string;
  databaseUrl: string;
  services?: Partial<Record<ServiceName, string>>;
}): Driver {
  const svc = (s: ServiceName) => opts.services?.[s] ?? (s === 'app' ? 'api' : s);
  const dc = (verb: string, s: ServiceName) =>
    run('docker', ['compose', '-f', opts.file, verb, ...(verb === 'stop' ? ['--timeout', '15'] : []), svc(s)], {
      timeout: 120_000,
    }).then(() => undefined);
  return {
    name: 'compose',
    target: () => new URL(opts.target),
    databaseUrl: opts.databaseUrl,
    stop: (s) => dc('stop', s),
    start: (s) => dc('start', s),
  };
}
