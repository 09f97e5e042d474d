// Feed, posts and comments: read-heavy with write bursts; everything written is read back, so an
// integrity regression fails a check rather than hiding in a 200.
import { api, sessionFor } from '../lib/api.js';
import type { Flow } from '../lib/client.js';

interface Post {
  id: number;
  body: string;
  like_count?: number;
  liked?: boolean;
}
interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

/** Share of iterations that write (the rest only read the feed). */
const WRITE_SHARE = 0.3;

export const postsFlow: Flow = async (client, ctx) => {
  const me = await sessionFor(client, ctx, 'posts');
  const feed = await api(client, me, 'GET', '/api/posts?limit=20', '/api/posts');
  client.check('feed: 200', feed.status === 200);
  const page = feed.body as Page<Post> | null;
  if (page?.next_cursor) {
    const next = await api(client, me, 'GET', `/api/posts?limit=20&cursor=${page.next_cursor}`, '/api/posts');
    client.check('feed page 2: 200', next.status === 200);
  }
  const someone = page?.items[Math.floor(client.random() * page.items.length)];
  if (someone) {
    const one = await api(client, me, 'GET', `/api/posts/${someone.id}`, '/api/posts/:id');
    client.check('post read: 200 or 404 (deleted meanwhile)', one.status === 200 || one.status === 404);
    await api(client, me, 'GET', `/api/posts/${someone.id}/comments?limit=20`, '/api/posts/:id/comments');
  }
  if (client.random() >= WRITE_SHARE) return;

  const text = `load post ${client.vu.id}.${client.vu.iteration}`;
  const created = await api(client, me, 'POST', '/api/posts', '/api/posts', { body: text });
  if (!client.check('post create: 201', created.status === 201)) return;
  const post = created.body as Post;
  const read = await api(client, me, 'GET', `/api/posts/${post.id}`, '/api/posts/:id');
  client.check('post reads back what was written', (read.body as Post | null)?.body === text);

  const comment = await api(client, me, 'POST', `/api/posts/${post.id}/comments`, '/api/posts/:id/comments', {
    body: `comment on ${post.id}`,
  });
  client.check('comment create: 201', comment.status === 201);
  const comments = await api(client, me, 'GET', `/api/posts/${post.id}/comments?limit=20`, '/api/posts/:id/comments');
  const commentId = (comment.body as { id: number } | null)?.id;
  client.check(
    'comment listed',
    !!(comments.body as Page<{ id: number }> | null)?.items.some((c) => c.id === commentId),
  );

  const liked = await api(client, me, 'PUT', `/api/posts/${post.id}/like`, '/api/posts/:id/like');
  client.check('like: 200', liked.status === 200);
  const unliked = await api(client, me, 'DELETE', `/api/posts/${post.id}/like`, '/api/posts/:id/like');
  client.check('unlike: 200', unliked.status === 200);

  const edited = `${text} (edited)`;
  const update = await api(client, me, 'PATCH', `/api/posts/${post.id}`, '/api/posts/:id', { body: edited });
  client.check('post update: 200', update.status === 200);
  const reread = await api(client, me, 'GET', `/api/posts/${post.id}`, '/api/posts/:id');
  client.check('post update reads back', (reread.body as Post | null)?.body === edited);

  if (commentId) {
    const delComment = await api(client, me, 'DELETE', `/api/comments/${commentId}`, '/api/comments/:id');
    client.check('comment delete: 204', delComment.status === 204);
  }
  const del = await api(client, me, 'DELETE', `/api/posts/${post.id}`, '/api/posts/:id');
  client.check('post delete: 204', del.status === 204);
  const gone = await api(client, me, 'GET', `/api/posts/${post.id}`, '/api/posts/:id');
  client.check('deleted post is gone: 404', gone.status === 404);
};
