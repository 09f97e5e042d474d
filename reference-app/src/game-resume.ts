// Rooms whose players' sessions died: after a restart (every socket closed, in-flight requests cut) or
// a dependency outage (sockets closed with 1013, writes refused), the players of an open room may be
// gone for good, and their room would wait for the idle reaper (GAME_IDLE_TIMEOUT_S, 10 minutes).
// Each such moment is marked; a room nobody acted in since the mark (a move, join, leave or close
// resumes it) is closed as `abandoned` GAME_RESUME_TIMEOUT_S later. Players who come back in time
// resume their game; the rest leave no open room behind.
import type { Database } from './db.js';

export class ResumeWindow {
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(
    private readonly db: Pick<Database, 'query'>,
    private readonly resumeSeconds: number,
    private readonly log: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void },
  ) {}

  /** Marks now (the database's clock): rooms not acted in since are closed after the resume timeout. */
  async mark(why: string): Promise<void> {
    if (this.stopped) return;
    const at = (await this.db.query<{ t: string }>('SELECT now()::text AS t')).rows[0]!.t;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.close(at)
        .then((n) => n && this.log.info({ closed: n, why, since: at }, 'closed game rooms abandoned'))
        .catch((err: Error) => this.log.warn({ err: err.message, why }, 'closing abandoned game rooms failed'));
    }, this.resumeSeconds * 1000);
    timer.unref();
    this.timers.add(timer);
  }

  /** Closes open rooms last acted in before `since`; returns how many (bounded batch). */
  async close(since: string): Promise<number> {
    const r = await this.db.query(
      `UPDATE game_rooms SET status = 'closed', next_turn = NULL, closed_at = now(), updated_at = now(), close_reason = 'abandoned'
       WHERE id IN (SELECT id FROM game_rooms WHERE status IN ('waiting', 'active') AND updated_at < $1::timestamptz LIMIT 10000)`,
      [since],
    );
    return r.rowCount ?? 0;
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
