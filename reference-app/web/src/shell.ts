// The signed-in page frame: navigation, the notification badge, the unread-messages total and the
// realtime status (journeys wait for "connected" before they act), around the current view.
import type { AppContext } from './context.js';
import { h } from './dom.js';
import type { RealtimeState } from './realtime.js';

export interface Shell {
  readonly main: HTMLElement;
  setStatus(state: RealtimeState): void;
  dispose(): void;
}

const link = (href: string, testid: string, ...children: Array<Node | string>) =>
  h('a', { href, 'data-link': true, testid }, ...children);

export function shell(root: HTMLElement, ctx: AppContext, onLogout: () => void): Shell {
  const badge = h('span', { class: 'badge', testid: 'notification-badge', 'data-count': 0 }, '0');
  const unreadTotal = h('span', { class: 'badge', testid: 'conversations-unread-total', 'data-count': 0 }, '0');
  const status = h('span', { class: 'muted', testid: 'realtime-status', 'data-state': 'connecting' }, 'connecting');
  const logout = h('button', { type: 'button', testid: 'logout-button', onclick: onLogout }, 'Log out');
  const main = h('main', { testid: 'view' });
  root.replaceChildren(
    h(
      'header',
      {},
      h('strong', { testid: 'current-user', 'data-user-id': ctx.me.id }, ctx.me.username),
      link('/feed', 'nav-feed', 'Feed'),
      link('/notifications', 'nav-notifications', 'Notifications ', badge),
      link('/conversations', 'nav-conversations', 'Messages ', unreadTotal),
      link('/games', 'nav-games', 'Games'),
      status,
      logout,
    ),
    main,
  );
  const setCount = (el: HTMLElement, n: number) => {
    el.textContent = String(n);
    el.dataset.count = String(n);
  };
  const offs = [
    ctx.notifications.subscribe(() => setCount(badge, ctx.notifications.unread)),
    ctx.conversations.subscribe(() => setCount(unreadTotal, ctx.conversations.totalUnread)),
  ];
  return {
    main,
    setStatus(state) {
      status.textContent = state;
      status.dataset.state = state;
    },
    dispose: () => offs.forEach((off) => off()),
  };
}
