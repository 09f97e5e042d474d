// Private, throw-away PostgreSQL and Redis servers on loopback for tests, drills and the load runner.
//
//   const pg = await startPostgres();        // initdb in a temp dir, random free port, database created
//   const redis = await startRedis();        // redis-server without persistence, random free port
//   ... pg.url, redis.url ...
//   await redis.stop(); await redis.start(); // same port, same data dir: a dependency outage and its return
//   await pg.dispose(); await redis.dispose(); // stop and remove the data dir
//
// Both servers are child processes of the caller (never daemons), so a crashed test run leaves nothing
// behind but a temp dir. When running as root, PostgreSQL runs as the `postgres` system user (initdb
// refuses root), the account Debian's `postgresql` package creates.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { chown, mkdtemp, rm, mkdir } from 'node:fs/promises';
import { existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { captureLog, freePort, sleep, stopChild, track, waitForPort } from './process.js';

const run = promisify(execFile);

/** Directory holding initdb/postgres/pg_ctl: PG_BIN, else the newest /usr/lib/postgresql/N/bin, else PATH. */
export function pgBinDir(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const base = '/usr/lib/postgresql';
  if (existsSync(base)) {
    const versions = readdirSync(base)
      .filter((v) => existsSync(join(base, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return join(base, versions[0], 'bin');
  }
  return '';
}

const pgBin = (name: string) => (pgBinDir() ? join(pgBinDir(), name) : name);

interface PgUser {
  uid: number;
  gid: number;
}

async function postgresUser(): Promise<PgUser | undefined> {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
  try {
    const uid = Number((await run('id', ['-u', 'postgres'])).stdout.trim());
    const gid = Number((await run('id', ['-g', 'postgres'])).stdout.trim());
    return { uid, gid };
  } catch {
    throw new Error(
      'running as root, and PostgreSQL refuses root: the `postgres` user (Debian package `postgresql`) is missing',
    );
  }
}

export interface Service {
  readonly port: number;
  readonly url: string;
  readonly dataDir: string;
  /** Whether the server process is running. */
  running(): boolean;
  /** Starts the server again on the same port and data (after `stop`). */
  start(): Promise<void>;
  /** Stops the server (fast shutdown), keeping its data. */
  stop(): Promise<void>;
  /** Stops the server and removes its data directory. */
  dispose(): Promise<void>;
  /** The last lines the server printed, for error messages. */
  log(): string;
}

export interface PostgresOptions {
  port?: number;
  database?: string;
  /** Where the cluster lives; a fresh temp dir when omitted (and removed by dispose). */
  dataDir?: string;
  timeoutMs?: number;
}

/** initdb + postgres on 127.0.0.1 with trust auth; `url` points at `database` (created). */
export async function startPostgres(opts: PostgresOptions = {}): Promise<Service> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const port = opts.port ?? (await freePort());
  const database = opts.database ?? 'stressgate';
  const owned = !opts.dataDir;
  const root = opts.dataDir ?? (await mkdtemp(join(tmpdir(), 'stressgate-pg-')));
  const dataDir = join(root, 'data');
  const user = await postgresUser();
  const asUser = user ? { uid: user.uid, gid: user.gid } : {};
  const lines: string[] = [];
  if (user) await chown(root, user.uid, user.gid);

  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    await mkdir(dataDir, { recursive: true });
    if (user) await chown(dataDir, user.uid, user.gid);
    await new Promise<void>((resolve, reject) => {
      const child = spawn(
        pgBin('initdb'),
        ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C.UTF-8', '--no-sync'],
        {
          ...asUser,
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      captureLog(child, lines);
      child.on('error', (e) =>
        reject(new Error(`initdb could not start (${e.message}); is Debian's postgresql installed?`)),
      );
      child.on('exit', (code) =>
        code === 0 ? resolve() : reject(new Error(`initdb failed (exit ${code}):\n${lines.join('')}`)),
      );
    });
  }

  let child: ChildProcess | undefined;
  const start = async () => {
    if (child && child.exitCode === null && child.signalCode === null) return;
    child = spawn(
      pgBin('postgres'),
      [
        '-D',
        dataDir,
        '-p',
        String(port),
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        `unix_socket_directories=${root}`,
        '-c',
        'fsync=off',
        '-c',
        'synchronous_commit=off',
        '-c',
        'full_page_writes=off',
        '-c',
        'max_connections=200',
      ],
      { ...asUser, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    track(child, 'SIGQUIT');
    captureLog(child, lines);
    const died = new Promise<never>((_, reject) =>
      child!.once('exit', (code) =>
        reject(new Error(`postgres exited (code ${code}) while starting:\n${lines.join('')}`)),
      ),
    );
    died.catch(() => {});
    await Promise.race([waitForPort(port, timeoutMs, 'postgres'), died]);
    // Accepting TCP is not accepting queries (startup recovery); wait for pg_isready.
    const deadline = Date.now() + timeoutMs;
    for (let i = 0; i < 1000 && Date.now() < deadline; i++) {
      try {
        await run(pgBin('pg_isready'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-q']);
        return;
      } catch {
        await sleep(50);
      }
    }
    throw new Error(`postgres on port ${port} not ready within ${timeoutMs} ms:\n${lines.join('')}`);
  };
  await start();
  try {
    await run(pgBin('createdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', database]);
  } catch (err) {
    if (!String((err as { stderr?: string }).stderr).includes('already exists')) throw err;
  }
  const stop = () => stopChild(child, 'SIGINT', 10_000);
  return {
    port,
    url: `postgres://postgres@127.0.0.1:${port}/${database}`,
    dataDir: root,
    running: () => !!child && child.exitCode === null && child.signalCode === null,
    start,
    stop,
    dispose: async () => {
      await stop();
      if (owned) await rm(root, { recursive: true, force: true });
    },
    log: () => lines.join(''),
  };
}

export interface RedisOptions {
  port?: number;
  dataDir?: string;
  timeoutMs?: number;
}

/** redis-server on 127.0.0.1 without persistence (no RDB, no AOF). */
export async function startRedis(opts: RedisOptions = {}): Promise<Service> {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const port = opts.port ?? (await freePort());
  const owned = !opts.dataDir;
  const dataDir = opts.dataDir ?? (await mkdtemp(join(tmpdir(), 'stressgate-redis-')));
  await mkdir(dataDir, { recursive: true });
  const lines: string[] = [];
  let child: ChildProcess | undefined;
  const start = async () => {
    if (child && child.exitCode === null && child.signalCode === null) return;
    child = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        dataDir,
        '--protected-mode',
        'yes',
        '--daemonize',
        'no',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    track(child, 'SIGKILL');
    captureLog(child, lines);
    const died = new Promise<never>((_, reject) => {
      child!.once('error', (e) =>
        reject(new Error(`redis-server could not start (${e.message}); is Debian's redis-server installed?`)),
      );
      child!.once('exit', (code) =>
        reject(new Error(`redis-server exited (code ${code}) while starting:\n${lines.join('')}`)),
      );
    });
    died.catch(() => {});
    await Promise.race([waitForPort(port, timeoutMs, 'redis-server'), died]);
  };
  await start();
  const stop = () => stopChild(child, 'SIGTERM', 5_000);
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    dataDir,
    running: () => !!child && child.exitCode === null && child.signalCode === null,
    start,
    stop,
    dispose: async () => {
      await stop();
      if (owned) await rm(dataDir, { recursive: true, force: true });
    },
    log: () => lines.join(''),
  };
}

/** Both dependencies at once; `dispose` stops and removes both. */
export async function startDependencies(): Promise<{ pg: Service; redis: Service; dispose: () => Promise<void> }> {
  const [pg, redis] = await Promise.all([startPostgres(), startRedis()]);
  return { pg, redis, dispose: async () => void (await Promise.allSettled([pg.dispose(), redis.dispose()])) };
}
