// /posts/:id: the post, its comments (newest first) and the comment form. A comment notification
// about this post (the viewer is its author) reloads the comments, so they appear without a reload.
import { api } from '../api.js';
import type { View } from '../context.js';
import { fill, form, h, insertById } from '../dom.js';
import type { Notification } from '../store.js';
import type { Post } from './feed.js';

interface Comment {
  id: number;
  author: string;
  body: string;
}

const commentItem = (c: Comment) =>
  h(
    'li',
    { testid: 'comment-item', 'data-comment-id': c.id },
    h('strong', { testid: 'comment-author' }, c.author),
    ' ',
    h('span', { testid: 'comment-body' }, c.body),
  );

export const postView: View = (root, [idText], ctx) => {
  const id = Number(idText);
  const detail = h('article', { testid: 'post-detail', 'data-post-id': id });
  const list = h('ul', { testid: 'comment-list', 'data-state': 'loading' });
  const shown = new Set<number>();
  const show = (items: Comment[]) => {
    for (const c of items) {
      if (shown.has(c.id)) continue;
      shown.add(c.id);
      insertById(list, commentItem(c), c.id, 'newest-first');
    }
  };
  const load = () =>
    api<{ items: Comment[] }>('GET', `/api/posts/${id}/comments?limit=100`).then((r) => {
      show(r.items);
      list.dataset.state = 'loaded';
    });
  const comment = form(
    { testid: 'comment-form' },
    async (v, f) => {
      const c = await api<{ id: number; body: string }>('POST', `/api/posts/${id}/comments`, { body: v.body });
      show([{ ...c, author: ctx.me.username }]);
      f.reset();
    },
    h('input', {
      name: 'body',
      testid: 'comment-input',
      placeholder: 'Write a comment',
      required: true,
      maxlength: 4000,
    }),
    h('button', { type: 'submit', testid: 'comment-submit' }, 'Comment'),
  );
  fill(root, detail, comment, h('h2', {}, 'Comments'), list);
  void api<Post>('GET', `/api/posts/${id}`)
    .then((p) =>
      fill(detail, h('strong', { testid: 'post-author' }, p.author), ' ', h('p', { testid: 'post-body' }, p.body)),
    )
    .catch((err: Error) => fill(detail, h('p', { class: 'error' }, err.message)));
  void load();
  const onNotification = (n: Notification) => {
    if (n.type === 'comment' && Number(n.payload.post_id) === id) void load();
  };
  ctx.notifications.added.add(onNotification);
  return () => ctx.notifications.added.delete(onNotification);
};
