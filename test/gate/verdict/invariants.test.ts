// The platform's invariants after a run (src/gate/verdict/invariants.ts) on a real PostgreSQL with the
// reference app's schema: seeded violations by the run's users fail with their counts; the same rows
// by someone else, or from before the run, do not count; a clean database passes.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { migrations } from '../../../reference-app/src/migrations.js';
import { checkInvariants, invariantsSection, redactedUrl } from '../../../src/gate/verdict/invariants.js';
import { decide, withSection } from '../../../src/gate/verdict/decide.js';
import { startDependencies, startPostgres, type Service } from '../../../src/kernel/services.js';
import { startInProcessApp } from '../../../src/live/stack.js';
import { loadProfile } from '../../../src/gate/profile-file.js';
import { withHoldDuration } from '../../../src/load-contract/profile.js';
import { runProfile } from '../../../load/node/runner.js';
import { flows } from '../../../load/flows/index.js';
import { ROOT } from '../../helpers.js';
import { join } from 'node:path';

describe('invariants after a load run', () => {
  let db: Service;
  let client: pg.Client;
  before(async () => {
    db = await startPostgres();
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
    for (const m of migrations) await client.query(m.sql);
  });
  after(async () => {
    await client?.end();
    await db?.dispose();
  });

  const user = async (name: string, at = 'now()') =>
    (
      await client.query<{ id: number }>(
        `INSERT INTO users (username, password_hash, created_at) VALUES ($1, 'x', ${at}) RETURNING id`,
        [name],
      )
    ).rows[0]!.id;
  const room = async (by: number, status: string, at = 'now()') =>
    (
      await client.query<{ id: number }>(
        `INSERT INTO game_rooms (created_by, status, player_x, created_at) VALUES ($1, $2, $1, ${at}) RETURNING id`,
        [by, status],
      )
    ).rows[0]!.id;

  it('a clean run passes; seeded violations by the run users fail, each with its count', async () => {
    const before = await user('someone_else', "now() - interval '1 hour'");
    const earlyLt = await user('ltold00_game_x_1_0', "now() - interval '1 hour'");
    await room(before, 'active'); // a person's room, open before and during the run: not the run's
    await room(earlyLt, 'waiting', "now() - interval '1 hour'"); // a load user's room from an earlier run
    const start = new Date(Date.now() - 1_000);
    const x = await user('ltabc123_game_x_1001_0');
    const o = await user('ltabc123_game_o_1001_0');
    await room(x, 'closed');
    const clean = await checkInvariants(db.url, start, new Date(Date.now() + 1_000));
    assert.deepEqual(
      clean.map((r) => [r.invariant, r.violations]),
      [
        ['rooms-left-open', 0],
        ['unread-recount', 0],
        ['duplicate-messages', 0],
      ],
    );
    assert.equal(invariantsSection(clean, 'here').pass, true);

    const open1 = await room(x, 'active');
    await room(o, 'waiting');
    const conv = (
      await client.query<{ id: number }>(
        `INSERT INTO conversations (kind, created_by) VALUES ('dm', $1) RETURNING id`,
        [x],
      )
    ).rows[0]!.id;
    const other = (
      await client.query<{ id: number }>(
        `INSERT INTO conversations (kind, created_by) VALUES ('group', $1) RETURNING id`,
        [before],
      )
    ).rows[0]!.id;
    const foreign = (
      await client.query<{ id: number }>(
        `INSERT INTO messages (conversation_id, sender_id, body) VALUES ($1, $2, 'elsewhere') RETURNING id`,
        [other, before],
      )
    ).rows[0]!.id;
    await client.query(
      `INSERT INTO messages (conversation_id, sender_id, body) VALUES ($1, $2, 'm 1.0.0'), ($1, $2, 'm 1.0.0'), ($1, $2, 'm 1.0.1')`,
      [conv, x],
    );
    // o's pointer is a message of another conversation: o's unread count would hide conv's messages.
    await client.query(
      `INSERT INTO conversation_members (conversation_id, user_id, last_read_message_id) VALUES ($1, $2, 0), ($1, $3, $4)`,
      [conv, x, o, foreign],
    );
    const results = await checkInvariants(db.url, start, new Date(Date.now() + 1_000));
    assert.deepEqual(
      results.map((r) => [r.invariant, r.violations]),
      [
        ['rooms-left-open', 2],
        ['unread-recount', 1],
        ['duplicate-messages', 1],
      ],
    );
    assert.equal(results[0]!.examples[0], open1);
    const section = invariantsSection(results, redactedUrl('postgres://u:secret@127.0.0.1:5432/db'));
    assert.equal(section.pass, false);
    assert.match(section.failures[0]!.reason, /^2 game rooms created by the run's users still open after the run/);
    assert.ok(!JSON.stringify(section).includes('secret'));
    const v = withSection(
      {
        ...decide([], {}, []),
        sections: {},
        failures: [],
        scope: { partial: false, scenarios: [], limits: [] },
      } as never,
      'invariants',
      section,
    );
    assert.equal(v.verdict, 'FAIL');
    assert.deepEqual(
      v.failures.map((f) => f.subject),
      ['rooms-left-open', 'unread-recount', 'duplicate-messages'],
    );
  });
});

describe('invariants after a real load run', { timeout: 180_000 }, () => {
  it('a clean smoke through the Node runner leaves no room open, no bad read pointer, no duplicate', async () => {
    const deps = await startDependencies();
    const app = await startInProcessApp(deps.pg.url, deps.redis.url);
    try {
      const profile = withHoldDuration(await loadProfile(join(ROOT, 'load/profiles/smoke.json')), '15s');
      const start = new Date();
      const run = await runProfile({ profile, flows, target: new URL(app.base) });
      assert.ok((run.summary.metrics.iterations?.count ?? 0) > 10, 'the run did something');
      const results = await checkInvariants(deps.pg.url, start, new Date());
      process.stdout.write(
        `# invariants after a clean smoke: ${JSON.stringify(results.map((r) => [r.invariant, r.violations]))}\n`,
      );
      assert.deepEqual(
        results.map((r) => r.violations),
        [0, 0, 0],
        JSON.stringify(results),
      );
      const rooms = await new pg.Client({ connectionString: deps.pg.url });
      await rooms.connect();
      const n = (
        await rooms.query<{ n: number }>('SELECT count(*)::int AS n FROM game_rooms WHERE created_at >= $1', [start])
      ).rows[0]!.n;
      await rooms.end();
      assert.ok(n > 0, 'the run opened game rooms (and closed them all)');
    } finally {
      await app.stop();
      await deps.dispose();
    }
  });
});
