// /feed: the new-post form and the feed (every post, newest first).
import { api } from '../api.js';
import type { View } from '../context.js';
import { fill, form, h } from '../dom.js';

export interface Post {
  id: number;
  author: string;
  author_id: number;
  body: string;
  created_at: string;
  comment_count: number;
  like_count: number;
}

export const postItem = (p: Post) =>
  h(
    'li',
    { testid: 'post-item', 'data-post-id': p.id },
    h('strong', { testid: 'post-author' }, p.author),
    ' ',
    h('span', { testid: 'post-body' }, p.body),
    ' ',
    h(
      'a',
      { href: `/posts/${p.id}`, 'data-link': true, testid: 'post-link' },
      h('span', { testid: 'post-comment-count' }, p.comment_count),
      ' comments',
    ),
  );

export const feedView: View = (root) => {
  const list = h('ul', { testid: 'feed', 'data-state': 'loading' });
  const post = form(
    { testid: 'post-form' },
    async (v, f) => {
      const created = await api<Post>('POST', '/api/posts', { body: v.body });
      list.prepend(postItem(created));
      f.reset();
    },
    h('input', { name: 'body', testid: 'post-input', placeholder: 'What is new?', required: true, maxlength: 4000 }),
    h('button', { type: 'submit', testid: 'post-submit' }, 'Post'),
  );
  fill(root, h('h1', {}, 'Feed'), post, list);
  void api<{ items: Post[] }>('GET', '/api/posts?limit=50').then((r) => {
    fill(list, ...r.items.map(postItem));
    list.dataset.state = 'loaded';
  });
};
