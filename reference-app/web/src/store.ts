// Client state the header and several views share: unread notifications and per-conversation unread
// message counts. Both are synced over HTTP and then kept current by pushes; ids already counted are
// remembered so a push that races the HTTP sync is never counted twice.
import { api } from './api.js';

type Listener = () => void;

export interface Notification {
  id: number;
  type: string;
  payload: Record<string, unknown>;
  created_at: string;
  read: boolean;
}

export interface Conversation {
  id: number;
  type: 'dm' | 'group';
  title: string | null;
  unread: number;
  last_message_id: number | null;
}

class Emitter {
  private readonly listeners = new Set<Listener>();
  subscribe(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
  protected emit(): void {
    for (const fn of this.listeners) fn();
  }
}

export class NotificationStore extends Emitter {
  unread = 0;
  /** Views showing the list subscribe here: called once per new pushed notification. */
  readonly added = new Set<(n: Notification) => void>();
  private unreadIds = new Set<number>();
  private pushedDuringSync: Set<number> | null = null;

  async sync(): Promise<void> {
    const pushed = (this.pushedDuringSync = new Set());
    const [count, list] = await Promise.all([
      api<{ unread: number }>('GET', '/api/notifications/unread-count'),
      api<{ items: Notification[] }>('GET', '/api/notifications?unread=true&limit=100'),
    ]);
    this.pushedDuringSync = null;
    this.unreadIds = new Set(list.items.map((n) => n.id));
    let extra = 0;
    for (const id of pushed) if (!this.unreadIds.has(id)) (this.unreadIds.add(id), extra++);
    this.unread = count.unread + extra;
    this.emit();
  }

  /** A pushed notification; true when it was new. */
  received(n: Notification): boolean {
    this.pushedDuringSync?.add(n.id);
    if (n.read || this.unreadIds.has(n.id)) return false;
    this.unreadIds.add(n.id);
    this.unread++;
    this.emit();
    for (const fn of this.added) fn(n);
    return true;
  }

  async markAllRead(): Promise<void> {
    const r = await api<{ unread: number }>('POST', '/api/notifications/read', { all: true });
    this.unreadIds.clear();
    this.unread = r.unread;
    this.emit();
  }
}

export class ConversationStore extends Emitter {
  readonly byId = new Map<number, Conversation>();
  /** The conversation on screen: its messages are read as they arrive. */
  openId: number | null = null;
  private counted = new Set<number>();

  get totalUnread(): number {
    let n = 0;
    for (const c of this.byId.values()) n += c.unread;
    return n;
  }

  async sync(): Promise<void> {
    const list = await api<{ items: Conversation[] }>('GET', '/api/conversations?limit=100');
    this.byId.clear();
    for (const c of list.items) this.byId.set(c.id, c);
    this.counted.clear();
    this.emit();
  }

  /** A pushed message. Messages of unknown conversations resync the list (its counts come from the server). */
  async received(msg: { id: number; conversation_id: number; sender_id: number }, me: number): Promise<void> {
    const conv = this.byId.get(msg.conversation_id);
    if (!conv) return this.sync();
    if (msg.sender_id === me || this.counted.has(msg.id) || (conv.last_message_id ?? 0) >= msg.id) return;
    this.counted.add(msg.id);
    conv.last_message_id = msg.id;
    if (this.openId !== msg.conversation_id) conv.unread++;
    this.emit();
  }

  /** Marks the conversation read on the server and locally. */
  async markRead(id: number): Promise<void> {
    const c = await api<Conversation>('POST', `/api/conversations/${id}/read`, {});
    const known = this.byId.get(id);
    if (known) known.unread = c.unread;
    else this.byId.set(id, { ...c, last_message_id: null });
    this.emit();
  }

  upsert(c: Conversation): void {
    this.byId.set(c.id, { ...this.byId.get(c.id), ...c });
    this.emit();
  }
}
