// Conversations (DM or group), messages, read state and unread counts. Only members see anything of a
// conversation; others get 403 (404 when it doesn't exist).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { metrics } from '../../../src/catalog/index.js';
import { body, id, idParams, page, paged, params, query, userOf, type Context } from '../context.js';
import { forbidden, notFound, parse, ValidationError } from '../errors.js';
import { createNotifications, pushNotifications } from '../notify.js';

const createBody = z.discriminatedUnion('type', [
  z.object({ type: z.literal('dm'), user_id: id }),
  z.object({
    type: z.literal('group'),
    title: z.string().trim().min(1).max(100),
    member_ids: z.array(id).min(1).max(50),
  }),
]);
const sendBody = z.object({ body: z.string().trim().min(1).max(4000) });
const readBody = z.object({ message_id: id.optional() });
export const wsSend = z.object({
  type: z.literal('send'),
  conversation_id: id,
  body: z.string().trim().min(1).max(4000),
  ref: z.unknown().optional(),
});

type Kind = 'dm' | 'group';

export interface Messaging {
  send(me: number, conversationId: number, text: string): Promise<Record<string, unknown>>;
}

export function messagingRoutes(app: FastifyInstance, ctx: Context): Messaging {
  const { db } = ctx;
  const sent = ctx.metrics.counter(metrics.chatMessagesSent);

  /** The conversation's kind and members, after checking `me` is one of them. */
  async function membership(me: number, conversationId: number): Promise<{ kind: Kind; members: number[] }> {
    const rows = (
      await db.query<{ kind: Kind; user_id: number | null }>(
        'SELECT c.kind, m.user_id FROM conversations c LEFT JOIN conversation_members m ON m.conversation_id = c.id WHERE c.id = $1',
        [conversationId],
      )
    ).rows;
    if (rows.length === 0) throw notFound('conversation');
    const members = rows.map((r) => r.user_id).filter((u): u is number => u !== null);
    if (!members.includes(me)) throw forbidden('not a member of this conversation');
    return { kind: rows[0]!.kind, members };
  }

  async function describe(me: number, conversationId: number) {
    const conv = (
      await db.query(
        `SELECT c.id, c.kind AS type, c.title, c.created_by, c.created_at,
           (SELECT count(*)::int FROM messages msg WHERE msg.conversation_id = c.id AND msg.id > m.last_read_message_id AND msg.sender_id <> $1) AS unread,
           (SELECT json_agg(json_build_object('id', u.id, 'username', u.username) ORDER BY u.id)
              FROM conversation_members cm JOIN users u ON u.id = cm.user_id WHERE cm.conversation_id = c.id) AS members
         FROM conversations c JOIN conversation_members m ON m.conversation_id = c.id AND m.user_id = $1 WHERE c.id = $2`,
        [me, conversationId],
      )
    ).rows[0];
    if (!conv) throw forbidden('not a member of this conversation');
    return conv;
  }

  app.post('/api/conversations', async (req, reply) => {
    const me = userOf(ctx, req);
    const b = body(createBody, req);
    const others = b.type === 'dm' ? [b.user_id] : b.member_ids;
    if (b.type === 'dm' && b.user_id === me)
      throw new ValidationError('body.user_id', 'cannot start a DM with yourself');
    const members = [...new Set([me, ...others])];
    const known = (
      await db.query<{ n: number }>('SELECT count(*)::int AS n FROM users WHERE id = ANY($1::int[])', [members])
    ).rows[0]!.n;
    if (known !== members.length) throw notFound('user');
    const dmKey = b.type === 'dm' ? [me, b.user_id].sort((x, y) => x - y).join(':') : null;
    const { conversationId, created } = await db.tx(async (q) => {
      if (dmKey) {
        const existing = (await q.query<{ id: number }>('SELECT id FROM conversations WHERE dm_key = $1', [dmKey]))
          .rows[0];
        if (existing) return { conversationId: existing.id, created: false };
      }
      const row = (
        await q.query<{ id: number }>(
          'INSERT INTO conversations (kind, title, dm_key, created_by) VALUES ($1, $2, $3, $4) ON CONFLICT (dm_key) DO NOTHING RETURNING id',
          [b.type, b.type === 'group' ? b.title : null, dmKey, me],
        )
      ).rows[0];
      if (!row) {
        // A concurrent request created the same DM first.
        return {
          conversationId: (await q.query<{ id: number }>('SELECT id FROM conversations WHERE dm_key = $1', [dmKey]))
            .rows[0]!.id,
          created: false,
        };
      }
      await q.query('INSERT INTO conversation_members (conversation_id, user_id) SELECT $1, unnest($2::int[])', [
        row.id,
        members,
      ]);
      return { conversationId: row.id, created: true };
    });
    reply.code(created ? 201 : 200);
    return describe(me, conversationId);
  });

  app.get('/api/conversations', async (req) => {
    const me = userOf(ctx, req);
    const { limit, cursor } = query(page, req);
    const rows = (
      await db.query<{ id: number }>(
        `SELECT c.id, c.kind AS type, c.title, c.created_at,
           (SELECT count(*)::int FROM messages msg WHERE msg.conversation_id = c.id AND msg.id > m.last_read_message_id AND msg.sender_id <> $1) AS unread,
           (SELECT max(msg.id) FROM messages msg WHERE msg.conversation_id = c.id) AS last_message_id
         FROM conversations c JOIN conversation_members m ON m.conversation_id = c.id AND m.user_id = $1
         WHERE ($2::int IS NULL OR c.id < $2) ORDER BY c.id DESC LIMIT $3`,
        [me, cursor ?? null, limit + 1],
      )
    ).rows;
    return paged(rows, limit);
  });

  app.get('/api/conversations/unread-counts', async (req) => {
    const me = userOf(ctx, req);
    const rows = (
      await db.query<{ conversation_id: number; unread: number }>(
        `SELECT m.conversation_id, count(msg.id)::int AS unread FROM conversation_members m
         JOIN messages msg ON msg.conversation_id = m.conversation_id AND msg.id > m.last_read_message_id AND msg.sender_id <> $1
         WHERE m.user_id = $1 GROUP BY m.conversation_id ORDER BY m.conversation_id`,
        [me],
      )
    ).rows;
    return { total: rows.reduce((s, r) => s + r.unread, 0), conversations: rows };
  });

  app.get('/api/conversations/:id', async (req) => {
    const me = userOf(ctx, req);
    const { id: conversationId } = params(idParams, req);
    await membership(me, conversationId);
    return describe(me, conversationId);
  });

  app.get('/api/conversations/:id/messages', async (req) => {
    const me = userOf(ctx, req);
    const { id: conversationId } = params(idParams, req);
    const { limit, cursor } = query(page, req);
    await membership(me, conversationId);
    const rows = (
      await db.query<{ id: number }>(
        `SELECT id, conversation_id, sender_id, body, created_at FROM messages
         WHERE conversation_id = $1 AND ($2::int IS NULL OR id < $2) ORDER BY id DESC LIMIT $3`,
        [conversationId, cursor ?? null, limit + 1],
      )
    ).rows;
    return paged(rows, limit);
  });

  async function send(me: number, conversationId: number, text: string) {
    const { kind, members } = await membership(me, conversationId);
    const { message, created } = await db.tx(async (q) => {
      const message = (
        await q.query<{ id: number }>(
          'INSERT INTO messages (conversation_id, sender_id, body) VALUES ($1, $2, $3) RETURNING id, conversation_id, sender_id, body, created_at',
          [conversationId, me, text],
        )
      ).rows[0]!;
      // The sender has read their own message.
      await q.query(
        'UPDATE conversation_members SET last_read_message_id = $1 WHERE conversation_id = $2 AND user_id = $3',
        [message.id, conversationId, me],
      );
      const created = await createNotifications(ctx, q, members, me, 'message', {
        conversation_id: conversationId,
        message_id: message.id,
      });
      return { message, created };
    });
    sent.inc({ conversation_type: kind });
    const at = Date.now();
    await Promise.all([
      ctx.hub.publish(members, {
        channel: 'chat',
        event: 'message',
        data: { ...message, conversation_type: kind },
        kind,
        at,
      }),
      pushNotifications(ctx, created, at),
    ]);
    return { ...message, conversation_type: kind };
  }

  app.post('/api/conversations/:id/messages', async (req, reply) => {
    const me = userOf(ctx, req);
    const { id: conversationId } = params(idParams, req);
    const { body: text } = body(sendBody, req);
    reply.code(201);
    return send(me, conversationId, text);
  });

  // Marks read up to `message_id` (default: the latest); read state never moves backwards.
  app.post('/api/conversations/:id/read', async (req) => {
    const me = userOf(ctx, req);
    const { id: conversationId } = params(idParams, req);
    const { message_id } = body(readBody, req);
    await membership(me, conversationId);
    const upTo =
      message_id ??
      (
        await db.query<{ max: number | null }>('SELECT max(id) AS max FROM messages WHERE conversation_id = $1', [
          conversationId,
        ])
      ).rows[0]!.max ??
      0;
    // Only a message of this conversation (or 0: none yet) can be the pointer: a larger id from
    // elsewhere would hide every later message from the unread counts.
    const moved = await db.query(
      `UPDATE conversation_members SET last_read_message_id = GREATEST(last_read_message_id, $1)
       WHERE conversation_id = $2 AND user_id = $3 AND ($1 = 0 OR EXISTS (SELECT 1 FROM messages WHERE id = $1 AND conversation_id = $2))`,
      [upTo, conversationId, me],
    );
    if (moved.rowCount === 0)
      throw new ValidationError('body.message_id', `message ${upTo} is not in conversation ${conversationId}`);
    return describe(me, conversationId);
  });

  ctx.hub.onMessage('chat', async (me, msg) => {
    const m = parse(wsSend, msg, 'message');
    return send(me, m.conversation_id, m.body);
  });

  return { send };
}
