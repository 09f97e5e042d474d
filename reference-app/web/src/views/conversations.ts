// /conversations: new DM and group forms, and my conversations with their unread counts, kept
// current by chat pushes. /conversations/:id: the messages (oldest first) and the send form; an open
// conversation is read as messages arrive.
import { api } from '../api.js';
import { disposer, type View } from '../context.js';
import { fill, form, h, insertById } from '../dom.js';
import type { Conversation } from '../store.js';

interface Message {
  id: number;
  conversation_id: number;
  sender_id: number;
  body: string;
}

const title = (c: Pick<Conversation, 'id' | 'type' | 'title'>) =>
  c.title ?? (c.type === 'dm' ? `Direct message #${c.id}` : `Group #${c.id}`);

const conversationItem = (c: Conversation) =>
  h(
    'li',
    { testid: 'conversation-item', 'data-conversation-id': c.id, 'data-type': c.type },
    h(
      'a',
      { href: `/conversations/${c.id}`, 'data-link': true, testid: 'conversation-link' },
      h('span', { testid: 'conversation-title' }, title(c)),
    ),
    ' ',
    h('span', { class: 'badge', testid: 'conversation-unread', 'data-count': c.unread }, c.unread),
  );

const ids = (text: string) =>
  text
    .split(/[\s,]+/)
    .filter(Boolean)
    .map(Number);

export const conversationsView: View = (root, _params, ctx) => {
  const list = h('ul', { testid: 'conversation-list', 'data-state': 'loading' });
  const render = () =>
    fill(list, ...[...ctx.conversations.byId.values()].sort((a, b) => b.id - a.id).map(conversationItem));
  const open = async (body: unknown) => {
    const c = await api<Conversation>('POST', '/api/conversations', body);
    ctx.conversations.upsert({ ...c, last_message_id: ctx.conversations.byId.get(c.id)?.last_message_id ?? null });
    ctx.navigate(`/conversations/${c.id}`);
  };
  const dm = form(
    { testid: 'new-dm-form' },
    (v) => open({ type: 'dm', user_id: Number(v.user_id) }),
    h('input', {
      name: 'user_id',
      testid: 'new-dm-user-id',
      placeholder: 'user id',
      required: true,
      inputmode: 'numeric',
    }),
    h('button', { type: 'submit', testid: 'new-dm-submit' }, 'Start DM'),
  );
  const group = form(
    { testid: 'new-group-form' },
    (v) => open({ type: 'group', title: v.title, member_ids: ids(v.member_ids ?? '') }),
    h('input', {
      name: 'title',
      testid: 'new-group-title',
      placeholder: 'group title',
      required: true,
      maxlength: 100,
    }),
    h('input', {
      name: 'member_ids',
      testid: 'new-group-member-ids',
      placeholder: 'member ids, comma separated',
      required: true,
    }),
    h('button', { type: 'submit', testid: 'new-group-submit' }, 'Start group'),
  );
  fill(root, h('h1', {}, 'Conversations'), dm, group, list);
  const d = disposer();
  d.add(ctx.conversations.subscribe(render));
  void ctx.conversations.sync().then(() => (list.dataset.state = 'loaded'));
  return d.run;
};

export const conversationView: View = (root, [idText], ctx) => {
  const id = Number(idText);
  const heading = h('h1', { testid: 'conversation-title' }, `Conversation #${id}`);
  const list = h('ul', { testid: 'message-list', 'data-state': 'loading' });
  const shown = new Set<number>();
  const show = (m: Message) => {
    if (shown.has(m.id)) return;
    shown.add(m.id);
    const mine = m.sender_id === ctx.me.id;
    insertById(
      list,
      h(
        'li',
        { testid: 'message-item', 'data-message-id': m.id, 'data-sender-id': m.sender_id, 'data-mine': String(mine) },
        h('span', { testid: 'message-body' }, m.body),
      ),
      m.id,
      'oldest-first',
    );
  };
  const send = form(
    { testid: 'message-form' },
    async (v, f) => {
      show(await api<Message>('POST', `/api/conversations/${id}/messages`, { body: v.body }));
      f.reset();
    },
    h('input', {
      name: 'body',
      testid: 'message-input',
      placeholder: 'Message',
      required: true,
      maxlength: 4000,
      autocomplete: 'off',
    }),
    h('button', { type: 'submit', testid: 'message-submit' }, 'Send'),
  );
  fill(root, h('section', { testid: 'conversation-detail', 'data-conversation-id': id }, heading, list, send));
  const d = disposer();
  ctx.conversations.openId = id;
  d.add(() => (ctx.conversations.openId = null));
  d.add(
    ctx.realtime.on('chat', 'message', (p) => {
      const m = p.data as Message;
      if (m.conversation_id !== id) return;
      show(m);
      if (m.sender_id !== ctx.me.id) void ctx.conversations.markRead(id);
    }),
  );
  void Promise.all([
    api<Conversation & { members: { id: number; username: string }[] }>('GET', `/api/conversations/${id}`),
    api<{ items: Message[] }>('GET', `/api/conversations/${id}/messages?limit=100`),
  ])
    .then(async ([c, msgs]) => {
      heading.textContent = title(c);
      for (const m of msgs.items) show(m);
      list.dataset.state = 'loaded';
      await ctx.conversations.markRead(id);
    })
    .catch((err: Error) => fill(list, h('li', { class: 'error' }, err.message)));
  return d.run;
};
