// Game rooms: two players per VU create/join a room, alternate validated moves while the opponent
// follows over the games socket, then leave (or the creator closes early). Every room a flow opens
// is closed again: no orphaned active rooms.
import { api, openChannel, sessionFor, waitFor } from '../lib/api.js';
import type { Flow } from '../lib/client.js';

interface Room {
  id: number;
  status: 'waiting' | 'active' | 'closed';
  board: string;
  next_turn: 'X' | 'O' | null;
}

/** Share of rooms the creator closes mid-game instead of playing out (exercises `close`). */
const CLOSE_EARLY_SHARE = 0.2;

export const gamesFlow: Flow = async (client, ctx) => {
  const x = await sessionFor(client, ctx, 'game_x');
  const o = await sessionFor(client, ctx, 'game_o');
  let events = 0;
  const follower = await openChannel(client, o, 'games', (msg) => {
    if (String(msg.type).startsWith('room_')) events++;
  });
  let roomId: number | undefined;
  try {
    const created = await api(client, x, 'POST', '/api/games', '/api/games', { invite_user_id: o.userId });
    if (!client.check('game create: 201', created.status === 201)) return;
    roomId = (created.body as Room).id;
    const joined = await api(client, o, 'POST', `/api/games/${roomId}/join`, '/api/games/:id/join');
    if (!client.check('game join: 200', joined.status === 200)) return;

    let room = joined.body as Room;
    const closeEarly = client.random() < CLOSE_EARLY_SHARE;
    for (let turn = 0; room.status === 'active' && turn < 9; turn++) {
      if (closeEarly && turn === 3) break;
      const player = room.next_turn === 'X' ? x : o;
      const free = [...room.board].flatMap((c, i) => (c === '.' ? [i] : []));
      const cell = free[Math.floor(client.random() * free.length)]!;
      const moved = await api(client, player, 'POST', `/api/games/${roomId}/move`, '/api/games/:id/move', { cell });
      if (!client.check('game move: 200', moved.status === 200)) break;
      room = moved.body as Room;
    }
    // A move out of turn must be refused by server-side validation.
    if (room.status === 'active') {
      const waiting = room.next_turn === 'X' ? o : x;
      const refused = await api(client, waiting, 'POST', `/api/games/${roomId}/move`, '/api/games/:id/move', {
        cell: room.board.indexOf('.'),
      });
      client.check('game: out-of-turn move refused (409)', refused.status === 409);
    }
    client.check('game: opponent saw room events over WS', await waitFor(client, () => events > 0, 3_000));
  } finally {
    follower.close();
    if (roomId !== undefined) {
      const current = await api(client, x, 'GET', `/api/games/${roomId}`, '/api/games/:id');
      if ((current.body as Room | null)?.status !== 'closed') {
        if (client.random() < 0.5) await api(client, x, 'POST', `/api/games/${roomId}/close`, '/api/games/:id/close');
        else for (const p of [x, o]) await api(client, p, 'POST', `/api/games/${roomId}/leave`, '/api/games/:id/leave');
      }
      const final = await api(client, x, 'GET', `/api/games/${roomId}`, '/api/games/:id');
      client.check('game: room closed at the end', (final.body as Room | null)?.status === 'closed');
    }
  }
};
