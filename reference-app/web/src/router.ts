// Client-side routes (docs/ui-contract.md). Navigation uses the History API: moving between pages
// never reloads the document, so realtime state and sockets survive it.
import type { View } from './context.js';
import { feedView } from './views/feed.js';
import { gameView, gamesView } from './views/games.js';
import { conversationView, conversationsView } from './views/conversations.js';
import { notificationsView } from './views/notifications.js';
import { postView } from './views/post.js';

export interface Route {
  readonly pattern: RegExp;
  readonly view: View;
}

export const ROUTES: readonly Route[] = [
  { pattern: /^\/feed$/, view: feedView },
  { pattern: /^\/posts\/(\d+)$/, view: postView },
  { pattern: /^\/notifications$/, view: notificationsView },
  { pattern: /^\/conversations$/, view: conversationsView },
  { pattern: /^\/conversations\/(\d+)$/, view: conversationView },
  { pattern: /^\/games$/, view: gamesView },
  { pattern: /^\/games\/(\d+)$/, view: gameView },
];

export function match(path: string): { view: View; params: string[] } | null {
  for (const r of ROUTES) {
    const m = r.pattern.exec(path);
    if (m) return { view: r.view, params: m.slice(1) };
  }
  return null;
}
