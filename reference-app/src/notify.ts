// Notifications: persisted in PostgreSQL, counted, and pushed over the `notifications` WS channel.
import { metrics } from '../../src/catalog/index.js';
import type { Queryable } from './db.js';
import type { Context } from './context.js';

export const NOTIFICATION_TYPES = ['comment', 'like', 'message', 'game_invite', 'game_turn'] as const;
export type NotificationType = (typeof NOTIFICATION_TYPES)[number];

export interface NotificationRow {
  id: number;
  type: NotificationType;
  payload: Record<string, unknown>;
  created_at: string;
  read: boolean;
}

/** Creates one notification per recipient (skipping `actorId`) with `q`; returns what to push. */
export async function createNotifications(
  ctx: Pick<Context, 'metrics'>,
  q: Queryable,
  recipients: Iterable<number>,
  actorId: number,
  type: NotificationType,
  payload: Record<string, unknown>,
): Promise<Array<{ userId: number; row: NotificationRow }>> {
  const ids = [...new Set(recipients)].filter((u) => u !== actorId);
  if (ids.length === 0) return [];
  const rows = (
    await q.query<NotificationRow & { user_id: number }>(
      `INSERT INTO notifications (user_id, type, payload) SELECT unnest($1::int[]), $2, $3::jsonb
       RETURNING id, user_id, type, payload, created_at, false AS read`,
      [ids, type, JSON.stringify({ ...payload, actor_id: actorId })],
    )
  ).rows;
  ctx.metrics.counter(metrics.notificationEvents).inc({ type }, rows.length);
  return rows.map(({ user_id, ...row }) => ({ userId: user_id, row }));
}

/** Pushes created notifications (after their transaction committed). */
export async function pushNotifications(
  ctx: Pick<Context, 'hub'>,
  created: Array<{ userId: number; row: NotificationRow }>,
  at = Date.now(),
): Promise<void> {
  await Promise.all(
    created.map(({ userId, row }) =>
      ctx.hub.publish([userId], { channel: 'notifications', event: 'notification', data: row, kind: row.type, at }),
    ),
  );
}
