// The platform's invariants after a load run, from the target's own PostgreSQL (the plan: "no stuck
// active rooms or orphaned state", "unread counts stay consistent"): checked after every load run
// given a database, as the verdict section `invariants` (a violation fails the gate, with its count).
// Scoped to what the run's users did (load-test users, `lt…`, created during the run), so a room a
// person left open beforehand is not the run's fault.
//   rooms-left-open      rooms the run's users created that are still waiting or active after the run
//   unread-recount       read pointers that make an unread count differ from a recount: a pointer that is
//                        neither 0 nor a message of its own conversation, or past its newest message
//   duplicate-messages   the same body from the same sender in one conversation more than once (the flows
//                        send each body once: a second copy is a retry persisted twice)
import pg from 'pg';
import type { EvidenceSection } from './schema.js';

/** Load-test users' names start so (load/lib/api.ts uniqueName: `lt<run>_<role>_<vu>_<iteration>`). */
export const LOAD_USER_PATTERN = 'lt%';

export interface InvariantResult {
  readonly invariant: 'rooms-left-open' | 'unread-recount' | 'duplicate-messages';
  readonly violations: number;
  /** A few offending ids, to start from. */
  readonly examples: readonly number[];
  readonly detail: string;
}

const QUERIES: Record<InvariantResult['invariant'], { sql: string; detail: (n: number) => string }> = {
  'rooms-left-open': {
    sql: `SELECT r.id FROM game_rooms r JOIN users u ON u.id = r.created_by
          WHERE r.status IN ('waiting', 'active') AND r.created_at >= $1 AND r.created_at <= $2 AND u.username LIKE $3
          ORDER BY r.id`,
    detail: (n) => `${n} game rooms created by the run's users still open after the run`,
  },
  'unread-recount': {
    sql: `SELECT m.conversation_id AS id FROM conversation_members m JOIN users u ON u.id = m.user_id
          WHERE u.username LIKE $3 AND u.created_at >= $1 AND u.created_at <= $2 AND m.last_read_message_id <> 0
            AND NOT EXISTS (SELECT 1 FROM messages x WHERE x.id = m.last_read_message_id AND x.conversation_id = m.conversation_id)
          ORDER BY 1`,
    detail: (n) =>
      `${n} read pointers of the run's users point outside their conversation: their unread counts differ from a recount`,
  },
  'duplicate-messages': {
    sql: `SELECT min(msg.id) AS id FROM messages msg JOIN users u ON u.id = msg.sender_id
          WHERE msg.created_at >= $1 AND msg.created_at <= $2 AND u.username LIKE $3
          GROUP BY msg.conversation_id, msg.sender_id, msg.body HAVING count(*) > 1 ORDER BY 1`,
    detail: (n) => `${n} messages of the run's users persisted more than once (same conversation, sender and body)`,
  },
};

/** Every invariant over the run's window (`end` is when it is checked; rows are the run's users' own). */
export async function checkInvariants(
  databaseUrl: string,
  start: Date,
  end: Date,
  userPattern = LOAD_USER_PATTERN,
): Promise<InvariantResult[]> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    const out: InvariantResult[] = [];
    for (const [invariant, q] of Object.entries(QUERIES) as [
      InvariantResult['invariant'],
      (typeof QUERIES)[keyof typeof QUERIES],
    ][]) {
      const rows = (await client.query<{ id: number }>(q.sql, [start, end, userPattern])).rows;
      out.push({
        invariant,
        violations: rows.length,
        examples: rows.slice(0, 5).map((r) => Number(r.id)),
        detail: q.detail(rows.length),
      });
    }
    return out;
  } finally {
    await client.end();
  }
}

/** The invariants as a verdict section: any violation fails it, one failure per invariant with its count. */
export function invariantsSection(results: readonly InvariantResult[], where: string): EvidenceSection {
  const failures = results
    .filter((r) => r.violations > 0)
    .map((r) => ({
      source: 'invariants',
      subject: r.invariant,
      reason: `${r.detail} (e.g. ${r.examples.join(', ')})`,
    }));
  return {
    title: 'Platform invariants after the run',
    pass: failures.length === 0,
    failures,
    details: { database: where, results },
    markdown: [
      `Checked in PostgreSQL (${where}) after the run, over the run's own users:`,
      '',
      '| invariant | violations | what |',
      '|---|---|---|',
      ...results.map(
        (r) =>
          `| ${r.invariant} | ${r.violations} | ${r.detail}${r.examples.length ? ` (e.g. ${r.examples.join(', ')})` : ''} |`,
      ),
    ].join('\n'),
  };
}

/** The database URL without its password, for the section's text. */
export const redactedUrl = (url: string): string => {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'the given database';
  }
};
