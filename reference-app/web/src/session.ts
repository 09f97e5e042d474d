// The signed-in user and tokens, per browser tab (sessionStorage), so a reload keeps the session and
// two browser contexts are two independent users.
export interface Session {
  readonly user: { readonly id: number; readonly username: string };
  readonly accessToken: string;
  readonly refreshToken: string;
}

const KEY = 'stressgate.session';

export function loadSession(): Session | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}

export function saveSession(s: Session | null): void {
  if (s) sessionStorage.setItem(KEY, JSON.stringify(s));
  else sessionStorage.removeItem(KEY);
}
