// Display text for API objects.
import type { Notification } from './store.js';

export function notificationText(n: Notification): string {
  const p = n.payload as Record<string, number | string | undefined>;
  switch (n.type) {
    case 'comment':
      return `New comment on your post #${p.post_id}`;
    case 'like':
      return `New like on your post #${p.post_id}`;
    case 'message':
      return `New message in conversation #${p.conversation_id}`;
    case 'game_invite':
      return `Game invite: room #${p.room_id}`;
    case 'game_turn':
      return `Your turn in game #${p.room_id}`;
    default:
      return n.type;
  }
}

/** Where a notification leads. */
export function notificationHref(n: Notification): string | null {
  const p = n.payload as Record<string, number | undefined>;
  if (p.post_id) return `/posts/${p.post_id}`;
  if (p.conversation_id) return `/conversations/${p.conversation_id}`;
  if (p.room_id) return `/games/${p.room_id}`;
  return null;
}

export const time = (iso: string) => new Date(iso).toLocaleTimeString();
