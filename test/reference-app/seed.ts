// Feed data for the feed bench and tests: users signed up through the API (real password hashes and
// tokens), then posts, likes and comments in bulk SQL (deterministic counts, seconds instead of
// minutes of HTTP). Post k (k = 1..posts in insertion order) is by user k mod n, liked by the
// (k mod 7) users after its author and commented (k mod 4) times.
import pg from 'pg';

export interface Seeded {
  users: Array<{ id: number; token: string }>;
  /** The seeded posts' ids, oldest first. */
  postIds: number[];
}

export async function seed(
  base: string,
  databaseUrl: string,
  opts: { users?: number; posts?: number } = {},
): Promise<Seeded> {
  const userCount = opts.users ?? 20;
  const postCount = opts.posts ?? 2000;
  const run = `f${Date.now().toString(36)}${process.pid % 1000}`;
  const users: Seeded['users'] = [];
  for (let i = 0; i < userCount; i++) {
    const r = await fetch(`${base}/api/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: `${run}_${i}`, password: 'bench-password' }),
      signal: AbortSignal.timeout(10_000),
    });
    const body = (await r.json()) as { access_token: string; user: { id: number } };
    if (r.status !== 201) throw new Error(`seed signup: ${r.status} ${JSON.stringify(body)}`);
    users.push({ id: body.user.id, token: body.access_token });
  }
  const ids = users.map((u) => u.id);
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const postIds = (
      await db.query<{ id: number }>(
        `INSERT INTO posts (author_id, body) SELECT ($1::int[])[1 + k % cardinality($1::int[])], 'seed post ' || k FROM generate_series(1, $2) k ORDER BY k RETURNING id`,
        [ids, postCount],
      )
    ).rows
      .map((r) => r.id)
      .sort((a, b) => a - b);
    // k-th post of this seed: its position in postIds (1-based) is k.
    await db.query(
      `INSERT INTO likes (post_id, user_id)
       SELECT p.id, ($1::int[])[1 + (p.k + j) % cardinality($1::int[])]
       FROM unnest($2::int[]) WITH ORDINALITY AS p(id, k), generate_series(1, 6) j WHERE j <= p.k % 7
       ON CONFLICT DO NOTHING`,
      [ids, postIds],
    );
    await db.query(
      `INSERT INTO comments (post_id, author_id, body)
       SELECT p.id, ($1::int[])[1 + (p.k + j) % cardinality($1::int[])], 'seed comment ' || j
       FROM unnest($2::int[]) WITH ORDINALITY AS p(id, k), generate_series(1, 3) j WHERE j <= p.k % 4`,
      [ids, postIds],
    );
    await db.query('ANALYZE posts, likes, comments, users');
    return { users, postIds };
  } finally {
    await db.end();
  }
}
