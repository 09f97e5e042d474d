// Reference app capacity on this machine: mixed HTTP load at 300 concurrent connections on
// loopback (with and without think time), and the moderate profile's mix through the Node runner
// for a bounded time. Prints requests/s and p95/p99; goal: p95 < 100 ms at 300 users.
import { startApp, startDeps } from '../test/reference-app/harness.js';
import { burst } from '../scripts/stack/burst.js';
import { flows } from '../load/flows/index.js';
import { runProfile } from '../load/node/runner.js';
import { loadProfile } from '../src/gate/profile-file.js';
import { withHoldDuration } from '../src/load-contract/profile.js';
import { resolve } from 'node:path';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const deps = await startDeps();
// SCRYPT_COST=16384 is the production password-hash cost; 1024 shows the service without it.
const app = await startApp(deps, { SCRYPT_COST: process.env.SCRYPT_COST ?? '16384' });
try {
  const rows: string[] = [];
  for (const [label, thinkMs] of [
    ['300 users, 1 s think time', 1000],
    ['300 connections, no think time', 0],
  ] as const) {
    const r = await burst({ url: app.base, connections: 300, seconds: SECONDS, users: 20, thinkMs });
    rows.push(
      `${label.padEnd(34)} ${r.rps.toFixed(0).padStart(6)} req/s  p95 ${r.p95Ms.toFixed(1).padStart(7)} ms  p99 ${r.p99Ms.toFixed(1).padStart(7)} ms  errors ${r.errors}`,
    );
  }
  // The moderate profile scaled down in time (its VU targets kept) through the Node runner.
  const moderate = withHoldDuration(
    await loadProfile(resolve(import.meta.dirname, '../load/profiles/moderate.json')),
    `${SECONDS * 2}s`,
  );
  const ramped = {
    ...moderate,
    scenarios: Object.fromEntries(
      Object.entries(moderate.scenarios).map(([k, s]) => [
        k,
        { ...s, stages: s.stages.map((st) => (st.hold ? st : { ...st, duration: '5s' })) },
      ]),
    ),
  };
  const run = await runProfile({ profile: ramped, flows, target: new URL(app.base) });
  const m = run.summary.metrics;
  console.log(
    `reference app benchmark (loopback, this machine, SCRYPT_COST=${process.env.SCRYPT_COST ?? '16384'}; each line one bounded run)`,
  );
  for (const r of rows) console.log(r);
  console.log(
    `moderate mix, Node runner      peak ${run.peakVus} VUs (${m.ws_sessions?.count ?? 0} WS sessions)  ${(m.http_reqs?.rate ?? 0).toFixed(0)} req/s  ` +
      `p95 ${(m.http_req_duration?.['p(95)'] ?? 0).toFixed(1)} ms  checks ${((m.checks?.value ?? 0) * 100).toFixed(2)}%  ` +
      `chat p95 ${(m.chat_delivery?.['p(95)'] ?? 0).toFixed(0)} ms  notification p95 ${(m.notification_delivery?.['p(95)'] ?? 0).toFixed(0)} ms`,
  );
} finally {
  await app.stop();
  await deps.dispose();
}
