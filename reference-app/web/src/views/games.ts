// /games: create a room (optionally inviting a user) and the open rooms, kept current by room_*
// pushes. /games/:id: the board and the turn indicator, re-rendered from every push about the room.
import { api } from '../api.js';
import { disposer, type AppContext, type View } from '../context.js';
import { fill, form, h } from '../dom.js';

interface Room {
  id: number;
  status: 'waiting' | 'active' | 'closed';
  player_x: number | null;
  player_o: number | null;
  invitee_id: number | null;
  board: string;
  next_turn: 'X' | 'O' | null;
  winner: 'X' | 'O' | 'D' | null;
  close_reason: string | null;
  updated_at: string;
}

const ROOM_EVENTS = ['room_create', 'room_join', 'room_move', 'room_leave', 'room_close'] as const;

/** Subscribes to every room event; returns the unsubscribe function. */
function onRoom(ctx: AppContext, fn: (room: Room) => void): () => void {
  const offs = ROOM_EVENTS.map((e) => ctx.realtime.on('games', e, (p) => fn(p.data as Room)));
  return () => offs.forEach((off) => off());
}

const canJoin = (r: Room, me: number) =>
  r.status === 'waiting' && r.player_o === null && r.player_x !== me && (r.invitee_id === null || r.invitee_id === me);

function join(ctx: AppContext, id: number): Promise<void> {
  return api('POST', `/api/games/${id}/join`).then(() => ctx.navigate(`/games/${id}`));
}

export const gamesView: View = (root, _params, ctx) => {
  const list = h('ul', { testid: 'game-list', 'data-state': 'loading' });
  const rooms = new Map<number, Room>();
  const upsert = (r: Room) => {
    const known = rooms.get(r.id);
    if (!known || known.updated_at <= r.updated_at) rooms.set(r.id, r);
  };
  const render = () =>
    fill(
      list,
      ...[...rooms.values()]
        .filter((r) => r.status !== 'closed')
        .sort((a, b) => b.id - a.id)
        .map((r) => {
          const joinButton = canJoin(r, ctx.me.id)
            ? h('button', { type: 'button', testid: 'game-join', onclick: () => void join(ctx, r.id) }, 'Join')
            : null;
          return h(
            'li',
            { testid: 'game-item', 'data-game-id': r.id, 'data-status': r.status },
            h('a', { href: `/games/${r.id}`, 'data-link': true }, `Room #${r.id}`),
            ` ${r.status} `,
            joinButton,
          );
        }),
    );
  const create = form(
    { testid: 'game-create-form' },
    async (v) => {
      const room = await api<Room>(
        'POST',
        '/api/games',
        v.invite_user_id ? { invite_user_id: Number(v.invite_user_id) } : {},
      );
      ctx.navigate(`/games/${room.id}`);
    },
    h('input', {
      name: 'invite_user_id',
      testid: 'game-create-invite-user-id',
      placeholder: 'invite user id (optional)',
      inputmode: 'numeric',
    }),
    h('button', { type: 'submit', testid: 'game-create-submit' }, 'New game'),
  );
  fill(root, h('h1', {}, 'Games'), create, list);
  const d = disposer();
  d.add(onRoom(ctx, (r) => (upsert(r), render())));
  void api<{ items: Room[] }>('GET', '/api/games?status=open&limit=50').then((r) => {
    for (const room of r.items) upsert(room);
    render();
    list.dataset.state = 'loaded';
  });
  return d.run;
};

function turnText(r: Room, mine: 'X' | 'O' | null): string {
  if (r.status === 'waiting') return 'Waiting for an opponent';
  if (r.status === 'closed') {
    if (r.winner === 'D') return 'Draw';
    if (r.winner) return r.winner === mine ? 'You won' : mine ? 'You lost' : `${r.winner} won`;
    return `Closed (${r.close_reason ?? 'closed'})`;
  }
  return r.next_turn === mine ? 'Your turn' : "Opponent's turn";
}

export const gameView: View = (root, [idText], ctx) => {
  const id = Number(idText);
  const board = h('div', { class: 'board', testid: 'game-board', 'data-status': 'loading' });
  const turn = h('p', { testid: 'game-turn' });
  const mark = h('p', { testid: 'game-mark' });
  const actions = h('div', {});
  let current: Room | null = null;
  const render = (r: Room) => {
    // An HTTP answer can arrive after a newer push about the same room: never go back in time.
    if (current && r.updated_at < current.updated_at) return;
    current = r;
    const mine = r.player_x === ctx.me.id ? 'X' : r.player_o === ctx.me.id ? 'O' : null;
    const myTurn = r.status === 'active' && r.next_turn === mine;
    board.dataset.status = r.status;
    fill(
      board,
      ...[...r.board].map((c, i) =>
        h(
          'button',
          {
            type: 'button',
            testid: 'game-cell',
            'data-cell': i,
            disabled: !myTurn || c !== '.',
            onclick: () => void move(i),
          },
          c === '.' ? '' : c,
        ),
      ),
    );
    turn.textContent = turnText(r, mine);
    turn.dataset.myTurn = String(myTurn);
    turn.dataset.nextTurn = r.next_turn ?? '';
    mark.textContent = mine ? `You play ${mine}` : 'Spectating';
    fill(
      actions,
      canJoin(r, ctx.me.id)
        ? h(
            'button',
            {
              type: 'button',
              testid: 'game-join',
              onclick: () => void api<Room>('POST', `/api/games/${id}/join`).then(render),
            },
            'Join',
          )
        : null,
      mine && r.status !== 'closed'
        ? h(
            'button',
            {
              type: 'button',
              testid: 'game-leave',
              onclick: () => void api<Room>('POST', `/api/games/${id}/leave`).then(render),
            },
            'Leave',
          )
        : null,
    );
  };
  const move = async (cell: number) => {
    if (!current) return;
    render(await api<Room>('POST', `/api/games/${id}/move`, { cell }));
  };
  fill(root, h('h1', {}, `Game #${id}`), mark, turn, board, actions);
  const d = disposer();
  d.add(onRoom(ctx, (r) => r.id === id && render(r)));
  void api<Room>('GET', `/api/games/${id}`)
    .then(render)
    .catch((err: Error) => fill(board, h('p', { class: 'error' }, err.message)));
  return d.run;
};
