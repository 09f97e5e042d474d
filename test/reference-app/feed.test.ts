// The feed (GET /api/posts): every item is the post as GET /api/posts/:id shows it to the same
// reader, the counts kept by triggers follow concurrent writes and are backfilled by their
// migration, and the query keeps the plan properties the performance work depends on
// (docs/reference-app.md, Performance), checked on the previous query too.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { migrations } from '../../reference-app/src/migrations.js';
import { commentsSql, feedSql } from '../../reference-app/src/routes/posts.js';
import { startApp, startDeps, type Deps, type TestApp } from './harness.js';
import { seed, type Seeded } from './seed.js';

const POST_KEYS = [
  'id',
  'author_id',
  'author',
  'body',
  'created_at',
  'updated_at',
  'like_count',
  'comment_count',
  'liked_by_me',
];

let deps: Deps;
let t: TestApp;
let seeded: Seeded;
let db: pg.Client;
before(async () => {
  deps = await startDeps();
  t = await startApp(deps);
  seeded = await seed(t.base, deps.pg.url, { users: 8, posts: 2000 });
  db = new pg.Client({ connectionString: deps.pg.url });
  await db.connect();
});
after(async () => {
  await db?.end();
  await t?.stop();
  await deps?.dispose();
});

describe('feed', () => {
  test('each item is the post as GET /api/posts/:id returns it to the same reader, with the seeded counts', async () => {
    const reader = seeded.users[0]!;
    const page1 = await t.api.get('/api/posts?limit=10', reader.token);
    const page2 = await t.api.get(`/api/posts?limit=10&cursor=${page1.body.next_cursor}`, reader.token);
    assert.equal(page1.status, 200);
    const items = [...page1.body.items, ...page2.body.items];
    assert.equal(items.length, 20);
    const n = seeded.users.length;
    for (const item of items) {
      assert.deepEqual(Object.keys(item), POST_KEYS);
      assert.deepEqual((await t.api.get(`/api/posts/${item.id}`, reader.token)).body, item);
      const k = seeded.postIds.indexOf(item.id) + 1;
      assert.ok(k > 0, `post ${item.id} is a seeded one`);
      const likers = Array.from({ length: k % 7 }, (_, j) => seeded.users[(k + j + 1) % n]!.id);
      assert.equal(item.author_id, seeded.users[k % n]!.id);
      assert.equal(item.like_count, k % 7, `post ${item.id}`);
      assert.equal(item.comment_count, k % 4, `post ${item.id}`);
      assert.equal(item.liked_by_me, likers.includes(reader.id), `post ${item.id}`);
      const sqlTimes = (
        await db.query(
          `SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS c FROM posts WHERE id = $1`,
          [item.id],
        )
      ).rows[0];
      assert.equal(item.created_at, sqlTimes.c, 'created_at is the instant PostgreSQL holds, in ISO form');
    }
    assert.ok(
      items.every((p, i) => i === 0 || items[i - 1].id > p.id),
      'newest first across pages',
    );
  });

  test('counts follow concurrent likes, unlikes, comments and comment deletes', async () => {
    const { api } = t;
    const alice = await api.signup();
    const fans = await Promise.all(Array.from({ length: 10 }, () => api.signup()));
    const post = (await api.post('/api/posts', { body: 'count me' }, alice.token)).body;
    const counts = async () => {
      const one = (await api.get(`/api/posts/${post.id}`, alice.token)).body;
      const inFeed = (await api.get('/api/posts?limit=1', alice.token)).body.items[0];
      const sql = (
        await db.query(
          'SELECT (SELECT count(*)::int FROM likes WHERE post_id = $1) AS l, (SELECT count(*)::int FROM comments WHERE post_id = $1) AS c',
          [post.id],
        )
      ).rows[0];
      assert.deepEqual(inFeed, one);
      return { likes: one.like_count, comments: one.comment_count, sql: { likes: sql.l, comments: sql.c } };
    };
    await Promise.all(fans.map((f) => api.req('PUT', `/api/posts/${post.id}/like`, { token: f.token })));
    await Promise.all(fans.slice(0, 3).map((f) => api.req('PUT', `/api/posts/${post.id}/like`, { token: f.token }))); // idempotent
    assert.deepEqual(await counts(), { likes: 10, comments: 0, sql: { likes: 10, comments: 0 } });
    await Promise.all(fans.slice(0, 4).map((f) => api.req('DELETE', `/api/posts/${post.id}/like`, { token: f.token })));
    const comments = await Promise.all(
      fans.slice(0, 6).map((f) => api.post(`/api/posts/${post.id}/comments`, { body: 'hi' }, f.token)),
    );
    await Promise.all(
      comments.slice(0, 2).map((c, i) => api.req('DELETE', `/api/comments/${c.body.id}`, { token: fans[i]!.token })),
    );
    assert.deepEqual(await counts(), { likes: 6, comments: 4, sql: { likes: 6, comments: 4 } });
  });
});

describe('post counters migration', () => {
  test('backfills the counts of posts that existed before it', async () => {
    await db.query('CREATE DATABASE counters_backfill');
    const other = new pg.Client({ connectionString: deps.pg.url.replace(/\/[^/]+$/, '/counters_backfill') });
    await other.connect();
    try {
      const index = migrations.findIndex((m) => m.id === '0002_post_counters');
      for (const m of migrations.slice(0, index)) await other.query(m.sql);
      await other.query(
        `INSERT INTO users (username, password_hash) SELECT 'u' || i, 'x' FROM generate_series(1, 3) i`,
      );
      await other.query(`INSERT INTO posts (author_id, body) VALUES (1, 'a'), (2, 'b')`);
      await other.query(`INSERT INTO likes (post_id, user_id) VALUES (1, 1), (1, 2), (1, 3), (2, 1)`);
      await other.query(`INSERT INTO comments (post_id, author_id, body) VALUES (2, 1, 'x'), (2, 3, 'y')`);
      await other.query(migrations[index]!.sql);
      assert.deepEqual((await other.query('SELECT id, like_count, comment_count FROM posts ORDER BY id')).rows, [
        { id: 1, like_count: 3, comment_count: 0 },
        { id: 2, like_count: 1, comment_count: 2 },
      ]);
      await other.query('DELETE FROM likes WHERE post_id = 1 AND user_id = 2');
      await other.query('UPDATE comments SET post_id = 1 WHERE body = $1', ['y']);
      assert.deepEqual((await other.query('SELECT id, like_count, comment_count FROM posts ORDER BY id')).rows, [
        { id: 1, like_count: 2, comment_count: 1 },
        { id: 2, like_count: 1, comment_count: 1 },
      ]);
    } finally {
      await other.end();
    }
  });
});

/** What is wrong with a feed statement's plan, as PostgreSQL keeps it in a pooled connection. */
async function planProblems(sql: string, params: unknown[]): Promise<string[]> {
  const problems: string[] = [];
  const name = `plan_check_${Math.random().toString(36).slice(2)}`;
  for (let i = 0; i < 8; i++) await db.query({ name, text: sql, values: params });
  const { generic } = (
    await db.query<{ generic: number }>(
      'SELECT generic_plans::int AS generic FROM pg_prepared_statements WHERE name = $1',
      [name],
    )
  ).rows[0]!;
  if (generic === 0) problems.push('planned again on every call');
  await db.query('SET plan_cache_mode = force_generic_plan');
  try {
    // EXPLAIN EXECUTE of a prepared statement shows the generic plan, with $n left in it.
    await db.query(`PREPARE ${name}_x AS ${sql}`);
    const args = params.map((v) => (v === null ? 'NULL' : String(Number(v)))).join(', ');
    const plan = (await db.query(`EXPLAIN EXECUTE ${name}_x(${args})`)).rows.map((r) => r['QUERY PLAN']).join('\n');
    await db.query(`DEALLOCATE ${name}_x`);
    if (/Seq Scan on likes/.test(plan)) problems.push('scans every like');
    if (params.length > 1 && !/Index Cond: .*\bid < \$2\)/.test(plan))
      problems.push('the cursor filters instead of seeking');
  } finally {
    await db.query('RESET plan_cache_mode');
  }
  return problems;
}

describe('feed query plan', () => {
  // The feed query before the performance work (kept here as the input the checks exist to catch).
  const before = `SELECT p.id, p.author_id, u.username AS author, p.body, p.created_at, p.updated_at,
    (SELECT count(*)::int FROM likes l WHERE l.post_id = p.id) AS like_count,
    (SELECT count(*)::int FROM comments c WHERE c.post_id = p.id) AS comment_count,
    EXISTS (SELECT 1 FROM likes l WHERE l.post_id = p.id AND l.user_id = $1) AS liked_by_me
    FROM posts p JOIN users u ON u.id = p.author_id WHERE ($2::int IS NULL OR p.id < $2) ORDER BY p.id DESC LIMIT $3`;

  test('the previous feed query is re-planned every call, scans every like, and filters the cursor', async () => {
    const me = seeded.users[1]!.id;
    assert.deepEqual(await planProblems(before, [me, seeded.postIds[1000], 21]), [
      'planned again on every call',
      'scans every like',
      'the cursor filters instead of seeking',
    ]);
  });

  test('the feed and comment queries keep one plan, probe likes per post, and seek to the cursor', async () => {
    const me = seeded.users[1]!.id;
    assert.deepEqual(await planProblems(feedSql(21, false), [me]), []);
    assert.deepEqual(await planProblems(feedSql(21, true), [me, seeded.postIds[1000]]), []);
    const commented = seeded.postIds[2]!; // k = 3: three comments
    assert.deepEqual(await planProblems(commentsSql(21, false), [commented]), []);
    assert.deepEqual(await planProblems(commentsSql(21, true), [commented, 2_000_000]), []);
  });
});
