// Games: tic-tac-toe rooms. The creator plays X, the first to join plays O, X moves first. Every move is
// validated server-side (a player of the room, their turn, an empty cell, the game active). A win or a
// draw closes the room; a player leaving an active game forfeits it; a room with no players left is
// closed; rooms idle past GAME_IDLE_TIMEOUT_S are closed by the reaper. Rejected actions are counted.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { metrics } from '../../../src/catalog/index.js';
import { body, id, idParams, page, paged, params, query, userOf, type Context } from '../context.js';
import { withTimeout, type Queryable } from '../db.js';
import { conflict, forbidden, HttpError, notFound, parse } from '../errors.js';
import { createNotifications, pushNotifications, type NotificationRow } from '../notify.js';

type Action = 'create' | 'join' | 'move' | 'leave' | 'close';
type Mark = 'X' | 'O';

interface Room {
  id: number;
  created_by: number;
  status: 'waiting' | 'active' | 'closed';
  player_x: number | null;
  player_o: number | null;
  x_left: boolean;
  o_left: boolean;
  board: string;
  next_turn: Mark | null;
  winner: Mark | 'D' | null;
  invitee_id: number | null;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  close_reason: string | null;
}

const ROOM_COLUMNS =
  'id, created_by, status, player_x, player_o, x_left, o_left, board, next_turn, winner, invitee_id, created_at, updated_at, closed_at, close_reason';
const LINES = [
  [0, 1, 2],
  [3, 4, 5],
  [6, 7, 8],
  [0, 3, 6],
  [1, 4, 7],
  [2, 5, 8],
  [0, 4, 8],
  [2, 4, 6],
] as const;

export function outcome(board: string): Mark | 'D' | null {
  for (const [a, b, c] of LINES) {
    const v = board[a];
    if ((v === 'X' || v === 'O') && v === board[b] && v === board[c]) return v;
  }
  return board.includes('.') ? null : 'D';
}

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

const isPlayer = (r: Room, me: number) => (r.player_x === me && !r.x_left) || (r.player_o === me && !r.o_left);
const present = (r: Room) =>
  [r.x_left ? null : r.player_x, r.o_left ? null : r.player_o].filter((u): u is number => u !== null);
const view = (r: Room) => ({ ...r, players: present(r) });

export function gameRoutes(
  app: FastifyInstance,
  ctx: Context,
): { reap(): Promise<number>; move(me: number, roomId: number, cell: number): Promise<unknown> } {
  const { db } = ctx;
  const actions = ctx.metrics.counter(metrics.gameActions);
  const duration = ctx.metrics.histogram(metrics.gameActionDuration);
  ctx.metrics.zeroEnums(metrics.gameActions);
  ctx.metrics.zeroEnums(metrics.gameActionDuration);

  // game_rooms_active is read from the database at scrape time (the truth, across restarts).
  const roomsActive = ctx.metrics.gauge(metrics.gameRoomsActive);
  let lastCount = 0;
  (roomsActive.raw as unknown as { collect: () => Promise<void> }).collect = async function collect() {
    try {
      // Bounded: a saturated pool or an unreachable server must not stall the scrape.
      const r = await withTimeout(
        db.query<{ n: number }>(`SELECT count(*)::int AS n FROM game_rooms WHERE status IN ('waiting', 'active')`),
        1_000,
        'game_rooms_active',
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

  async function lockRoom(q: Queryable, roomId: number): Promise<Room> {
    const room = (await q.query<Room>(`SELECT ${ROOM_COLUMNS} FROM game_rooms WHERE id = $1 FOR UPDATE`, [roomId]))
      .rows[0];
    if (!room) throw notFound('game room');
    return room;
  }

  async function save(q: Queryable, room: Room): Promise<Room> {
    return (
      await q.query<Room>(
        `UPDATE game_rooms SET status = $2, player_o = $3, x_left = $4, o_left = $5, board = $6, next_turn = $7, winner = $8,
           updated_at = now(), closed_at = CASE WHEN $2 = 'closed' THEN coalesce(closed_at, now()) END, close_reason = $9
         WHERE id = $1 RETURNING ${ROOM_COLUMNS}`,
        [
          room.id,
          room.status,
          room.player_o,
          room.x_left,
          room.o_left,
          room.board,
          room.next_turn,
          room.winner,
          room.close_reason,
        ],
      )
    ).rows[0]!;
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
      const saved = await save(q, { ...room, player_o: me, status: 'active', next_turn: 'X' });
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
      const board = room.board.slice(0, cell) + mark + room.board.slice(cell + 1);
      const result = outcome(board);
      await q.query('INSERT INTO game_moves (room_id, user_id, cell, mark) VALUES ($1, $2, $3, $4)', [
        roomId,
        me,
        cell,
        mark,
      ]);
      const next: Room = result
        ? {
            ...room,
            board,
            winner: result,
            next_turn: null,
            status: 'closed',
            close_reason: result === 'D' ? 'draw' : 'won',
          }
        : { ...room, board, next_turn: mark === 'X' ? 'O' : 'X' };
      const saved = await save(q, next);
      const opponent = mark === 'X' ? room.player_o : room.player_x;
      const notify =
        !result && opponent
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
      const next: Room = {
        ...room,
        x_left: room.x_left || room.player_x === me,
        o_left: room.o_left || room.player_o === me,
      };
      if (present(next).length === 0)
        Object.assign(next, { status: 'closed', next_turn: null, close_reason: next.close_reason ?? 'empty' });
      else if (room.status === 'active') {
        // Leaving an active game forfeits it: the other player wins and the game ends.
        Object.assign(next, {
          status: 'closed',
          next_turn: null,
          winner: room.player_x === me ? 'O' : 'X',
          close_reason: 'forfeit',
        });
      } else if (room.status === 'waiting')
        Object.assign(next, { status: 'closed', next_turn: null, close_reason: 'empty' });
      const saved = await save(q, next);
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
      const saved = await save(q, { ...room, status: 'closed', next_turn: null, close_reason: 'closed' });
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
