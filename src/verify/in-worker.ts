// Runs a step's function on a worker thread. verify's in-process steps (schema validation, the lint)
// would otherwise queue behind one another and behind synthesis on the main thread while the other
// core idles once tsc and promtool are done. The worker registers tsx itself: a worker's entry module
// is loaded before `--import` hooks apply to it.
import { Worker } from 'node:worker_threads';

/** The value `module`'s export `name` resolves to when called with `args` (all structured-cloneable). */
export function inWorker<T>(module: URL, name: string, args: readonly unknown[]): Promise<T> {
  const tsx = import.meta.resolve('tsx/esm/api');
  const source = `
    const { parentPort, workerData } = require('node:worker_threads');
    import(${JSON.stringify(tsx)})
      .then((t) => { t.register(); return import(workerData.module); })
      .then((m) => m[workerData.name](...workerData.args))
      .then((value) => parentPort.postMessage({ ok: true, value }), (err) => parentPort.postMessage({ ok: false, message: String(err?.stack ?? err) }));`;
  return new Promise((resolve, reject) => {
    const worker = new Worker(source, { eval: true, workerData: { module: module.href, name, args } });
    worker.once('message', (m: { ok: true; value: T } | { ok: false; message: string }) => {
      void worker.terminate();
      if (m.ok) resolve(m.value);
      else reject(new Error(`${name} (worker): ${m.message}`));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => code !== 0 && reject(new Error(`${name} (worker) exited with ${code}`)));
  });
}
