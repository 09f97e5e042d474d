// A throw-away Prometheus over recorded data: OpenMetrics → TSDB blocks with the real promtool
// (`tsdb create-blocks-from openmetrics`), then `prometheus` on 127.0.0.1 over that directory, with
// no scrape and no rules, only for its query engine. src/live/prometheus.ts starts a Prometheus on a
// fresh TSDB of its own; this one needs a given data directory, restartable (blocks written while it
// runs are only picked up after a minute, a restart takes well under a second).
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { createGunzip } from 'node:zlib';
import { captureLog, freePort, sleep, stopChild, track } from '../kernel/process.js';
import { PromClient } from '../kernel/prometheus-client.js';

const run = promisify(execFile);

export class ReplayError extends Error {}

/**
 * A metrics file as plain OpenMetrics text at `to` (gunzipped when it ends in .gz), with only the
 * families named in `keep` (all without it): a recording holds every series of the target, a
 * backtest needs those its rules read, and promtool's time grows with the lines it parses.
 */
export async function plainOpenMetrics(file: string, to: string, keep?: ReadonlySet<string>): Promise<string> {
  const input = createReadStream(file);
  const text = file.endsWith('.gz') ? input.pipe(createGunzip()) : input;
  const out = createWriteStream(to);
  const lines = createInterface({ input: text, crlfDelay: Infinity });
  const write = (line: string) =>
    out.write(`${line}\n`) ? undefined : new Promise<void>((r) => out.once('drain', () => r()));
  for await (const line of lines) {
    if (keep && !line.startsWith('#') && !keep.has(/^[^{ ]*/.exec(line)![0])) continue;
    await write(line);
  }
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  return to;
}

/** Writes TSDB blocks for an OpenMetrics file into `dir`. */
export async function createBlocks(omFile: string, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  try {
    await run(
      process.env.PROMTOOL_BIN ?? 'promtool',
      ['tsdb', 'create-blocks-from', 'openmetrics', '-q', omFile, dir],
      {
        maxBuffer: 16 << 20,
      },
    );
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT') throw new ReplayError("promtool is not installed: install Debian's `prometheus` package");
    throw new ReplayError(`promtool could not load ${omFile}: ${(e.stderr || e.message).trim().split('\n').pop()}`);
  }
}

export interface TsdbServer {
  readonly url: string;
  readonly client: PromClient;
  stop(): Promise<void>;
}

/**
 * `prometheus` serving the blocks in `dataDir`. `lookbackSeconds` is the instant-selector lookback:
 * recorded data has no staleness markers, so a short one (a few intervals) ends a vanished series
 * about when the live server's staleness marker did, instead of 5 minutes later.
 */
export async function startTsdbServer(dataDir: string, lookbackSeconds: number): Promise<TsdbServer> {
  const port = await freePort();
  const config = join(dataDir, '..', `prometheus-${port}.yml`);
  await writeFile(config, '# stressgate backtest: a query engine over recorded blocks, nothing scraped\nglobal: {}\n');
  const lines: string[] = [];
  const child: ChildProcess = spawn(
    process.env.PROMETHEUS_BIN ?? 'prometheus',
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${dataDir}`,
      // Retention counts back from the newest block; a long one keeps an old recording whole.
      '--storage.tsdb.retention.time=100y',
      `--web.listen-address=127.0.0.1:${port}`,
      `--query.lookback-delta=${Math.max(1, Math.ceil(lookbackSeconds))}s`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  captureLog(child, lines);
  track(child, 'SIGKILL');
  let spawnError: Error | undefined;
  child.once('error', (e) => (spawnError = e));
  const url = `http://127.0.0.1:${port}`;
  const client = new PromClient(url);
  const stop = () => stopChild(child, 'SIGTERM', 5_000);
  const deadline = Date.now() + 30_000;
  for (let i = 0; i < 3_000; i++) {
    if (spawnError) throw new ReplayError(`prometheus could not start: ${spawnError.message}`);
    if (child.exitCode !== null)
      throw new ReplayError(`prometheus exited with ${child.exitCode}: ${lines.join('').slice(-1500)}`);
    if (await client.ready()) return { url, client, stop };
    if (Date.now() > deadline) break;
    await sleep(50);
  }
  await stop();
  throw new ReplayError(`prometheus over ${dataDir} not ready within 30 s: ${lines.join('').slice(-1500)}`);
}
