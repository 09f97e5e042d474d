// A TypeScript server as its own Node process (like production: not sharing the bench's event loop),
// ready once GET /readyz answers 200; stopped with SIGTERM, then SIGKILL, both bounded.
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { freePort, sleep } from '../../src/kernel/process.js';

export interface ServerProcess {
  readonly base: string;
  readonly pid: number;
  stop(): Promise<void>;
}

export async function startServer(opts: {
  entry: string;
  cwd: string;
  env: Record<string, string>;
  logFile: string;
  nodeArgs?: string[];
  timeoutMs?: number;
}): Promise<ServerProcess> {
  const port = await freePort();
  const log = openSync(opts.logFile, 'a');
  const child: ChildProcess = spawn(process.execPath, [...(opts.nodeArgs ?? []), '--import', 'tsx', opts.entry], {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env, APP_HOST: '127.0.0.1', APP_PORT: String(port) },
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  const base = `http://127.0.0.1:${port}`;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const done = await Promise.race([exited.then(() => true), sleep(15_000).then(() => false)]);
    if (!done) (child.kill('SIGKILL'), await exited);
  };
  process.once('exit', () => child.kill('SIGKILL'));
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`${opts.entry} exited with ${child.exitCode} while starting; see ${opts.logFile}`);
    const ok = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(1_000) }).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return { base, pid: child.pid!, stop };
    await sleep(100);
  }
  await stop();
  throw new Error(`${opts.entry} not ready within ${opts.timeoutMs ?? 30_000} ms; see ${opts.logFile}`);
}
