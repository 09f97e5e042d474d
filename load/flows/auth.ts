// Auth lifecycle: signup → login → refresh → logout, with a bounded share of wrong-password logins
// that exercises the auth-failure signal without breaching its SLO.
import { login, logout, refresh, signup, wrongPasswordLogin } from '../lib/api.js';
import type { Flow } from '../lib/client.js';

export const authFlow: Flow = async (client, ctx) => {
  const created = await signup(client, ctx, 'auth');
  if (client.random() < ctx.authFailureShare * 4) {
    // Four auth operations per iteration: one wrong login in 1/(4·share) iterations keeps the
    // failure share at `authFailureShare`.
    await wrongPasswordLogin(client, created.username);
  }
  const session = await login(client, created);
  const rotated = await refresh(client, session);
  await logout(client, rotated);
};
