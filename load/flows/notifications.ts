// Notification fan-out: a subscriber listens on the notifications socket while writers comment on
// and like its post; fan-out latency is measured from the write to receipt, and the unread count
// after a refresh must match what arrived.
import { api, openChannel, sessionFor, waitFor } from '../lib/api.js';
import type { Flow } from '../lib/client.js';

const WRITES_PER_ITERATION = 3;
const DELIVERY_TIMEOUT_MS = 5_000;

export const notificationsFlow: Flow = async (client, ctx) => {
  const subscriber = await sessionFor(client, ctx, 'notif_sub');
  const writer = await sessionFor(client, ctx, 'notif_wr');
  let postId = ctx.state.get('postId') as number | undefined;
  if (!postId) {
    const created = await api(client, subscriber, 'POST', '/api/posts', '/api/posts', {
      body: `notify me ${client.vu.id}`,
    });
    if (!client.check('notifications: post created', created.status === 201)) return;
    postId = (created.body as { id: number }).id;
    ctx.state.set('postId', postId);
  }
  // Start each iteration with nothing unread, so the count afterwards is this iteration's.
  await api(client, subscriber, 'POST', '/api/notifications/read', '/api/notifications/read', { all: true });

  const sentAt: number[] = [];
  let received = 0;
  const socket = await openChannel(client, subscriber, 'notifications', (msg) => {
    if (msg.type !== 'notification') return;
    const at = sentAt[received];
    if (at !== undefined) client.trend('notification_delivery', client.now() - at);
    received++;
  });
  try {
    for (let i = 0; i < WRITES_PER_ITERATION; i++) {
      sentAt.push(client.now());
      const res = await api(client, writer, 'POST', `/api/posts/${postId}/comments`, '/api/posts/:id/comments', {
        body: `ping ${i}`,
      });
      client.check('notifications: comment 201', res.status === 201);
      await client.sleep(0.05 + client.random() * 0.1);
    }
    client.check(
      'notifications: every event delivered over WS',
      await waitFor(client, () => received >= WRITES_PER_ITERATION, DELIVERY_TIMEOUT_MS),
    );
  } finally {
    socket.close();
  }
  const unread = await api(
    client,
    subscriber,
    'GET',
    '/api/notifications/unread-count',
    '/api/notifications/unread-count',
  );
  client.check(
    'notifications: unread count matches deliveries after refresh',
    (unread.body as { unread?: number } | null)?.unread === received,
  );
  const list = await api(client, subscriber, 'GET', '/api/notifications?unread=true&limit=20', '/api/notifications');
  client.check(
    'notifications: list shows them',
    ((list.body as { items?: unknown[] } | null)?.items?.length ?? 0) === received,
  );
};
