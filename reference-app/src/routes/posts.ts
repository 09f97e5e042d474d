// Posts, the feed, comments and likes. Comments and likes notify the post's author.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { body, id, idParams, page, paged, params, query, userOf, type Context } from '../context.js';
import { forbidden, notFound } from '../errors.js';
import { createNotifications, pushNotifications } from '../notify.js';
import { feedPageJson, postJson } from './post-json.js';

const text = z.string().trim().min(1).max(4000);
const postBody = z.object({ body: text });
const commentBody = z.object({ body: text });
const postParams = z.object({ id });

// A post as the API returns it, for the posts in `source` (a table or a subquery aliased p), as
// seen by user $1. The counts are kept on the post by triggers (migration 0002_post_counters).
// `liked_by_me` is a LATERAL probe of the likes primary key per post: as an EXISTS in the select
// list the planner may instead hash all of the user's likes with a sequential scan of `likes` (it
// did, on a freshly loaded table), a cost that grows with the table, not the page.
const postsOf = (source: string) => `SELECT p.id, p.author_id, u.username AS author, p.body, p.created_at, p.updated_at,
  p.like_count, p.comment_count, mine.post_id IS NOT NULL AS liked_by_me
  FROM ${source} p JOIN users u ON u.id = p.author_id
  LEFT JOIN LATERAL (SELECT l.post_id FROM likes l WHERE l.post_id = p.id AND l.user_id = $1 LIMIT 1) mine ON true`;
const ONE_POST = `${postsOf('posts')} WHERE p.id = $2`;

/**
 * Keyset pages (`?limit=&cursor=`, newest first), as statements shaped so that PostgreSQL keeps one
 * generic plan per (page size, cursor or not) in each pooled connection's prepared statement instead
 * of planning every call (docs/reference-app.md, Performance): the page size is a literal (with
 * `LIMIT $n` the planner assumes 10% of the table and re-plans every call), and the cursor condition
 * exists only with a cursor (`$2 IS NULL OR id < $2` in a generic plan filters instead of seeking,
 * so deep pages would scan from the newest row). `build` gets the cursor condition and the row count.
 */
function pageStatements(build: (cursorBelow: (column: string) => string, rows: number) => string) {
  const built = new Map<number, string>();
  return (rows: number, withCursor: boolean): string => {
    const key = rows * 2 + Number(withCursor);
    let sql = built.get(key);
    if (!sql) {
      if (!Number.isInteger(rows) || rows < 1 || rows > 1000) throw new Error(`page of ${rows} rows`);
      built.set(key, (sql = build((column) => (withCursor ? `${column} < $2` : 'true'), rows)));
    }
    return sql;
  };
}

/** The feed: the page is cut in a subquery before the per-post work. Parameters: me, [cursor]. */
export const feedSql = pageStatements(
  (cursorBelow, rows) =>
    `${postsOf(`(SELECT * FROM posts WHERE ${cursorBelow('id')} ORDER BY id DESC LIMIT ${rows})`)} ORDER BY p.id DESC`,
);

/** A post's comments. Parameters: post id, [cursor]. */
export const commentsSql = pageStatements(
  (cursorBelow, rows) => `SELECT c.id, c.post_id, c.author_id, u.username AS author, c.body, c.created_at, c.updated_at
    FROM comments c JOIN users u ON u.id = c.author_id
    WHERE c.post_id = $1 AND ${cursorBelow('c.id')} ORDER BY c.id DESC LIMIT ${rows}`,
);

export function postRoutes(app: FastifyInstance, ctx: Context): void {
  const { db } = ctx;

  async function loadPost(me: number, postId: number) {
    const row = (await db.query(ONE_POST, [me, postId])).rows[0];
    if (!row) throw notFound('post');
    return row;
  }

  async function authorOf(postId: number): Promise<number> {
    const row = (await db.query<{ author_id: number }>('SELECT author_id FROM posts WHERE id = $1', [postId])).rows[0];
    if (!row) throw notFound('post');
    return row.author_id;
  }

  app.post('/api/posts', { schema: { response: { 201: postJson } } }, async (req, reply) => {
    const me = userOf(ctx, req);
    const { body: text } = body(postBody, req);
    const { id: postId } = (
      await db.query<{ id: number }>('INSERT INTO posts (author_id, body) VALUES ($1, $2) RETURNING id', [me, text])
    ).rows[0]!;
    reply.code(201);
    return loadPost(me, postId);
  });

  // The feed: every post, newest first, `?limit=&cursor=` (cursor = last id of the previous page).
  app.get('/api/posts', { schema: { response: { 200: feedPageJson } } }, async (req) => {
    const me = userOf(ctx, req);
    const { limit, cursor } = query(page, req);
    const rows = (
      await db.query<{ id: number }>(
        feedSql(limit + 1, cursor !== undefined),
        cursor === undefined ? [me] : [me, cursor],
      )
    ).rows;
    return paged(rows, limit);
  });

  app.get('/api/posts/:id', { schema: { response: { 200: postJson } } }, async (req) =>
    loadPost(userOf(ctx, req), params(idParams, req).id),
  );

  app.patch('/api/posts/:id', { schema: { response: { 200: postJson } } }, async (req) => {
    const me = userOf(ctx, req);
    const { id: postId } = params(postParams, req);
    const { body: text } = body(postBody, req);
    if ((await authorOf(postId)) !== me) throw forbidden('only the author may edit a post');
    await db.query('UPDATE posts SET body = $1, updated_at = now() WHERE id = $2', [text, postId]);
    return loadPost(me, postId);
  });

  app.delete('/api/posts/:id', async (req, reply) => {
    const me = userOf(ctx, req);
    const { id: postId } = params(postParams, req);
    if ((await authorOf(postId)) !== me) throw forbidden('only the author may delete a post');
    await db.query('DELETE FROM posts WHERE id = $1', [postId]);
    reply.code(204);
  });

  app.get('/api/posts/:id/comments', async (req) => {
    userOf(ctx, req);
    const { id: postId } = params(postParams, req);
    const { limit, cursor } = query(page, req);
    await authorOf(postId);
    const rows = (
      await db.query<{ id: number }>(
        commentsSql(limit + 1, cursor !== undefined),
        cursor === undefined ? [postId] : [postId, cursor],
      )
    ).rows;
    return paged(rows, limit);
  });

  app.post('/api/posts/:id/comments', async (req, reply) => {
    const me = userOf(ctx, req);
    const { id: postId } = params(postParams, req);
    const { body: text } = body(commentBody, req);
    const { comment, created } = await db.tx(async (q) => {
      const post = (await q.query<{ author_id: number }>('SELECT author_id FROM posts WHERE id = $1', [postId]))
        .rows[0];
      if (!post) throw notFound('post');
      const comment = (
        await q.query<{ id: number }>(
          'INSERT INTO comments (post_id, author_id, body) VALUES ($1, $2, $3) RETURNING id, post_id, author_id, body, created_at, updated_at',
          [postId, me, text],
        )
      ).rows[0]!;
      const created = await createNotifications(ctx, q, [post.author_id], me, 'comment', {
        post_id: postId,
        comment_id: comment.id,
      });
      return { comment, created };
    });
    await pushNotifications(ctx, created);
    reply.code(201);
    return comment;
  });

  async function commentFor(me: number, commentId: number, allowPostAuthor: boolean) {
    const row = (
      await db.query<{ author_id: number; post_author: number }>(
        'SELECT c.author_id, p.author_id AS post_author FROM comments c JOIN posts p ON p.id = c.post_id WHERE c.id = $1',
        [commentId],
      )
    ).rows[0];
    if (!row) throw notFound('comment');
    if (row.author_id !== me && !(allowPostAuthor && row.post_author === me)) throw forbidden('not your comment');
  }

  app.patch('/api/comments/:id', async (req) => {
    const me = userOf(ctx, req);
    const { id: commentId } = params(idParams, req);
    const { body: text } = body(commentBody, req);
    await commentFor(me, commentId, false);
    return (
      await db.query(
        'UPDATE comments SET body = $1, updated_at = now() WHERE id = $2 RETURNING id, post_id, author_id, body, created_at, updated_at',
        [text, commentId],
      )
    ).rows[0];
  });

  // The comment's author or the post's author may delete it.
  app.delete('/api/comments/:id', async (req, reply) => {
    const me = userOf(ctx, req);
    const { id: commentId } = params(idParams, req);
    await commentFor(me, commentId, true);
    await db.query('DELETE FROM comments WHERE id = $1', [commentId]);
    reply.code(204);
  });

  // Idempotent: liking twice is one like (and one notification).
  app.put('/api/posts/:id/like', { schema: { response: { 200: postJson } } }, async (req) => {
    const me = userOf(ctx, req);
    const { id: postId } = params(postParams, req);
    const created = await db.tx(async (q) => {
      const post = (await q.query<{ author_id: number }>('SELECT author_id FROM posts WHERE id = $1', [postId]))
        .rows[0];
      if (!post) throw notFound('post');
      const inserted = await q.query('INSERT INTO likes (post_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [
        postId,
        me,
      ]);
      return inserted.rowCount ? createNotifications(ctx, q, [post.author_id], me, 'like', { post_id: postId }) : [];
    });
    await pushNotifications(ctx, created);
    return loadPost(me, postId);
  });

  app.delete('/api/posts/:id/like', { schema: { response: { 200: postJson } } }, async (req) => {
    const me = userOf(ctx, req);
    const { id: postId } = params(postParams, req);
    await authorOf(postId);
    await db.query('DELETE FROM likes WHERE post_id = $1 AND user_id = $2', [postId, me]);
    return loadPost(me, postId);
  });
}
