// Child processes and loopback ports for the parts that start servers (tests, drills, the live
// check, the load runner): a free port, waiting for one to accept, stopping a child bounded, keeping
// its last log lines, and stopping what is still running when this process exits.
import type { ChildProcess } from 'node:child_process';
import { createServer, connect } from 'node:net';

// Servers still running when this process exits are stopped with it (a test that crashed or forgot
// `dispose` must not leave daemons behind): PostgreSQL gets SIGQUIT (immediate shutdown), Redis SIGKILL.
const running = new Map<ChildProcess, NodeJS.Signals>();
process.once('exit', () => {
  for (const [child, signal] of running) if (child.exitCode === null && child.signalCode === null) child.kill(signal);
});
export function track(child: ChildProcess, exitSignal: NodeJS.Signals): void {
  running.set(child, exitSignal);
  child.once('exit', () => running.delete(child));
}

/** A free TCP port on 127.0.0.1 (asked from the operating system, so two callers don't collide). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Resolves once something accepts TCP connections on the port, rejects after `timeoutMs`. */
export async function waitForPort(port: number, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 0; Date.now() < deadline && attempt < 10_000; attempt++) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect({ host: '127.0.0.1', port });
      s.once('connect', () => (s.destroy(), resolve(true)));
      s.once('error', () => (s.destroy(), resolve(false)));
    });
    if (ok) return;
    await sleep(50);
  }
  throw new Error(`${what} did not accept connections on 127.0.0.1:${port} within ${timeoutMs} ms`);
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A child process we stop with a signal and wait for, bounded. */
export async function stopChild(
  child: ChildProcess | undefined,
  signal: NodeJS.Signals,
  timeoutMs: number,
): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill(signal);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), timeoutMs)));
  const first = await Promise.race([exited, timedOut]);
  clearTimeout(timer);
  if (first === 'timeout') {
    child.kill('SIGKILL');
    await exited;
  }
}

export function captureLog(child: ChildProcess, sink: string[]): void {
  const push = (b: Buffer) => {
    sink.push(b.toString());
    if (sink.length > 200) sink.splice(0, sink.length - 200);
  };
  child.stdout?.on('data', push);
  child.stderr?.on('data', push);
}
