// The committed snapshot recorded from the reference app with no traffic: a fresh app on 127.0.0.1
// against throw-away PostgreSQL and Redis (src/kernel/services.ts), scraped once it is ready. The
// snapshot depends only on the catalog (recordSnapshot), so this recording equals one taken after any
// traffic or restart, and `make catalog-snapshot` after a catalog change shows exactly that change.
import { createApp } from '../../reference-app/src/app.js';
import { loadConfig } from '../../reference-app/src/config.js';
import { sleep } from '../kernel/process.js';
import { startDependencies } from '../kernel/services.js';
import { recordSnapshot } from './snapshots.js';

/** What the header of a reference-app recording names as its source (no port: that changes per run). */
export const REFERENCE_APP_SOURCE = 'a fresh reference app';

/**
 * The snapshot of a running app at `base`, once /readyz answers 200: a service is scraped when it is
 * ready, and that probe is the one completed request every scraped service has served.
 */
export async function snapshotOfApp(base: string, timeoutMs = 15_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ready = await fetch(`${base}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) throw new Error(`the reference app at ${base} was not ready within ${timeoutMs} ms`);
    await sleep(200);
  }
  const res = await fetch(`${base}/metrics`, { headers: { accept: 'text/plain;version=0.0.4' } });
  if (!res.ok) throw new Error(`cannot scrape ${base}/metrics: HTTP ${res.status}`);
  return recordSnapshot(await res.text(), REFERENCE_APP_SOURCE);
}

/** A fresh reference app's snapshot: its own PostgreSQL and Redis, all stopped afterwards. */
export async function recordReferenceApp(): Promise<string> {
  const deps = await startDependencies();
  try {
    const app = createApp(
      loadConfig({
        DATABASE_URL: deps.pg.url,
        REDIS_URL: deps.redis.url,
        APP_HOST: '127.0.0.1',
        APP_PORT: '0',
        LOG_LEVEL: 'silent',
        SCRYPT_COST: '1024',
        TOKEN_SECRET: 'catalog-snapshot-secret-catalog-snapshot-0123',
        READINESS_INTERVAL_MS: '500',
      }),
      { strictMetrics: true },
    );
    const port = await app.start();
    try {
      return await snapshotOfApp(`http://127.0.0.1:${port}`);
    } finally {
      await app.stop();
    }
  } finally {
    await deps.dispose();
  }
}
