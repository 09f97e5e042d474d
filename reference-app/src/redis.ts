// Redis: a command connection and a subscriber connection, both instrumented per command. Commands
// fail fast while Redis is away (no offline queue), surfacing as DependencyError (503); ioredis
// reconnects by itself with a capped backoff and re-subscribes.
import { Redis, type Command } from 'ioredis';
import type { Logger } from 'pino';
import { metrics } from '../../src/catalog/index.js';
import { DependencyError } from './errors.js';
import type { AppMetrics } from './metrics.js';
import { withTimeout } from './db.js';

const COMMAND_NAME = /^[a-z]+$/;

function instrument(client: Redis, m: AppMetrics): void {
  const duration = m.histogram(metrics.redisCommandDuration);
  const errors = m.counter(metrics.redisCommandErrors);
  const send = client.sendCommand.bind(client);
  client.sendCommand = (command: Command, stream?: Parameters<Redis['sendCommand']>[1]) => {
    const name = String(command.name).toLowerCase();
    if (COMMAND_NAME.test(name)) {
      const start = process.hrtime.bigint();
      command.promise.then(
        () => duration.observe({ command: name }, Number(process.hrtime.bigint() - start) / 1e9),
        () => {
          duration.observe({ command: name }, Number(process.hrtime.bigint() - start) / 1e9);
          errors.inc({ command: name });
        },
      );
    }
    return send(command, stream);
  };
}

export interface RedisClients {
  readonly cmd: Redis;
  readonly sub: Redis;
  /** Runs a command, mapping any Redis failure to a 503 DependencyError. */
  run<T>(fn: (r: Redis) => Promise<T>): Promise<T>;
  ping(timeoutMs: number): Promise<void>;
  connect(): Promise<void>;
  close(): Promise<void>;
}

export function createRedis(url: string, timeoutMs: number, m: AppMetrics, log: Logger): RedisClients {
  const opts = {
    lazyConnect: true,
    enableOfflineQueue: false,
    // CLIENT SETINFO needs Redis 7.2; Debian 12 ships 7.0, where it only adds errors to the counters.
    disableClientInfo: true,
    maxRetriesPerRequest: 0,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    // Reconnect forever with a capped backoff: the process outlives any Redis outage.
    retryStrategy: (times: number) => Math.min(100 * 2 ** Math.min(times, 5), 2_000),
  };
  const cmd = new Redis(url, { ...opts, connectionName: 'stressgate-cmd' });
  const sub = new Redis(url, { ...opts, connectionName: 'stressgate-sub', commandTimeout: undefined });
  for (const [name, c] of [
    ['cmd', cmd],
    ['sub', sub],
  ] as const) {
    instrument(c, m);
    let down = false;
    c.on('error', (err: Error) => {
      if (!down) log.warn({ client: name, err: err.message }, 'redis connection error');
      down = true;
    });
    c.on('ready', () => {
      if (down) log.info({ client: name }, 'redis connection restored');
      down = false;
    });
  }
  // Zero the commands the app uses, so their series exist before the first call.
  for (const command of ['set', 'getdel', 'publish', 'ping', 'psubscribe']) {
    m.histogram(metrics.redisCommandDuration).zero({ command });
    m.counter(metrics.redisCommandErrors).zero({ command });
  }
  return {
    cmd,
    sub,
    async run<T>(fn: (r: Redis) => Promise<T>): Promise<T> {
      try {
        return await fn(cmd);
      } catch (err) {
        throw new DependencyError('redis', err);
      }
    },
    async ping(ms: number) {
      await withTimeout(cmd.ping(), ms, 'redis ping');
      // The subscriber carries every realtime push: ready means both connections are.
      if (sub.status !== 'ready') throw new Error(`redis subscriber connection is ${sub.status}`);
    },
    /** Starts connecting (ioredis retries by itself) and resolves once both connections are ready. */
    async connect() {
      for (const c of [cmd, sub]) if (c.status === 'wait' || c.status === 'end') c.connect().catch(() => {});
      if (cmd.status !== 'ready' || sub.status !== 'ready') {
        await new Promise<void>((resolve, reject) => {
          const check = () => {
            if (cmd.status === 'ready' && sub.status === 'ready')
              (clearTimeout(timer), cmd.off('ready', check), sub.off('ready', check), resolve());
          };
          const timer = setTimeout(() => {
            cmd.off('ready', check);
            sub.off('ready', check);
            reject(new Error(`redis not ready (command connection ${cmd.status}, subscriber ${sub.status})`));
          }, timeoutMs);
          cmd.on('ready', check);
          sub.on('ready', check);
          check();
        });
      }
    },
    async close() {
      await Promise.allSettled([cmd.quit(), sub.quit()]);
      cmd.disconnect();
      sub.disconnect();
    },
  };
}
