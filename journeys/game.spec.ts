// Journey (c): two users enter a game (invite, join) and play it out; each move shows on the other
// screen with the turn indicator, without a reload. Budget: notification-delivery-p95, since a move
// reaches the opponent as a push sent with its game_turn notification.
import { DEPTHS } from './fixtures/depth.js';
import { expect, test, tid, type Actor } from './fixtures/journey.js';

const SLO = 'notification-delivery-p95';
/** Cell sequences, X first: a win for X in five moves, and a nine-move draw. */
const GAMES = [
  { moves: [0, 3, 1, 4, 2], result: { X: 'You won', O: 'You lost' } },
  { moves: [0, 1, 2, 4, 3, 5, 7, 6, 8], result: { X: 'Draw', O: 'Draw' } },
] as const;

for (const depth of DEPTHS) {
  test(
    `two players enter a game and see every move live (${depth.tag.slice(1)})`,
    { tag: depth.tag },
    async ({ cast, journey }) => {
      test.setTimeout(depth.timeoutMs);
      const alice = await cast.signIn(await cast.user('alice'));
      const bob = await cast.signIn(await cast.user('bob'));
      const games = depth.tag === '@smoke' ? GAMES.slice(0, 1) : GAMES;

      for (const game of games) {
        await bob.page.getByTestId('nav-games').click();
        await expect(bob.page.getByTestId('game-list')).toHaveAttribute('data-state', 'loaded');
        const joinable = await bob.page.getByTestId('game-join').count();

        await alice.page.getByTestId('nav-games').click();
        await alice.page.getByTestId('game-create-invite-user-id').fill(String(bob.user.id));
        await journey.measure(alice.page, () => alice.page.getByTestId('game-create-submit').click(), {
          name: "invite visible in the opponent's lobby",
          slo: SLO,
          page: bob.page,
          condition: {
            selector: tid('game-join'),
            minCount: joinable + 1,
            describe: `${bob.user.username}'s lobby offers the new game`,
          },
        });
        await expect(alice.page.getByTestId('game-board')).toHaveAttribute('data-status', 'waiting');
        const roomId = alice.page.url().split('/').pop()!;

        await journey.measure(
          bob.page,
          () =>
            bob.page
              .locator(tid('game-item', { 'data-game-id': roomId }))
              .getByTestId('game-join')
              .click(),
          {
            name: 'join visible to the creator',
            slo: SLO,
            page: alice.page,
            condition: {
              selector: tid('game-turn', { 'data-my-turn': 'true' }),
              describe: `${alice.user.username} sees "your turn" once ${bob.user.username} joined`,
            },
          },
        );
        await expect(bob.page.getByTestId('game-board')).toHaveAttribute('data-status', 'active');
        await expect(bob.page.getByTestId('game-mark')).toHaveText('You play O');

        for (const [i, cell] of game.moves.entries()) {
          const [mover, opponent]: [Actor, Actor] = i % 2 === 0 ? [alice, bob] : [bob, alice];
          const mark = i % 2 === 0 ? 'X' : 'O';
          await expect(opponent.page.locator(tid('game-cell', { 'data-cell': cell }))).toBeDisabled(); // not their turn
          await journey.measure(mover.page, () => mover.page.locator(tid('game-cell', { 'data-cell': cell })).click(), {
            name: "move visible on the opponent's board",
            slo: SLO,
            page: opponent.page,
            condition: {
              selector: tid('game-cell', { 'data-cell': cell }),
              text: mark,
              describe: `${opponent.user.username}'s board shows ${mark} in cell ${cell}`,
            },
          });
          if (i < game.moves.length - 1)
            await expect(opponent.page.getByTestId('game-turn')).toHaveAttribute('data-my-turn', 'true');
        }
        for (const [actor, mark] of [
          [alice, 'X'],
          [bob, 'O'],
        ] as const) {
          await expect(actor.page.getByTestId('game-board')).toHaveAttribute('data-status', 'closed');
          await expect(actor.page.getByTestId('game-turn')).toHaveText(game.result[mark]);
        }
      }
      await cast.expectNoReloads();
    },
  );
}
