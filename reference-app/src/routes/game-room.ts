// A tic-tac-toe room's state and rules: the row, who is still playing, the outcome of a board, what
// a move or a player leaving does to the room, and reading and writing a room inside a transaction.
import type { Queryable } from '../db.js';
import { notFound } from '../errors.js';

export type Action = 'create' | 'join' | 'move' | 'leave' | 'close';
export type Mark = 'X' | 'O';

export interface Room {
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

export const ROOM_COLUMNS =
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

export const isPlayer = (r: Room, me: number) => (r.player_x === me && !r.x_left) || (r.player_o === me && !r.o_left);
export const present = (r: Room) =>
  [r.x_left ? null : r.player_x, r.o_left ? null : r.player_o].filter((u): u is number => u !== null);
/** A room as the API answers it: with the players still present. */
export const view = (r: Room) => ({ ...r, players: present(r) });

/** The room after `mark` plays `cell` (a legal move): the other player's turn, or closed as won or drawn. */
export function afterMove(room: Room, mark: Mark, cell: number): Room {
  const board = room.board.slice(0, cell) + mark + room.board.slice(cell + 1);
  const result = outcome(board);
  return result
    ? {
        ...room,
        board,
        winner: result,
        next_turn: null,
        status: 'closed',
        close_reason: result === 'D' ? 'draw' : 'won',
      }
    : { ...room, board, next_turn: mark === 'X' ? 'O' : 'X' };
}

/**
 * The room after player `me` leaves: closed when nobody is left or the game had not started; leaving
 * an active game forfeits it (the other player wins).
 */
export function afterLeave(room: Room, me: number): Room {
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
  return next;
}

/** The room, locked for the rest of the transaction. */
export async function lockRoom(q: Queryable, roomId: number): Promise<Room> {
  const room = (await q.query<Room>(`SELECT ${ROOM_COLUMNS} FROM game_rooms WHERE id = $1 FOR UPDATE`, [roomId]))
    .rows[0];
  if (!room) throw notFound('game room');
  return room;
}

/** Writes the room's state; returns it as stored. */
export async function saveRoom(q: Queryable, room: Room): Promise<Room> {
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
