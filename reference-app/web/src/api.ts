// The platform's REST API (docs/reference-app.md), with the session's bearer token. A 401 on an
// authenticated call drops the session (the router then shows the login page).
import { loadSession, saveSession, type Session } from './session.js';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

let onUnauthorized: () => void = () => {};
export const setUnauthorizedHandler = (fn: () => void) => (onUnauthorized = fn);

export async function api<T = any>(method: string, path: string, body?: unknown): Promise<T> {
  const session = loadSession();
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (session) headers.authorization = `Bearer ${session.accessToken}`;
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const data = res.status === 204 ? null : await res.json().catch(() => null);
  if (!res.ok) {
    if (res.status === 401 && session) {
      saveSession(null);
      onUnauthorized();
    }
    throw new ApiError(res.status, data?.error ?? 'error', data?.message ?? `${method} ${path}: ${res.status}`);
  }
  return data as T;
}

interface TokenResponse {
  user: { id: number; username: string };
  access_token: string;
  refresh_token: string;
}

/** Logs in (or signs up) and stores the session. */
export async function authenticate(kind: 'login' | 'signup', username: string, password: string): Promise<Session> {
  const r = await api<TokenResponse>('POST', `/api/auth/${kind}`, { username, password });
  const session: Session = { user: r.user, accessToken: r.access_token, refreshToken: r.refresh_token };
  saveSession(session);
  return session;
}

export async function logout(): Promise<void> {
  const s = loadSession();
  saveSession(null);
  if (s) await api('POST', '/api/auth/logout', { refresh_token: s.refreshToken }).catch(() => {});
}
