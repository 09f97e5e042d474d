// POST /api/auth/signup | login | refresh | logout. Every outcome is counted in auth_operations_total
// by the onResponse hook (route config `authOp`): status < 400 is success, 429 (login throttled)
// throttled, anything else failure.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { hashPassword, hashToken, newRefreshToken, verifyPassword } from '../auth.js';
import { body, type Context } from '../context.js';
import type { Queryable } from '../db.js';
import { conflict, unauthorized } from '../errors.js';
import { loginThrottle } from '../throttle.js';

const credentials = z.object({
  username: z
    .string()
    .min(3)
    .max(32)
    .regex(/^[a-z0-9_]+$/, 'lower-case letters, digits and _ only'),
  password: z.string().min(8).max(128),
});
const refreshBody = z.object({ refresh_token: z.string().min(20).max(200) });

// A fixed hash to verify against when the user doesn't exist, so timing doesn't reveal usernames.
let dummyHash: Promise<string> | undefined;

export function authRoutes(app: FastifyInstance, ctx: Context): void {
  const { db, config, tokens } = ctx;
  const throttle = loginThrottle(ctx.redis, config, ctx.log);

  /** A new token pair; the refresh token is stored through `q` (the rotating transaction, if any). */
  async function issue(userId: number, q: Queryable = db) {
    const access = tokens.issueAccess(userId);
    const refresh = newRefreshToken();
    await q.query(
      `INSERT INTO refresh_tokens (user_id, token_hash, expires_at) VALUES ($1, $2, now() + make_interval(secs => $3))`,
      [userId, hashToken(refresh), config.REFRESH_TOKEN_TTL_S],
    );
    return { access_token: access.token, token_type: 'Bearer', expires_in: access.expiresIn, refresh_token: refresh };
  }

  app.post('/api/auth/signup', { config: { authOp: 'signup' } }, async (req, reply) => {
    const { username, password } = body(credentials, req);
    const hash = await hashPassword(password, config.SCRYPT_COST);
    const row = await db
      .query<{ id: number }>(
        'INSERT INTO users (username, password_hash) VALUES ($1, $2) ON CONFLICT (username) DO NOTHING RETURNING id',
        [username, hash],
      )
      .then((r) => r.rows[0]);
    if (!row) throw conflict('body.username: already taken', 'username_taken');
    reply.code(201);
    return { user: { id: row.id, username }, ...(await issue(row.id)) };
  });

  app.post('/api/auth/login', { config: { authOp: 'login' } }, async (req) => {
    const { username, password } = body(credentials, req);
    await throttle.check(username, req.ip);
    const user = (
      await db.query<{ id: number; password_hash: string }>('SELECT id, password_hash FROM users WHERE username = $1', [
        username,
      ])
    ).rows[0];
    const ok = await verifyPassword(
      password,
      user?.password_hash ?? (await (dummyHash ??= hashPassword('not-a-password', config.SCRYPT_COST))),
    );
    if (!user || !ok) {
      await throttle.failed(username, req.ip);
      throw unauthorized('wrong username or password');
    }
    await throttle.succeeded(username);
    return { user: { id: user.id, username }, ...(await issue(user.id)) };
  });

  app.post('/api/auth/refresh', { config: { authOp: 'refresh' } }, async (req) => {
    const { refresh_token } = body(refreshBody, req);
    const hash = hashToken(refresh_token);
    // Check, revoke and issue in one transaction holding the old token's row lock: a concurrent
    // request with the same token waits, then finds it rotated and revokes the family, including the
    // token issued here, so no live token can outlast a detected reuse.
    const outcome = await db.tx(
      async (q): Promise<{ error: string } | { tokens: Awaited<ReturnType<typeof issue>> }> => {
        const row = (
          await q.query<{ id: number; user_id: number; revoked: boolean; expired: boolean }>(
            'SELECT id, user_id, revoked_at IS NOT NULL AS revoked, expires_at <= now() AS expired FROM refresh_tokens WHERE token_hash = $1 FOR UPDATE',
            [hash],
          )
        ).rows[0];
        if (!row) return { error: 'unknown refresh token' };
        if (row.revoked) {
          // A rotated token used again: someone holds a copy. Revoke every token of the user.
          await q.query('UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL', [
            row.user_id,
          ]);
          return { error: 'refresh token already used; all sessions revoked' };
        }
        if (row.expired) return { error: 'refresh token expired' };
        await q.query('UPDATE refresh_tokens SET revoked_at = now() WHERE id = $1', [row.id]);
        return { tokens: await issue(row.user_id, q) };
      },
    );
    if ('error' in outcome) throw unauthorized(outcome.error);
    return outcome.tokens;
  });

  app.post('/api/auth/logout', { config: { authOp: 'logout' } }, async (req, reply) => {
    const { refresh_token } = body(refreshBody, req);
    const r = await db.query(
      'UPDATE refresh_tokens SET revoked_at = now() WHERE token_hash = $1 AND revoked_at IS NULL',
      [hashToken(refresh_token)],
    );
    if (r.rowCount === 0) throw unauthorized('unknown or already revoked refresh token');
    reply.code(204);
  });
}
