// What every view gets: the signed-in user, the realtime channels, the shared stores, navigation.
import type { Realtime } from './realtime.js';
import type { ConversationStore, NotificationStore } from './store.js';

export interface AppContext {
  readonly me: { readonly id: number; readonly username: string };
  readonly realtime: Realtime;
  readonly notifications: NotificationStore;
  readonly conversations: ConversationStore;
  navigate(path: string): void;
}

/** Renders into `root`; returns what to undo when the view is left (unsubscribe pushes, ...). */
export type View = (root: HTMLElement, params: readonly string[], ctx: AppContext) => (() => void) | void;

/** Collects cleanup functions for a view. */
export function disposer(): { add(fn: () => void): void; run(): void } {
  const fns: Array<() => void> = [];
  return { add: (fn) => void fns.push(fn), run: () => fns.splice(0).forEach((f) => f()) };
}
