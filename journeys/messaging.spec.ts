// Journey (b): a DM and a group conversation; the recipient's unread counts (per conversation and in
// total) and an open conversation update live, without a reload. Budget: chat-delivery-p95.
import { DEPTHS } from './fixtures/depth.js';
import { expect, test, tid, type Actor } from './fixtures/journey.js';

const SLO = 'chat-delivery-p95';

/** Types the message, then returns the click that sends it (the timed action). */
async function compose(actor: Actor, body: string): Promise<() => Promise<void>> {
  await actor.page.getByTestId('message-input').fill(body);
  return () => actor.page.getByTestId('message-submit').click();
}

for (const depth of DEPTHS) {
  test(
    `a DM and a group: unread counts update live (${depth.tag.slice(1)})`,
    { tag: depth.tag },
    async ({ cast, journey }) => {
      test.setTimeout(depth.timeoutMs);
      const carol = await cast.user('carol'); // a third group member without a browser
      const alice = await cast.signIn(await cast.user('alice'));
      const bob = await cast.signIn(await cast.user('bob'));
      const bobTotal = bob.page.getByTestId('conversations-unread-total');

      await bob.page.getByTestId('nav-conversations').click();
      await expect(bob.page.getByTestId('conversation-list')).toHaveAttribute('data-state', 'loaded');

      // Alice starts a DM with Bob; Bob's list learns about it from the first message.
      await alice.page.getByTestId('nav-conversations').click();
      await alice.page.getByTestId('new-dm-user-id').fill(String(bob.user.id));
      await alice.page.getByTestId('new-dm-submit').click();
      const dm = alice.page.getByTestId('conversation-detail');
      await expect(dm).toBeVisible();
      const dmId = await dm.getAttribute('data-conversation-id');
      for (let i = 1; i <= depth.rounds; i++) {
        await journey.measure(
          alice.page,
          await compose(alice, `dm ${i}`),
          {
            name: 'DM unread count updated in the list',
            slo: SLO,
            page: bob.page,
            condition: {
              selector: `${tid('conversation-item', { 'data-conversation-id': dmId! })} ${tid('conversation-unread')}`,
              text: String(i),
              describe: `${bob.user.username}'s list shows ${i} unread in the DM`,
            },
          },
          {
            name: 'unread total updated',
            slo: SLO,
            page: bob.page,
            condition: {
              selector: tid('conversations-unread-total'),
              text: String(i),
              describe: `${bob.user.username}'s unread total shows ${i}`,
            },
          },
        );
      }

      // Alice starts a group with Bob and Carol.
      await alice.page.getByTestId('nav-conversations').click();
      await alice.page.getByTestId('new-group-title').fill(`group of ${alice.user.username}`);
      await alice.page.getByTestId('new-group-member-ids').fill(`${bob.user.id}, ${carol.id}`);
      await alice.page.getByTestId('new-group-submit').click();
      const group = alice.page.locator(`${tid('conversation-detail')}:not([data-conversation-id="${dmId}"])`);
      await expect(group).toBeVisible();
      const groupId = await group.getAttribute('data-conversation-id');
      for (let i = 1; i <= depth.rounds; i++) {
        await journey.measure(alice.page, await compose(alice, `group ${i}`), {
          name: 'group unread count updated in the list',
          slo: SLO,
          page: bob.page,
          condition: {
            selector: `${tid('conversation-item', { 'data-conversation-id': groupId!, 'data-type': 'group' })} ${tid('conversation-unread')}`,
            text: String(i),
            describe: `${bob.user.username}'s list shows ${i} unread in the group`,
          },
        });
      }
      await expect(bobTotal).toHaveText(String(2 * depth.rounds));

      // Bob opens the DM: it is read, the total drops to the group's count.
      await bob.page
        .locator(tid('conversation-item', { 'data-conversation-id': dmId! }))
        .getByTestId('conversation-link')
        .click();
      await expect(bob.page.getByTestId('message-item')).toHaveCount(depth.rounds);
      await expect(bobTotal).toHaveText(String(depth.rounds));

      // Alice moves to the DM; a message there appears in Bob's open conversation and stays read.
      await alice.page.getByTestId('nav-conversations').click();
      await alice.page
        .locator(tid('conversation-item', { 'data-conversation-id': dmId! }))
        .getByTestId('conversation-link')
        .click();
      await expect(alice.page.getByTestId('message-item')).toHaveCount(depth.rounds);
      for (let i = 1; i <= depth.rounds; i++) {
        await journey.measure(alice.page, await compose(alice, `live ${i}`), {
          name: 'message visible in the open conversation',
          slo: SLO,
          page: bob.page,
          condition: {
            selector: tid('message-body'),
            text: `live ${i}`,
            describe: `${bob.user.username}'s open DM shows "live ${i}"`,
          },
        });
        await journey.measure(bob.page, await compose(bob, `reply ${i}`), {
          name: 'reply visible to the other side',
          slo: SLO,
          page: alice.page,
          condition: {
            selector: tid('message-body'),
            text: `reply ${i}`,
            describe: `${alice.user.username}'s open DM shows "reply ${i}"`,
          },
        });
      }
      await expect(bobTotal).toHaveText(String(depth.rounds));
      await cast.expectNoReloads();
    },
  );
}
