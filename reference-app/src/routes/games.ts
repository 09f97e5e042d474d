// Games: tic-tac-toe rooms. The creator plays X, the first to join plays O, X moves first. Every move is
// validated server-side (a player of the room, their turn, an empty cell, the game active). A win or a
// draw closes the room; a player leaving an active game forfeits it; a room with no players left is
// closed; rooms idle past GAME_IDLE_TIMEOUT_S are closed by the reaper. Rejected actions are counted.
// The room's state and rules are in ./game-room.ts.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { metrics } from '../../../src/catalog/index.js';
import { body, id, idParams, page, paged, params, query, userOf, type Context } from '../context.js';
import { withTimeout, type Queryable } from '../db.js';
import { conflict, forbidden, HttpError, notFound, parse } from '../errors.js';
import { createNotifications, pushNotifications, type NotificationRow } from '../notify.js';
import {
  afterLeave,
  afterMove,
  isPlayer,
  lockRoom,
  ROOM_COLUMNS,
  saveRoom,
  view,
  type Action,
  type Mark,
  type Room,
} from './game-room.js';

const createBody = z.object({ invite_user_id: id.optional() });
const moveBody = z.object({ cell: z.number().int().min(0).max(8) });
const listQuery = page.extend({
  status: z.enum(['waiting', 'active', 'closed', 'open']).default('open'),
  mine: z.enum(['true', 'false']).optional(),
});
export const wsMove = z.object({
  type: z.literal('move'),
  room_id: id,
  cell: z.number().int().min(0).max(8),
  ref: z.unknown().optional(),
});

export function gameRoutes(
  app: FastifyInstance,
  ctx: Context,
): { reap(): Promise<number>; move(me: number, roomId: number, cell: number): Promise<unknown> } {
  const { db } = ctx;
  const actions = ctx.metrics.counter(metrics.gameActions);
  const duration = ctx.metrics.histogram(metrics.gameActionDuration);

  // The active-rooms gauge is read from the database at scrape time (the truth, across restarts).
  const roomsActive = ctx.metrics.gauge(metrics.gameRoomsActive);
  let lastCount = 0;
  (roomsActive.raw as unknown as { collect: () => Promise<void> }).collect = async function collect() {
    try {
      // Bounded: a saturated pool or an unreachable server must not stall the scrape.
      const r = await withTimeout(
        db.query<{ n: number }>(`SELECT count(*)::int AS n FROM game_rooms WHERE status IN ('waiting', 'active')`),
        1_000,
        metrics.gameRoomsActive.name,
      );
      lastCount = r.rows[0]!.n;
    } catch {
      // PostgreSQL away: expose the last known value rather than failing the scrape.
    }
    roomsActive.raw.set(lastCount);
  };

  /** Runs a game action in a transaction with the room locked, timing and counting it. */
  async function act<T>(
    action: Action,
    fn: (q: Queryable) => Promise<{ result: T; notify?: Array<{ userId: number; row: NotificationRow }>; room?: Room }>,
  ): Promise<T> {
    const start = process.hrtime.bigint();
    try {
      const { result, notify, room } = await db.tx(fn);
      actions.inc({ action, outcome: 'success' });
      const at = Date.now();
      if (room) {
        const audience = [room.player_x, room.player_o, room.invitee_id].filter((u): u is number => u !== null);
        await ctx.hub.publish(audience, { channel: 'games', event: `room_${action}`, data: view(room), at });
      }
      if (notify) await pushNotifications(ctx, notify, at);
      return result;
    } catch (err) {
      // Validation refusals (not the player's turn, full room, ...) are "rejected"; dependency errors aren't counted.
      if (err instanceof HttpError && err.status < 500) actions.inc({ action, outcome: 'rejected' });
      throw err;
    } finally {
      duration.observe({ action }, Number(process.hrtime.bigint() - start) / 1e9);
    }
  }

  app.post('/api/games', async (req, reply) => {
    const me = userOf(ctx, req);
    const { invite_user_id } = body(createBody, req);
    const room = await act('create', async (q) => {
      if (invite_user_id !== undefined) {
        if (invite_user_id === me)
          throw new HttpError(400, 'validation_failed', 'body.invite_user_id: cannot invite yourself', {
            field: 'body.invite_user_id',
          });
        if (!(await q.query('SELECT 1 FROM users WHERE id = $1', [invite_user_id])).rowCount)
          throw notFound('invited user');
      }
      const room = (
        await q.query<Room>(
          `INSERT INTO game_rooms (created_by, status, player_x, invitee_id) VALUES ($1, 'waiting', $1, $2) RETURNING ${ROOM_COLUMNS}`,
          [me, invite_user_id ?? null],
        )
      ).rows[0]!;
      const notify = invite_user_id
        ? await createNotifications(ctx, q, [invite_user_id], me, 'game_invite', { room_id: room.id })
        : [];
      return { result: room, notify, room };
    });
    reply.code(201);
    return view(room);
  });

  app.get('/api/games', async (req) => {
    const me = userOf(ctx, req);
    const { limit, cursor, status, mine } = query(listQuery, req);
    const rows = (
      await db.query<Room>(
        `SELECT ${ROOM_COLUMNS} FROM game_rooms
         WHERE ($1 = 'open' AND status IN ('waiting', 'active') OR status = $1)
           AND (NOT $2 OR player_x = $3 OR player_o = $3) AND ($4::int IS NULL OR id < $4)
         ORDER BY id DESC LIMIT $5`,
        [status, mine === 'true', me, cursor ?? null, limit + 1],
      )
    ).rows;
    const p = paged(rows, limit);
    return { ...p, items: p.items.map(view) };
  });

  app.get('/api/games/:id', async (req) => {
    userOf(ctx, req);
    const { id: roomId } = params(idParams, req);
    const room = (await db.query<Room>(`SELECT ${ROOM_COLUMNS} FROM game_rooms WHERE id = $1`, [roomId])).rows[0];
    if (!room) throw notFound('game room');
    const moves = (
      await db.query('SELECT id, user_id, cell, mark, created_at FROM game_moves WHERE room_id = $1 ORDER BY id', [
        roomId,
      ])
    ).rows;
    return { ...view(room), moves };
  });

  app.post('/api/games/:id/join', async (req) => {
    const me = userOf(ctx, req);
    const { id: roomId } = params(idParams, req);
    return act('join', async (q) => {
      const room = await lockRoom(q, roomId);
      if (room.status === 'closed') throw conflict('room is closed', 'room_closed');
      if (room.player_x === me || room.player_o === me) throw conflict('already in this room', 'already_joined');
      if (room.status !== 'waiting' || room.player_o !== null) throw conflict('room is full', 'room_full');
      if (room.invitee_id !== null && room.invitee_id !== me)
        throw forbidden('this room is reserved for the invited player');
      const saved = await saveRoom(q, { ...room, player_o: me, status: 'active', next_turn: 'X' });
      const notify = await createNotifications(ctx, q, [room.player_x!], me, 'game_turn', {
        room_id: room.id,
        turn: 'X',
      });
      return { result: view(saved), notify, room: saved };
    });
  });

  async function move(me: number, roomId: number, cell: number) {
    return act('move', async (q) => {
      const room = await lockRoom(q, roomId);
      if (!isPlayer(room, me)) throw forbidden('not a player in this room');
      if (room.status !== 'active') throw conflict(`room is ${room.status}`, 'not_active');
      const mark: Mark = room.player_x === me ? 'X' : 'O';
      if (room.next_turn !== mark) throw conflict('not your turn', 'not_your_turn');
      if (room.board[cell] !== '.') throw conflict(`cell ${cell} is taken`, 'cell_taken');
      await q.query('INSERT INTO game_moves (room_id, user_id, cell, mark) VALUES ($1, $2, $3, $4)', [
        roomId,
        me,
        cell,
        mark,
      ]);
      const next = afterMove(room, mark, cell);
      const saved = await saveRoom(q, next);
      const opponent = mark === 'X' ? room.player_o : room.player_x;
      const notify =
        next.status !== 'closed' && opponent
          ? await createNotifications(ctx, q, [opponent], me, 'game_turn', { room_id: roomId, turn: next.next_turn })
          : [];
      return { result: view(saved), notify, room: saved };
    });
  }

  app.post('/api/games/:id/move', async (req) => {
    const me = userOf(ctx, req);
    const { id: roomId } = params(idParams, req);
    const { cell } = body(moveBody, req);
    return move(me, roomId, cell);
  });

  app.post('/api/games/:id/leave', async (req) => {
    const me = userOf(ctx, req);
    const { id: roomId } = params(idParams, req);
    return act('leave', async (q) => {
      const room = await lockRoom(q, roomId);
      if (!isPlayer(room, me)) throw forbidden('not a player in this room');
      const next = afterLeave(room, me);
      const saved = await saveRoom(q, next);
      return { result: view(saved), room: saved };
    });
  });

  app.post('/api/games/:id/close', async (req) => {
    const me = userOf(ctx, req);
    const { id: roomId } = params(idParams, req);
    return act('close', async (q) => {
      const room = await lockRoom(q, roomId);
      if (room.created_by !== me && !isPlayer(room, me))
        throw forbidden('only the creator or a player may close the room');
      if (room.status === 'closed') throw conflict('room is already closed', 'room_closed');
      const saved = await saveRoom(q, { ...room, status: 'closed', next_turn: null, close_reason: 'closed' });
      return { result: view(saved), room: saved };
    });
  });

  ctx.hub.onMessage('games', async (me, msg) => {
    const m = parse(wsMove, msg, 'message');
    return move(me, m.room_id, m.cell);
  });

  /** Closes rooms nobody acted in for GAME_IDLE_TIMEOUT_S (bounded batch); returns how many. */
  async function reap(): Promise<number> {
    const r = await db.query(
      `UPDATE game_rooms SET status = 'closed', next_turn = NULL, closed_at = now(), updated_at = now(), close_reason = 'idle'
       WHERE id IN (SELECT id FROM game_rooms WHERE status IN ('waiting', 'active') AND updated_at < now() - make_interval(secs => $1) LIMIT 1000)`,
      [ctx.config.GAME_IDLE_TIMEOUT_S],
    );
    return r.rowCount ?? 0;
  }

  return { reap, move };
}
