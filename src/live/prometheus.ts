// A real Prometheus for live checks: a config derived from the committed one (short intervals, the
// target under test, chosen rule files), the `prometheus` binary started on 127.0.0.1 with its TSDB in
// a temp dir, and a small client for the HTTP API (instant queries, rules, ALERTS).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';
import { derivePrometheusConfig } from '../../scripts/stack/prometheus-config.js';
import { captureLog, freePort, stopChild, track } from '../kernel/process.js';

export interface LiveConfigOptions {
  /** host:port Prometheus scrapes as the `api` job. */
  readonly target: string;
  readonly scheme?: 'http' | 'https';
  /** host:port of this Prometheus itself (the `prometheus` job). */
  readonly self: string;
  /** scrape_interval and evaluation_interval, e.g. `1s`. */
  readonly interval: string;
  /** Rule files (absolute, or relative to the source config's directory). */
  readonly ruleFiles?: readonly string[];
}

/** The committed prometheus.yml for a live check: 1 s intervals, the target under test, chosen rules, no Alertmanager. */
export function liveConfig(source: string, sourceDir: string, opts: LiveConfigOptions): string {
  const doc = derivePrometheusConfig(source, sourceDir, {
    apiTarget: opts.target,
    ...(opts.scheme ? { apiScheme: opts.scheme } : {}),
    selfTarget: opts.self,
    interval: opts.interval,
    ...(opts.ruleFiles ? { ruleFiles: opts.ruleFiles } : {}),
  });
  return `# Derived by src/live/prometheus.ts for a live check; not the production config.\n${stringify(doc)}`;
}

import { PromClient } from '../kernel/prometheus-client.js';
export interface RunningPrometheus {
  readonly url: string;
  readonly port: number;
  readonly client: PromClient;
  readonly dir: string;
  /** The last lines Prometheus logged. */
  log(): string;
  stop(): Promise<void>;
}

export interface StartPrometheusOptions {
  /** A complete config text, or a function of the port Prometheus will listen on. */
  readonly config: string | ((port: number) => string);
  readonly binary?: string;
  readonly timeoutMs?: number;
  /** Accept k6's remote write on /api/v1/write (Prometheus 2.42's --web.enable-remote-write-receiver). */
  readonly remoteWriteReceiver?: boolean;
  /** Ingest native histograms (k6 writes its trends as such whenever it remote-writes: src/gate/k6-driver/run.ts). */
  readonly nativeHistograms?: boolean;
}

/** Starts `prometheus` on 127.0.0.1:<free port> with a temp TSDB; resolves once /-/ready answers. */
export async function startPrometheus(opts: StartPrometheusOptions): Promise<RunningPrometheus> {
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'stressgate-prom-'));
  const configFile = join(dir, 'prometheus.yml');
  await writeFile(configFile, typeof opts.config === 'function' ? opts.config(port) : opts.config);
  const lines: string[] = [];
  const child: ChildProcess = spawn(
    opts.binary ?? process.env.PROMETHEUS_BIN ?? 'prometheus',
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--web.enable-lifecycle',
      '--log.level=warn',
      ...(opts.remoteWriteReceiver ? ['--web.enable-remote-write-receiver'] : []),
      ...(opts.nativeHistograms ? ['--enable-feature=native-histograms'] : []),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  captureLog(child, lines);
  track(child, 'SIGKILL');
  const spawnError = new Promise<Error>((r) => child.once('error', (e) => r(e)));
  const url = `http://127.0.0.1:${port}`;
  const client = new PromClient(url);
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  const stop = async () => {
    await stopChild(child, 'SIGTERM', 5_000);
    await rm(dir, { recursive: true, force: true });
  };
  for (let i = 0; i < 1_000; i++) {
    const err = await Promise.race([spawnError, new Promise<null>((r) => setTimeout(() => r(null), 100))]);
    if (err) {
      await rm(dir, { recursive: true, force: true });
      throw new Error(
        `prometheus could not start (${err.message}); install Debian's \`prometheus\` (scripts/install-system-deps.sh promtool)`,
      );
    }
    if (child.exitCode !== null) {
      await rm(dir, { recursive: true, force: true });
      throw new Error(`prometheus exited with ${child.exitCode}: ${lines.join('').slice(-2000)}`);
    }
    if (await client.ready()) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(
        `prometheus not ready on ${url} within ${opts.timeoutMs ?? 30_000} ms: ${lines.join('').slice(-2000)}`,
      );
    }
  }
  return { url, port, client, dir, log: () => lines.join(''), stop };
}

/** Reads the committed config and derives the live one (see `liveConfig`). */
export async function committedLiveConfig(
  root: string,
  opts: Omit<LiveConfigOptions, 'self'> & { self?: string },
  promPort: number,
): Promise<string> {
  const src = join(root, 'infra/prometheus/prometheus.yml');
  const text = await readFile(src, 'utf8');
  return liveConfig(text, dirname(src), { ...opts, self: opts.self ?? `127.0.0.1:${promPort}` });
}

/** Polls `fn` until truthy, at most `timeoutMs` (and 10,000 attempts). */
export async function waitFor<T>(
  fn: () => Promise<T | undefined | null | false>,
  timeoutMs: number,
  what: string,
  everyMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (let i = 0; i < 10_000; i++) {
    try {
      const v = await fn();
      if (v) return v;
      last = v;
    } catch (err) {
      last = err;
    }
    if (Date.now() >= deadline) break;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(
    `${what} not reached within ${timeoutMs} ms (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`,
  );
}
