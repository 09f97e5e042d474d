// /notifications: the notification list (newest first), updated by pushes, and "mark all read".
import { api } from '../api.js';
import type { View } from '../context.js';
import { fill, h, insertById } from '../dom.js';
import { notificationHref, notificationText, time } from '../format.js';
import type { Notification } from '../store.js';

const item = (n: Notification) => {
  const href = notificationHref(n);
  const text = h('span', { testid: 'notification-text' }, notificationText(n));
  return h(
    'li',
    { testid: 'notification-item', 'data-notification-id': n.id, 'data-type': n.type, 'data-read': String(n.read) },
    href ? h('a', { href, 'data-link': true }, text) : text,
    ' ',
    h('span', { class: 'muted' }, time(n.created_at)),
  );
};

export const notificationsView: View = (root, _params, ctx) => {
  const list = h('ul', { testid: 'notification-list', 'data-state': 'loading' });
  const shown = new Set<number>();
  const add = (n: Notification) => {
    if (shown.has(n.id)) return;
    shown.add(n.id);
    insertById(list, item(n), n.id, 'newest-first');
  };
  const markAll = h('button', { testid: 'notifications-mark-read', type: 'button' }, 'Mark all read');
  markAll.addEventListener('click', () => {
    void ctx.notifications.markAllRead().then(() => {
      for (const li of list.querySelectorAll<HTMLElement>('[data-testid="notification-item"]'))
        li.dataset.read = 'true';
    });
  });
  fill(root, h('h1', {}, 'Notifications'), markAll, list);
  ctx.notifications.added.add(add);
  void api<{ items: Notification[] }>('GET', '/api/notifications?limit=50').then((r) => {
    for (const n of r.items) add(n);
    list.dataset.state = 'loaded';
  });
  return () => ctx.notifications.added.delete(add);
};
