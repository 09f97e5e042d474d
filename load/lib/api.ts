// The platform API as flows use it: every request records the 5xx signal, auth operations record
// the auth-failure signal, sessions refresh themselves, and WebSockets go through the ticket flow.
import type { FlowContext, HttpResponse, LoadClient, RequestOptions, WsHandle } from './client.js';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export async function call(
  client: LoadClient,
  method: Method,
  path: string,
  opts: RequestOptions,
): Promise<HttpResponse> {
  const res = await client.request(method, path, opts);
  client.rate('http_5xx', res.status >= 500 || res.status === 0);
  return res;
}

export interface Session {
  readonly userId: number;
  readonly username: string;
  readonly password: string;
  access: string;
  refresh: string;
  /** Client time after which the access token is refreshed before use. */
  refreshAt: number;
}

interface TokenBody {
  user?: { id: number; username: string };
  access_token: string;
  refresh_token: string;
  expires_in: number;
}

const PASSWORD = 'load-test-password';

/**
 * Run-unique user names (the database outlives runs): the run's id, the role, VU and iteration.
 * Roles are short snake_case words: names allow [a-z0-9_] and 32 characters.
 */
export function uniqueName(client: LoadClient, ctx: Pick<FlowContext, 'runId'>, role: string): string {
  const name = `lt${ctx.runId}_${role}_${client.vu.id}_${client.vu.iteration}`;
  if (!/^[a-z0-9_]{3,32}$/.test(name))
    throw new Error(`user name "${name}" does not fit the API's rules: shorten the role`);
  return name;
}

/** A run id: six base-36 characters, `prefix` (e.g. a per-process sequence) first. */
export function newRunId(random: () => number, prefix = ''): string {
  let id = prefix;
  while (id.length < 6) id += Math.floor(random() * 36).toString(36);
  return id.slice(0, 6);
}

async function authOp(
  client: LoadClient,
  op: 'signup' | 'login' | 'refresh' | 'logout',
  body: unknown,
  expect: number,
): Promise<HttpResponse> {
  const res = await call(client, 'POST', `/api/auth/${op}`, { body, name: `/api/auth/${op}` });
  client.rate('auth_failures', res.status >= 400 || res.status === 0);
  client.check(`auth ${op}: ${expect}`, res.status === expect);
  return res;
}

function toSession(body: TokenBody, username: string, userId: number, client: LoadClient): Session {
  // Refresh with a third of the lifetime left, so a slow iteration never uses an expired token.
  return {
    userId,
    username,
    password: PASSWORD,
    access: body.access_token,
    refresh: body.refresh_token,
    refreshAt: client.now() + (body.expires_in * 1000 * 2) / 3,
  };
}

export async function signup(client: LoadClient, ctx: Pick<FlowContext, 'runId'>, role: string): Promise<Session> {
  const username = uniqueName(client, ctx, role);
  const res = await authOp(client, 'signup', { username, password: PASSWORD }, 201);
  if (res.status !== 201) throw new Error(`signup failed with ${res.status}`);
  const body = res.body as TokenBody;
  return toSession(body, username, body.user!.id, client);
}

export async function login(
  client: LoadClient,
  s: Pick<Session, 'username' | 'password' | 'userId'>,
): Promise<Session> {
  const res = await authOp(client, 'login', { username: s.username, password: s.password }, 200);
  if (res.status !== 200) throw new Error(`login failed with ${res.status}`);
  return toSession(res.body as TokenBody, s.username, s.userId, client);
}

/** A login with a wrong password: must be refused with 401 (and counts as an auth failure). */
export async function wrongPasswordLogin(client: LoadClient, username: string): Promise<void> {
  await authOp(client, 'login', { username, password: 'definitely-wrong-password' }, 401);
}

/** Rotates the refresh token; the old one must not work again (checked by the API's 401 on reuse). */
export async function refresh(client: LoadClient, s: Session): Promise<Session> {
  const res = await authOp(client, 'refresh', { refresh_token: s.refresh }, 200);
  if (res.status !== 200) throw new Error(`refresh failed with ${res.status}`);
  const next = toSession(res.body as TokenBody, s.username, s.userId, client);
  client.check('auth refresh: token rotated', next.refresh !== s.refresh);
  return next;
}

export async function logout(client: LoadClient, s: Session): Promise<void> {
  await authOp(client, 'logout', { refresh_token: s.refresh }, 204);
}

/** A session kept across a VU's iterations in `state`, refreshed before its access token expires. */
export async function sessionFor(client: LoadClient, ctx: FlowContext, role: string): Promise<Session> {
  const { state } = ctx;
  let s = state.get(`session:${role}`) as Session | undefined;
  if (!s) s = await signup(client, ctx, role);
  else if (client.now() >= s.refreshAt) s = await refresh(client, s);
  state.set(`session:${role}`, s);
  return s;
}

/** Authenticated JSON call; `name` is the route template for metrics. */
export const api = (client: LoadClient, s: Session, method: Method, path: string, name: string, body?: unknown) =>
  call(client, method, path, { token: s.access, name, ...(body === undefined ? {} : { body }) });

export type Channel = 'chat' | 'notifications' | 'games';

/** The WS ticket flow: a one-time ticket over HTTP, then `/api/ws/<channel>?ticket=`. */
export async function openChannel(
  client: LoadClient,
  s: Session,
  channel: Channel,
  onMessage: (msg: Record<string, unknown>) => void,
): Promise<WsHandle> {
  const res = await api(client, s, 'POST', '/api/ws/ticket', '/api/ws/ticket');
  if (!client.check('ws ticket: 200', res.status === 200)) throw new Error(`ticket refused with ${res.status}`);
  const { ticket } = res.body as { ticket: string };
  return client.websocket(`/api/ws/${channel}?ticket=${encodeURIComponent(ticket)}`, {
    onMessage: (data) => data && typeof data === 'object' && onMessage(data as Record<string, unknown>),
  });
}

/** Resolves when `predicate` holds, or with false after `timeoutMs`; polls every 20 ms. */
export async function waitFor(client: LoadClient, predicate: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = client.now() + timeoutMs;
  while (!predicate()) {
    if (client.now() >= deadline) return false;
    await client.sleep(0.02);
  }
  return true;
}
