// Notifications: list (optionally unread only), unread count, mark read (some ids or all).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { body, id, page, paged, query, userOf, type Context } from '../context.js';

const listQuery = page.extend({ unread: z.enum(['true', 'false']).optional() });
const readBody = z.union([
  z.object({ ids: z.array(id).min(1).max(500) }).strict(),
  z.object({ all: z.literal(true) }).strict(),
]);

export function notificationRoutes(app: FastifyInstance, ctx: Context): void {
  const { db } = ctx;

  app.get('/api/notifications', async (req) => {
    const me = userOf(ctx, req);
    const { limit, cursor, unread } = query(listQuery, req);
    const rows = (
      await db.query<{ id: number }>(
        `SELECT id, type, payload, created_at, read_at IS NOT NULL AS read FROM notifications
         WHERE user_id = $1 AND ($2::int IS NULL OR id < $2) AND (NOT $3 OR read_at IS NULL)
         ORDER BY id DESC LIMIT $4`,
        [me, cursor ?? null, unread === 'true', limit + 1],
      )
    ).rows;
    return paged(rows, limit);
  });

  app.get('/api/notifications/unread-count', async (req) => {
    const me = userOf(ctx, req);
    const { count } = (
      await db.query<{ count: number }>(
        'SELECT count(*)::int AS count FROM notifications WHERE user_id = $1 AND read_at IS NULL',
        [me],
      )
    ).rows[0]!;
    return { unread: count };
  });

  app.post('/api/notifications/read', async (req) => {
    const me = userOf(ctx, req);
    const b = body(readBody, req);
    const r =
      'all' in b
        ? await db.query('UPDATE notifications SET read_at = now() WHERE user_id = $1 AND read_at IS NULL', [me])
        : await db.query(
            'UPDATE notifications SET read_at = now() WHERE user_id = $1 AND read_at IS NULL AND id = ANY($2::int[])',
            [me, b.ids],
          );
    const { count } = (
      await db.query<{ count: number }>(
        'SELECT count(*)::int AS count FROM notifications WHERE user_id = $1 AND read_at IS NULL',
        [me],
      )
    ).rows[0]!;
    return { marked: r.rowCount ?? 0, unread: count };
  });
}
