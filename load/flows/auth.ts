// Auth lifecycle: signup → login → refresh → logout, with a bounded share of wrong-password logins
// that exercises the auth-failure signal without breaching its SLO.
import { login, logout, refresh, signup, wrongPasswordLogin } from '../lib/api.js';
import type { Flow } from '../lib/client.js';

/** Auth operations in an iteration without the wrong login. */
const OPS_PER_ITERATION = 4;

export const authFlow: Flow = async (client, ctx) => {
  const created = await signup(client, ctx, 'auth');
  // One wrong login every `period` iterations of a VU, never early: spaced evenly, the failure share
  // stays at `authFailureShare` at every moment of the run, where random draws would cluster and
  // push the SLI over its objective in a window of few operations (a pending gate alert).
  const period = ctx.authFailureShare > 0 ? Math.max(1, Math.round(1 / (ctx.authFailureShare * OPS_PER_ITERATION))) : 0;
  if (period && (client.vu.iteration + 1) % period === 0) await wrongPasswordLogin(client, created.username);
  const session = await login(client, created);
  const rotated = await refresh(client, session);
  await logout(client, rotated);
};
