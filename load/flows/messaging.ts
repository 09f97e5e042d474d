// DM and group chat over WebSockets: a sender and a recipient per VU, messages sent over the chat
// socket, delivery latency measured end to end (send → receipt on the other client), then read
// state and unread counts checked over HTTP.
import { api, openChannel, sessionFor, waitFor, type Session } from '../lib/api.js';
import type { Flow, FlowContext, LoadClient } from '../lib/client.js';

const MESSAGES_PER_ITERATION = 4;
const DELIVERY_TIMEOUT_MS = 5_000;

interface Conversations {
  dm: number;
  group: number;
}

async function conversations(client: LoadClient, ctx: FlowContext, a: Session, b: Session): Promise<Conversations> {
  const known = ctx.state.get('conversations') as Conversations | undefined;
  if (known) return known;
  const dm = await api(client, a, 'POST', '/api/conversations', '/api/conversations', {
    type: 'dm',
    user_id: b.userId,
  });
  const group = await api(client, a, 'POST', '/api/conversations', '/api/conversations', {
    type: 'group',
    title: `load ${client.vu.id}`,
    member_ids: [b.userId],
  });
  client.check('conversation create: 201', dm.status === 201 && group.status === 201);
  const ids = { dm: (dm.body as { id: number }).id, group: (group.body as { id: number }).id };
  ctx.state.set('conversations', ids);
  return ids;
}

export const messagingFlow: Flow = async (client, ctx) => {
  const a = await sessionFor(client, ctx, 'chat_a');
  const b = await sessionFor(client, ctx, 'chat_b');
  const conv = await conversations(client, ctx, a, b);

  const pending = new Map<string, number>();
  let delivered = 0;
  const recipient = await openChannel(client, b, 'chat', (msg) => {
    if (msg.type !== 'message') return;
    const text = String((msg.data as { body?: string } | undefined)?.body ?? '');
    const sentAt = pending.get(text);
    if (sentAt === undefined) return;
    client.trend('chat_delivery', client.now() - sentAt);
    pending.delete(text);
    delivered++;
  });
  const acks: string[] = [];
  const sender = await openChannel(client, a, 'chat', (msg) => {
    if (msg.type === 'ack' || msg.type === 'error') acks.push(String(msg.type));
  });
  try {
    for (let i = 0; i < MESSAGES_PER_ITERATION; i++) {
      const conversationId = i % 2 ? conv.group : conv.dm;
      const text = `m ${client.vu.id}.${client.vu.iteration}.${i}`;
      pending.set(text, client.now());
      sender.send({ type: 'send', conversation_id: conversationId, body: text, ref: i });
      await client.sleep(0.05 + client.random() * 0.2);
    }
    // The ack travels to the sender after the handler returns, the delivery to the recipient through
    // Redis pub/sub meanwhile: either can arrive last, so both are awaited before either is judged.
    const acked = () => acks.length === MESSAGES_PER_ITERATION;
    await waitFor(client, () => delivered === MESSAGES_PER_ITERATION && acked(), DELIVERY_TIMEOUT_MS);
    client.check('chat: every message delivered over WS', delivered === MESSAGES_PER_ITERATION);
    client.check('chat: every send acknowledged', acked() && acks.every((t) => t === 'ack'));
  } finally {
    sender.close();
    recipient.close();
  }

  // What the recipient saw over the socket is what PostgreSQL holds.
  const history = await api(
    client,
    b,
    'GET',
    `/api/conversations/${conv.dm}/messages?limit=5`,
    '/api/conversations/:id/messages',
  );
  const bodies = ((history.body as { items?: { body: string }[] } | null)?.items ?? []).map((m) => m.body);
  client.check('chat: history holds the last DM', bodies.includes(`m ${client.vu.id}.${client.vu.iteration}.2`));

  const before = await api(client, b, 'GET', '/api/conversations/unread-counts', '/api/conversations/unread-counts');
  client.check('chat: unread counted', ((before.body as { total?: number } | null)?.total ?? 0) >= 1);
  for (const id of [conv.dm, conv.group])
    await api(client, b, 'POST', `/api/conversations/${id}/read`, '/api/conversations/:id/read', {});
  const after = await api(client, b, 'GET', '/api/conversations/unread-counts', '/api/conversations/unread-counts');
  client.check('chat: unread is 0 after marking read', (after.body as { total?: number } | null)?.total === 0);
};
