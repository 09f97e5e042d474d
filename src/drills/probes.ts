// Probes a drill reads besides the observer: /readyz sampled every 100 ms (and as fast as it answers
// while the app drains), and the rooms the drill's own users left open.
import pg from 'pg';
import { http, sleep } from './observer.js';

export class ReadinessProbe {
  readonly samples: Array<{ t: number; status: number; failing?: string[]; state?: string }> = [];
  private stopped = false;
  private loop: Promise<void>;
  constructor(base: () => URL, everyMs = 100) {
    this.loop = (async () => {
      for (let i = 0; i < 100_000 && !this.stopped; i++) {
        const r = await http(base(), 'GET', '/readyz');
        this.samples.push({
          t: Date.now(),
          status: r.status,
          ...(r.body?.failing ? { failing: r.body.failing } : {}),
          ...(r.body?.status ? { state: r.body.status } : {}),
        });
        await sleep(everyMs);
      }
    })();
  }
  /** First sample at or after `t` matching. */
  first(after: number, pred: (s: { status: number; failing?: string[] }) => boolean): number | null {
    return this.samples.find((s) => s.t >= after && pred(s))?.t ?? null;
  }
  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }
}

export interface ReadySample {
  readonly t: number;
  readonly status: number;
  readonly state?: string;
  readonly failing?: string[];
}

/**
 * /readyz polled back to back while `during` runs (the app draining): a drain that closes its sockets
 * in a few milliseconds is over between two 100 ms samples, so the drill looks this closely. Bounded.
 */
export async function watchDrain(base: URL, during: Promise<unknown>, everyMs = 2): Promise<ReadySample[]> {
  let done = false;
  void during.finally(() => (done = true)).catch(() => {});
  const samples: ReadySample[] = [];
  for (let i = 0; i < 20_000 && !done; i++) {
    const r = await http(base, 'GET', '/readyz');
    samples.push({ t: Date.now(), status: r.status, ...(r.body?.status ? { state: r.body.status } : {}) });
    await sleep(everyMs);
  }
  return samples;
}

/** Which rooms count: those created since `since` (the database's clock) by users named LIKE `userPattern`. */
export interface RoomScope {
  readonly since: string;
  readonly userPattern: string;
}

/** The database's clock now, for a RoomScope (created_at is the database's, not the drill host's). */
export async function databaseNow(databaseUrl: string): Promise<string> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return (await client.query<{ t: string }>('SELECT now()::text AS t')).rows[0]!.t;
  } finally {
    await client.end();
  }
}

/** Open (waiting or active) rooms the scope's users created since it began: never anybody else's. */
export async function activeRooms(databaseUrl: string, scope: RoomScope): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return Number(
      (
        await client.query<{ n: string }>(
          `SELECT count(*) AS n FROM game_rooms r JOIN users u ON u.id = r.created_by
           WHERE r.status IN ('waiting', 'active') AND r.created_at >= $1::timestamptz AND u.username LIKE $2`,
          [scope.since, scope.userPattern],
        )
      ).rows[0]!.n,
    );
  } finally {
    await client.end();
  }
}
