// The stack a live check runs on, when none is given: private PostgreSQL and Redis (child processes on
// free ports, src/kernel/services.ts), the reference app in this process on a free port, and a real
// Prometheus scraping it every second with the committed rules. Everything on 127.0.0.1, everything
// stopped by `stop()` (and by process exit, for the child processes).
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { createApp, type App } from '../../reference-app/src/app.js';
import { loadConfig } from '../../reference-app/src/config.js';
import { startDependencies, type Service } from '../kernel/services.js';
import { committedLiveConfig, startPrometheus, waitFor, type RunningPrometheus } from './prometheus.js';

export interface AppHandle {
  readonly app: App;
  readonly base: string;
  readonly port: number;
  stop(): Promise<void>;
}

export interface StackOptions {
  readonly root: string;
  /** Extra environment for the app (e.g. `READINESS_INTERVAL_MS`). */
  readonly appEnv?: Record<string, string>;
  /** Enable the fault-injection control (reference-app/src/faults.ts). */
  readonly faults?: boolean;
  /** Rule files Prometheus loads; default every rule file the committed prometheus.yml lists. */
  readonly ruleFiles?: readonly string[];
  readonly interval?: string;
}

export interface LocalStack {
  readonly pg: Service;
  readonly redis: Service;
  readonly app: AppHandle;
  readonly prometheus: RunningPrometheus;
  /** Starts the app again on the same port (after `app.stop()`), e.g. for an app-restart drill. */
  restartApp(): Promise<AppHandle>;
  stop(): Promise<void>;
}

export function committedRuleFiles(root: string): string[] {
  return [join(root, 'infra/prometheus/recording-rules.yml'), join(root, 'infra/prometheus/alerts.yml')];
}

/** Every rule file the committed prometheus.yml loads (the SLO burn-rate files too), absolute. */
export async function allCommittedRuleFiles(root: string): Promise<string[]> {
  const dir = join(root, 'infra/prometheus');
  const doc = parse(await readFile(join(dir, 'prometheus.yml'), 'utf8')) as { rule_files?: string[] } | null;
  return (doc?.rule_files ?? []).map((f) => resolve(dir, f));
}

/** The reference app in-process against the given dependencies; `port` 0 picks a free one. */
export async function startInProcessApp(
  pgUrl: string,
  redisUrl: string,
  opts: { env?: Record<string, string>; faults?: boolean; port?: number } = {},
): Promise<AppHandle> {
  const config = loadConfig({
    DATABASE_URL: pgUrl,
    REDIS_URL: redisUrl,
    APP_PORT: String(opts.port ?? 0),
    LOG_LEVEL: process.env.LIVE_LOG_LEVEL ?? 'silent',
    SCRYPT_COST: '1024',
    TOKEN_SECRET: 'live-verify-secret-live-verify-secret-0123',
    READINESS_INTERVAL_MS: '500',
    DEPENDENCY_TIMEOUT_MS: '1000',
    ...opts.env,
  });
  const app = createApp(config, { strictMetrics: true, faults: opts.faults ?? false });
  const port = await app.start();
  let stopped = false;
  return {
    app,
    port,
    base: `http://127.0.0.1:${port}`,
    stop: async () => {
      if (!stopped) ((stopped = true), await app.stop());
    },
  };
}

export async function startLocalStack(opts: StackOptions): Promise<LocalStack> {
  const deps = await startDependencies();
  let app: AppHandle | undefined;
  let prometheus: RunningPrometheus | undefined;
  try {
    app = await startInProcessApp(deps.pg.url, deps.redis.url, { env: opts.appEnv, faults: opts.faults });
    const target = `127.0.0.1:${app.port}`;
    prometheus = await startPrometheus({
      config: await committedLiveConfig(
        opts.root,
        {
          target,
          interval: opts.interval ?? '1s',
          ruleFiles: opts.ruleFiles ?? (await allCommittedRuleFiles(opts.root)),
        },
        0,
      ).then((text) => (port: number) => text.replace(/127\.0\.0\.1:0\b/g, `127.0.0.1:${port}`)),
      remoteWriteReceiver: true,
      nativeHistograms: true,
    });
    const prom = prometheus;
    await waitFor(
      async () => (await prom.client.targets()).some((t) => t.labels.job === 'api' && t.health === 'up'),
      20_000,
      `Prometheus scraping the app on ${target}`,
    );
  } catch (err) {
    await app?.stop().catch(() => {});
    await prometheus?.stop().catch(() => {});
    await deps.dispose();
    throw err;
  }
  const stack = {
    pg: deps.pg,
    redis: deps.redis,
    app,
    prometheus,
    async restartApp() {
      const fresh = await startInProcessApp(deps.pg.url, deps.redis.url, {
        env: opts.appEnv,
        faults: opts.faults,
        port: stack.app.port,
      });
      stack.app = fresh;
      return fresh;
    },
    async stop() {
      await stack.app.stop().catch(() => {});
      await prometheus!.stop().catch(() => {});
      await deps.dispose();
    },
  };
  return stack;
}
