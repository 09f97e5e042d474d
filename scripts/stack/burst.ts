// A small mixed HTTP burst against a running reference app: N keep-alive connections for T seconds,
// printing requests/s, latency percentiles and status counts. Bounded in time and in setup work.
//
//   tsx scripts/stack/burst.ts [--url http://127.0.0.1:18080] [--connections 300] [--seconds 10] [--users 20]
//                              [--think-ms 0] [--json]
// --think-ms pauses each connection 0.5-1.5x that long between requests (users, not a flood).
// Behind the load interlock: loopback, or a host listed in STRESS_ALLOWED_HOSTS; node:http never
// follows redirects.
import { Agent, request } from 'node:http';
import { parseArgs } from 'node:util';
import { assertTargetAllowed } from '../../src/gate/interlock.js';

export interface BurstOptions {
  url: string;
  connections: number;
  seconds: number;
  users: number;
  /** Pause between one connection's requests (a user's think time); 0 = closed loop at full speed. */
  thinkMs?: number;
}

export interface BurstResult {
  requests: number;
  seconds: number;
  rps: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  statuses: Record<string, number>;
  errors: number;
  errorKinds: Record<string, number>;
}

interface Res {
  status: number;
  body: any;
}

function call(agent: Agent, base: URL, method: string, path: string, token?: string, body?: unknown): Promise<Res> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: base.hostname,
        port: base.port,
        method,
        path,
        timeout: 30_000,
        headers: {
          ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          let parsed: unknown = text;
          try {
            parsed = text ? JSON.parse(text) : null;
          } catch {
            /* keep text */
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(payload);
  });
}

const pct = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : 0;

export async function burst(opts: BurstOptions): Promise<BurstResult> {
  const base = assertTargetAllowed(opts.url);
  const agent = new Agent({ keepAlive: true, maxSockets: opts.connections });
  const run = `b${Date.now().toString(36)}`;
  // Setup: users (signup is a deliberate slow KDF, so few), one post each, a DM ring.
  const users: Array<{ id: number; token: string; post: number; conv: number }> = [];
  for (let i = 0; i < opts.users; i++) {
    const s = await call(agent, base, 'POST', '/api/auth/signup', undefined, {
      username: `${run}_${i}`,
      password: 'burst-password',
    });
    if (s.status !== 201) throw new Error(`setup signup: ${s.status} ${JSON.stringify(s.body)}`);
    const post = await call(agent, base, 'POST', '/api/posts', s.body.access_token, { body: `seed ${i}` });
    users.push({ id: s.body.user.id, token: s.body.access_token, post: post.body.id, conv: 0 });
  }
  for (let i = 0; i < users.length; i++) {
    const other = users[(i + 1) % users.length]!;
    if (other === users[i]) break;
    const c = await call(agent, base, 'POST', '/api/conversations', users[i]!.token, { type: 'dm', user_id: other.id });
    users[i]!.conv = c.body.id;
  }

  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let errors = 0;
  const deadline = performance.now() + opts.seconds * 1000;
  const pick = <T>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)]!;
  const errorKinds: Record<string, number> = {};
  async function worker(index: number): Promise<void> {
    // Ramp up: start the connections spread over the first second (no thundering herd at t=0).
    await new Promise((r) => setTimeout(r, (index / opts.connections) * Math.min(1000, opts.seconds * 100)));
    while (performance.now() < deadline) {
      const u = pick(users);
      const target = pick(users);
      const r = Math.random();
      const [method, path, body] =
        r < 0.45
          ? ['GET', '/api/posts?limit=20']
          : r < 0.6
            ? ['GET', `/api/posts/${target.post}`]
            : r < 0.68
              ? ['POST', '/api/posts', { body: 'burst post' }]
              : r < 0.76
                ? ['POST', `/api/posts/${target.post}/comments`, { body: 'burst comment' }]
                : r < 0.81
                  ? ['PUT', `/api/posts/${target.post}/like`]
                  : r < 0.88
                    ? ['GET', '/api/notifications/unread-count']
                    : r < 0.94 && u.conv
                      ? ['POST', `/api/conversations/${u.conv}/messages`, { body: 'burst message' }]
                      : ['GET', '/api/conversations/unread-counts'];
      const t0 = performance.now();
      try {
        const res = await call(agent, base, method as string, path as string, u.token, body);
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      } catch (err) {
        errors++;
        const kind = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
        errorKinds[kind] = (errorKinds[kind] ?? 0) + 1;
      }
      latencies.push(performance.now() - t0);
      if (opts.thinkMs) await new Promise((r) => setTimeout(r, opts.thinkMs! * (0.5 + Math.random())));
    }
  }
  const started = performance.now();
  await Promise.all(Array.from({ length: opts.connections }, (_, i) => worker(i)));
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    requests: latencies.length,
    seconds: round(elapsed),
    rps: Math.round(latencies.length / elapsed),
    p50Ms: round(pct(latencies, 50)),
    p95Ms: round(pct(latencies, 95)),
    p99Ms: round(pct(latencies, 99)),
    maxMs: round(latencies[latencies.length - 1] ?? 0),
    statuses,
    errors,
    errorKinds,
  };
}

if (process.argv[1]?.endsWith('burst.ts')) {
  const { values } = parseArgs({
    options: {
      url: { type: 'string', default: `http://127.0.0.1:${process.env.APP_PORT ?? 18080}` },
      connections: { type: 'string', default: '300' },
      seconds: { type: 'string', default: '10' },
      users: { type: 'string', default: '20' },
      'think-ms': { type: 'string', default: '0' },
      json: { type: 'boolean', default: false },
    },
  });
  const opts = {
    url: values.url!,
    connections: Math.min(2000, Math.max(1, Number(values.connections))),
    seconds: Math.min(600, Math.max(1, Number(values.seconds))),
    users: Math.min(200, Math.max(2, Number(values.users))),
    thinkMs: Math.min(60_000, Math.max(0, Number(values['think-ms']))),
  };
  burst(opts).then(
    (r) => {
      if (values.json) process.stdout.write(`${JSON.stringify({ ...opts, ...r })}\n`);
      else
        process.stdout.write(
          `${opts.connections} connections${opts.thinkMs ? ` (think ${opts.thinkMs} ms)` : ''}, ${r.seconds}s: ${r.requests} requests, ${r.rps} req/s, ` +
            `p50 ${r.p50Ms} ms, p95 ${r.p95Ms} ms, p99 ${r.p99Ms} ms, max ${r.maxMs} ms, statuses ${JSON.stringify(r.statuses)}, errors ${r.errors}${r.errors ? ` ${JSON.stringify(r.errorKinds)}` : ''}\n`,
        );
    },
    (err: Error) => {
      process.stderr.write(`burst: ${err.message}\n`);
      process.exitCode = 1;
    },
  );
}
