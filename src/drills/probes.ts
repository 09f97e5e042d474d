// Probes a drill reads besides the observer: /readyz sampled every 100 ms, and rooms left open.
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

export async function activeRooms(databaseUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return Number(
      (await client.query<{ n: string }>("SELECT count(*) AS n FROM game_rooms WHERE status IN ('waiting', 'active')"))
        .rows[0]!.n,
    );
  } finally {
    await client.end();
  }
}
