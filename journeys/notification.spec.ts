// Journey (a): login → post → comment → the post's author receives the notification; the badge and
// the open notification list update without a reload. Budget: notification-delivery-p95.
import { DEPTHS } from './fixtures/depth.js';
import { expect, test, tid } from './fixtures/journey.js';

const SLO = 'notification-delivery-p95';

for (const depth of DEPTHS) {
  test(
    `login, post, comment: the author is notified live (${depth.tag.slice(1)})`,
    { tag: depth.tag },
    async ({ cast, journey }) => {
      test.setTimeout(depth.timeoutMs);
      const alice = await cast.signIn(await cast.user('alice'));
      const bob = await cast.signIn(await cast.user('bob'));

      const text = `post by ${alice.user.username}`;
      await alice.page.getByTestId('nav-feed').click();
      await expect(alice.page.getByTestId('feed')).toHaveAttribute('data-state', 'loaded');
      await alice.page.getByTestId('post-input').fill(text);
      await journey.measure(alice.page, () => alice.page.getByTestId('post-submit').click(), {
        name: 'post visible in own feed after submit',
        slo: null,
        page: alice.page,
        condition: {
          selector: `${tid('post-item')} ${tid('post-body')}`,
          text,
          describe: `${alice.user.username}'s feed shows the new post`,
        },
      });
      const postId = await alice.page
        .locator(tid('post-item'))
        .filter({ hasText: text })
        .first()
        .getAttribute('data-post-id');

      await alice.page.getByTestId('nav-notifications').click();
      await expect(alice.page.getByTestId('notification-list')).toHaveAttribute('data-state', 'loaded');
      await expect(alice.page.getByTestId('notification-badge')).toHaveText('0');

      await bob.page.getByTestId('nav-feed').click();
      await bob.page
        .locator(tid('post-item', { 'data-post-id': postId! }))
        .getByTestId('post-link')
        .click();
      await expect(bob.page.getByTestId('comment-list')).toHaveAttribute('data-state', 'loaded');
      await expect(bob.page.getByTestId('post-body')).toHaveText(text);

      for (let i = 1; i <= depth.rounds; i++) {
        const comment = `comment ${i} by ${bob.user.username}`;
        await bob.page.getByTestId('comment-input').fill(comment);
        await journey.measure(
          bob.page,
          () => bob.page.getByTestId('comment-submit').click(),
          {
            name: 'notification badge updated after comment',
            slo: SLO,
            page: alice.page,
            condition: {
              selector: tid('notification-badge'),
              text: String(i),
              describe: `${alice.user.username}'s notification badge shows ${i} after ${bob.user.username}'s comment`,
            },
          },
          {
            name: 'notification listed after comment',
            slo: SLO,
            page: alice.page,
            condition: {
              selector: tid('notification-item', { 'data-type': 'comment' }),
              minCount: i,
              describe: `${alice.user.username}'s notification list shows comment notification ${i}`,
            },
          },
          {
            name: 'comment visible to its author after submit',
            slo: null,
            page: bob.page,
            condition: {
              selector: tid('comment-body'),
              text: comment,
              describe: `${bob.user.username} sees the comment`,
            },
          },
        );
      }
      const item = alice.page.locator(tid('notification-item', { 'data-type': 'comment' })).first();
      await expect(item).toHaveAttribute('data-read', 'false');
      await expect(item.getByTestId('notification-text')).toContainText(`post #${postId}`);

      await journey.measure(alice.page, () => alice.page.getByTestId('notifications-mark-read').click(), {
        name: 'badge cleared after mark all read',
        slo: null,
        page: alice.page,
        condition: {
          selector: tid('notification-badge'),
          text: '0',
          describe: `${alice.user.username}'s badge back to 0`,
        },
      });
      await cast.expectNoReloads();
    },
  );
}
