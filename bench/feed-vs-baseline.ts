// The feed against bare fastify, side by side in one run with real k6: GET /api/posts?limit=20 on
// the reference app (real PostgreSQL and Redis, seeded, production config) and a constant route on
// a bare fastify server, each under the same closed loop (BENCH_VUS=300 VUs for BENCH_SECONDS=15 s,
// no think time), in turn, BENCH_ROUNDS=3 times, after BENCH_WARMUP_SECONDS=5 s of the same on each.
// Prints req/s, p50/p95/p99, CPU per request and the app/baseline ratios of every round. Goal: the
// app's p95 within 3x the baseline's, judged on the median round (the machine is shared: one round
// can land on someone else's burst), the worst round printed beside it. BENCH_CPU_PROF=DIR writes
// the app's V8 CPU profile there. Needs k6 on PATH (`make bench-feed` adds ../shared/tools/k6).
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startDependencies } from '../src/kernel/services.js';
import { seed } from '../test/reference-app/seed.js';
import { reapedChildrenCpuSeconds, treeCpuSeconds } from './feed/cpu-time.js';
import { closedLoop, type ClosedLoopOptions, type ClosedLoopResult } from './feed/k6-closed-loop.js';
import { startServer } from './feed/server-process.js';

const ROOT = resolve(import.meta.dirname, '..');
const bounded = (name: string, def: number, max: number) =>
  Math.min(max, Math.max(1, Number(process.env[name] ?? def) || def));
const VUS = bounded('BENCH_VUS', 300, 2000);
const SECONDS = bounded('BENCH_SECONDS', 15, 300);
const ROUNDS = bounded('BENCH_ROUNDS', 3, 9);
const WARMUP = bounded('BENCH_WARMUP_SECONDS', 5, 60);
// How the app runs in production (reference-app/Dockerfile, scripts/stack/stack.sh): a young
// generation big enough that the objects of in-flight requests are not copied on every scavenge.
const APP_NODE_ARGS = ['--max-semi-space-size=32'];
const GOAL = 3;

interface Measured extends ClosedLoopResult {
  /** CPU milliseconds per request: the server process, PostgreSQL (all backends), k6. */
  cpuMs: { server?: number; postgres?: number; k6?: number };
}

/** One closed-loop run, with the CPU each process spent on it (see feed/cpu-time.ts). */
async function measure(opts: ClosedLoopOptions, serverPid: number, postmasterPid?: number): Promise<Measured> {
  const delta = (before: number | undefined, after: number | undefined, n: number) =>
    before === undefined || after === undefined ? undefined : ((after - before) * 1000) / n;
  const before = {
    server: treeCpuSeconds(serverPid),
    postgres: postmasterPid ? treeCpuSeconds(postmasterPid) : undefined,
    k6: reapedChildrenCpuSeconds(),
  };
  const r = await closedLoop(opts);
  return {
    ...r,
    cpuMs: {
      server: delta(before.server, treeCpuSeconds(serverPid), r.requests),
      postgres: postmasterPid ? delta(before.postgres, treeCpuSeconds(postmasterPid), r.requests) : undefined,
      k6: delta(before.k6, reapedChildrenCpuSeconds(), r.requests),
    },
  };
}

const dir = await mkdtemp(join(tmpdir(), 'stressgate-bench-feed-'));
const deps = await startDependencies();
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const loadBefore = load();
try {
  const env = {
    DATABASE_URL: deps.pg.url,
    REDIS_URL: deps.redis.url,
    TOKEN_SECRET: 'bench-secret-bench-secret-bench-secret-01',
  };
  const prof = process.env.BENCH_CPU_PROF
    ? ['--cpu-prof', `--cpu-prof-dir=${resolve(process.env.BENCH_CPU_PROF)}`]
    : [];
  // Production configuration (LOG_LEVEL=info, SCRYPT_COST=16384, PG_POOL_MAX default) unless the caller sets them.
  const app = await startServer({
    entry: 'reference-app/src/main.ts',
    cwd: ROOT,
    env,
    logFile: join(dir, 'app.log'),
    nodeArgs: [...APP_NODE_ARGS, ...prof],
  });
  const bare = await startServer({
    entry: 'bench/feed/bare-fastify.ts',
    cwd: ROOT,
    env: {},
    logFile: join(dir, 'bare.log'),
  });
  try {
    const { users, postIds } = await seed(app.base, deps.pg.url);
    const tokens = users.map((u) => u.token);
    const feedUrl = `${app.base}/api/posts?limit=20`;
    const first = await fetch(feedUrl, { headers: { authorization: `Bearer ${tokens[0]}` } });
    const page = (await first.json()) as { items?: unknown[]; next_cursor?: string | null };
    if (first.status !== 200 || page.items?.length !== 20 || !page.next_cursor)
      throw new Error(`the seeded feed is not a full page: ${first.status} ${JSON.stringify(page).slice(0, 300)}`);

    const postmaster = Number(readFileSync(join(deps.pg.dataDir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
    const ms = (v: number | undefined) => (v === undefined ? '  n/a' : v.toFixed(3));
    const fmt = (label: string, r: Measured) =>
      `${label.padEnd(24)} ${r.rps.toFixed(0).padStart(6)} req/s  p50 ${r.p50Ms.toFixed(1).padStart(6)} ms  p95 ${r.p95Ms.toFixed(1).padStart(6)} ms  p99 ${r.p99Ms.toFixed(1).padStart(6)} ms  ` +
      `non-200 ${(r.failed * 100).toFixed(2)}%  CPU ms/req: server ${ms(r.cpuMs.server)} postgres ${ms(r.cpuMs.postgres)} k6 ${ms(r.cpuMs.k6)}`;
    // Both servers warmed up first under the same loop (JIT, pools), results discarded.
    for (const [label, url] of [
      ['bare-warmup', `${bare.base}/api/posts?limit=20`],
      ['feed-warmup', feedUrl],
    ])
      await closedLoop({ url: url!, vus: VUS, seconds: WARMUP, tokens, dir, label: label! });
    const lines: string[] = [];
    const ratios: number[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const base = await measure(
        { url: `${bare.base}/api/posts?limit=20`, vus: VUS, seconds: SECONDS, tokens, dir, label: `bare-${round}` },
        bare.pid,
      );
      const loadMid = load();
      const feed = await measure(
        { url: feedUrl, vus: VUS, seconds: SECONDS, tokens, dir, label: `feed-${round}` },
        app.pid,
        postmaster,
      );
      const ratio = feed.p95Ms / base.p95Ms;
      ratios.push(ratio);
      lines.push(
        `round ${round} (load average before feed run: ${loadMid})`,
        fmt('bare fastify, constant', base),
        fmt('reference app, feed', feed),
        `ratios app/bare: p95 ${ratio.toFixed(2)}x  p99 ${(feed.p99Ms / base.p99Ms).toFixed(2)}x  throughput ${(feed.rps / base.rps).toFixed(2)}x` +
          (feed.failed > 0 ? `  (app answered non-200 to ${(feed.failed * 100).toFixed(2)}%)` : ''),
      );
    }
    console.log(
      `feed vs bare fastify: real k6, ${VUS} closed-loop VUs, ${SECONDS} s each, loopback, ${postIds.length} seeded posts; load average at start ${loadBefore}`,
    );
    for (const l of lines) console.log(l);
    const median = [...ratios].sort((a, b) => a - b)[Math.floor(ratios.length / 2)]!;
    console.log(
      `goal: app p95 within ${GOAL}x bare fastify's: ${median <= GOAL ? 'met' : 'NOT met'} (median round ${median.toFixed(2)}x, worst ${Math.max(...ratios).toFixed(2)}x; load average at end ${load()})`,
    );
  } finally {
    await Promise.allSettled([app.stop(), bare.stop()]);
  }
} finally {
  await deps.dispose();
  await rm(dir, { recursive: true, force: true });
}
