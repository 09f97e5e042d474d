// The reference web client (docs/ui-contract.md): a single page on the platform's REST API and
// WebSockets. Signing in starts the realtime channels and the shared stores; pages are client-side
// routes, so nothing reloads the document while the user moves around.
import { logout, setUnauthorizedHandler } from './api.js';
import type { AppContext } from './context.js';
import { fill, h } from './dom.js';
import { FLAGS } from './flags.js';
import { Realtime } from './realtime.js';
import { match } from './router.js';
import { loadSession, type Session } from './session.js';
import { shell, type Shell } from './shell.js';
import { ConversationStore, NotificationStore, type Notification } from './store.js';
import { loginView } from './views/login.js';

interface Running {
  readonly ctx: AppContext;
  readonly shell: Shell;
  disposeView?: (() => void) | undefined;
}

const root = document.getElementById('app')!;
let running: Running | null = null;

function navigate(path: string, replace = false): void {
  if (path !== location.pathname) history[replace ? 'replaceState' : 'pushState'](null, '', path);
  render();
}

function startSession(session: Session): Running {
  const notifications = new NotificationStore();
  const conversations = new ConversationStore();
  let frame: Shell | undefined;
  const realtime = new Realtime((state) => {
    if (state !== 'connected') return frame?.setStatus(state);
    // (Re)connected: pushes sent while away are lost, so resync over HTTP before saying "connected".
    void Promise.all([notifications.sync(), conversations.sync()]).then(
      () => realtime.state === 'connected' && frame?.setStatus('connected'),
      () => frame?.setStatus('offline'),
    );
  });
  const ctx: AppContext = { me: session.user, realtime, notifications, conversations, navigate };
  if (FLAGS.notificationPush)
    realtime.on('notifications', 'notification', (p) => void notifications.received(p.data as Notification));
  realtime.on('chat', 'message', (p) => void conversations.received(p.data, session.user.id));
  frame = shell(root, ctx, () => void endSession(true).then(() => navigate('/login', true)));
  realtime.start();
  return { ctx, shell: frame };
}

async function endSession(serverLogout: boolean): Promise<void> {
  if (!running) return;
  running.disposeView?.();
  running.shell.dispose();
  running.ctx.realtime.stop();
  running = null;
  if (serverLogout) await logout();
}

function render(): void {
  running?.disposeView?.();
  if (running) running.disposeView = undefined;
  const session = loadSession();
  if (!session) {
    void endSession(false);
    if (location.pathname !== '/login') history.replaceState(null, '', '/login');
    return loginView(root, () => navigate('/feed', true));
  }
  if (running && running.ctx.me.id !== session.user.id) void endSession(false);
  running ??= startSession(session);
  if (location.pathname === '/' || location.pathname === '/login') history.replaceState(null, '', '/feed');
  const route = match(location.pathname);
  if (!route) return fill(running.shell.main, h('p', { testid: 'not-found' }, `No page at ${location.pathname}`));
  running.disposeView = route.view(running.shell.main, route.params, running.ctx) ?? undefined;
}

document.addEventListener('click', (ev) => {
  const a = (ev.target as Element | null)?.closest?.('a[data-link]');
  if (!a || ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
  ev.preventDefault();
  navigate(a.getAttribute('href') ?? '/');
});
window.addEventListener('popstate', render);
setUnauthorizedHandler(() => navigate('/login', true));
render();
