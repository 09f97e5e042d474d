// The drill's probes against a real PostgreSQL with the reference app's schema: the rooms still open
// are the drill's own users' since it began (a room another user opened before the drill, or one of an
// earlier run, does not fail it), on the database's clock.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { migrations } from '../../reference-app/src/migrations.js';
import { activeRooms, databaseNow } from '../../src/drills/probes.js';
import { startPostgres, type Service } from '../../src/kernel/services.js';

describe('drill probes: rooms left open', () => {
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

  const user = async (name: string) =>
    (
      await client.query<{ id: number }>(`INSERT INTO users (username, password_hash) VALUES ($1, 'x') RETURNING id`, [
        name,
      ])
    ).rows[0]!.id;
  const room = async (by: number, status = 'active') =>
    client.query(`INSERT INTO game_rooms (created_by, status, player_x) VALUES ($1, $2, $1)`, [by, status]);

  it("counts only the drill's users' open rooms created since it began", async () => {
    const person = await user('alice');
    const earlier = await user('ltold999_game_x_1_0');
    const mine = await user('ltab12cd_game_x_1000_0');
    await room(person); // opened before the drill by someone else: the bug made the Redis drill FAIL on it
    await room(earlier, 'waiting');
    await room(mine); // the drill's user, but before the drill began
    await new Promise((r) => setTimeout(r, 20));
    const since = await databaseNow(db.url);
    const scope = { since, userPattern: 'ltab12cd\\_%' };
    assert.equal(await activeRooms(db.url, scope), 0);
    await room(person);
    await room(await user('ltab12cdx_game_x_1_0')); // a longer run id sharing the prefix: not ours
    await room(mine, 'closed');
    assert.equal(await activeRooms(db.url, scope), 0);
    await room(mine);
    await room(await user('ltab12cd_game_o_1000_0'), 'waiting');
    assert.equal(await activeRooms(db.url, scope), 2);
  });
});
