// The reference app under hostile input, against real PostgreSQL and Redis: NUL bytes in text, a
// refresh token raced against itself, a read pointer aimed outside its conversation, and password
// guessing (login throttling per account and per client IP).
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { metrics } from '../../src/catalog/index.js';
import { eventually, sample, startApp, startDeps, uniqueName, WsClient, type Deps, type TestApp } from './harness.js';

let deps: Deps;
let t: TestApp;
before(async () => {
  deps = await startDeps();
  t = await startApp(deps);
});
after(async () => {
  await t?.stop();
  await deps?.dispose();
});

const NUL = 'before\u0000after';

describe('a NUL byte in any text is a 400 naming the field, never a 500', () => {
  test('post, comment, DM, group title, post edit; over HTTP', async () => {
    const { api } = t;
    const [a, b] = [await api.signup(), await api.signup()];
    const post = await api.post('/api/posts', { body: 'fine' }, a.token);
    const dm = await api.post('/api/conversations', { type: 'dm', user_id: b.id }, a.token);
    const cases: [string, string, unknown, string][] = [
      ['POST', '/api/posts', { body: NUL }, 'body.body'],
      ['PATCH', `/api/posts/${post.body.id}`, { body: NUL }, 'body.body'],
      ['POST', `/api/posts/${post.body.id}/comments`, { body: NUL }, 'body.body'],
      ['POST', `/api/conversations/${dm.body.id}/messages`, { body: NUL }, 'body.body'],
      ['POST', '/api/conversations', { type: 'group', title: NUL, member_ids: [b.id] }, 'body.title'],
    ];
    const before = await api.metrics();
    for (const [method, path, body, field] of cases) {
      const r = await api.req(method, path, { body, token: a.token });
      assert.equal(r.status, 400, `${method} ${path}: ${JSON.stringify(r.body)}`);
      assert.equal(r.body.error, 'validation_failed');
      assert.equal(r.body.field, field);
      assert.match(r.body.message, /must not contain NUL/);
    }
    const five = (m: string) =>
      [...m.matchAll(new RegExp(`^${metrics.httpRequests.name}\\{[^}]*status="5\\d\\d"[^}]*\\} (\\S+)$`, 'gm'))].reduce(
        (s, x) => s + Number(x[1]),
        0,
      );
    assert.equal(five(await api.metrics()), five(before), 'no 5xx counted');
  });

  test('a lone surrogate ("\\ud800" in the JSON) is a 400 naming the field, not stored altered', async () => {
    const { api } = t;
    const a = await api.signup();
    // The escape as a client sends it: JSON.parse turns it into a lone surrogate, which UTF-8 cannot encode.
    const r = await api.req('POST', '/api/posts', { raw: '{"body": "before \\ud800 after"}', token: a.token });
    assert.equal(r.status, 400, JSON.stringify(r.body));
    assert.deepEqual([r.body.error, r.body.field], ['validation_failed', 'body.body']);
    assert.match(r.body.message, /well-formed Unicode/);
    // A surrogate pair (an emoji) is well-formed text and is stored as sent.
    const ok = await api.req('POST', '/api/posts', { raw: '{"body": "fine \\ud83d\\ude00"}', token: a.token });
    assert.equal(ok.status, 201, JSON.stringify(ok.body));
    assert.equal(ok.body.body, 'fine \u{1F600}');
  });

  test('WS send: an error frame naming the field, and the socket stays usable', async () => {
    const { api } = t;
    const [a, b] = [await api.signup(), await api.signup()];
    const dm = await api.post('/api/conversations', { type: 'dm', user_id: b.id }, a.token);
    const ws = await WsClient.open(api, 'chat', a.token);
    ws.send({ type: 'send', conversation_id: dm.body.id, body: NUL, ref: 1 });
    const err = await ws.next((m) => m.ref === 1);
    assert.deepEqual([err.type, err.error, err.status, err.field], ['error', 'validation_failed', 400, 'message.body']);
    ws.send({ type: 'send', conversation_id: dm.body.id, body: 'still here', ref: 2 });
    assert.equal((await ws.next((m) => m.ref === 2)).type, 'ack');
    ws.close();
    await ws.closed;
  });
});

describe('refresh token raced against itself', () => {
  test('two concurrent refreshes with one token never leave a live token behind a reported reuse (5 runs)', async () => {
    const { api } = t;
    for (let run = 0; run < 5; run++) {
      const u = await api.signup();
      const [x, y] = await Promise.all([0, 1].map(() => api.post('/api/auth/refresh', { refresh_token: u.refresh })));
      const statuses = [x!.status, y!.status].sort();
      assert.deepEqual(statuses, [200, 401], `run ${run}`);
      const won = x!.status === 200 ? x! : y!;
      const lost = x!.status === 200 ? y! : x!;
      const live = (
        await t.app.ctx.db.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM refresh_tokens WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > now()',
          [u.id],
        )
      ).rows[0]!.n;
      // Either the loser was refused without revoking (one live token: the winner's), or it detected
      // the reuse and revoked everything, the winner's new token included.
      if (live === 1) {
        assert.doesNotMatch(lost.body.message, /revoked/, `run ${run}`);
        assert.equal(
          (await api.post('/api/auth/refresh', { refresh_token: won.body.refresh_token })).status,
          200,
          `run ${run}`,
        );
      } else {
        assert.equal(live, 0, `run ${run}: ${live} live tokens`);
        assert.equal(
          (await api.post('/api/auth/refresh', { refresh_token: won.body.refresh_token })).status,
          401,
          `run ${run}`,
        );
      }
    }
  });
});

describe('the read pointer', () => {
  test("accepts only a message of its conversation; another conversation's id or 2147483647 is a 400", async () => {
    const { api } = t;
    const [a, b, c] = [await api.signup(), await api.signup(), await api.signup()];
    const ab = await api.post('/api/conversations', { type: 'dm', user_id: b.id }, a.token);
    const ac = await api.post('/api/conversations', { type: 'dm', user_id: c.id }, a.token);
    const first = await api.post(`/api/conversations/${ab.body.id}/messages`, { body: 'one' }, b.token);
    const elsewhere = await api.post(
      `/api/conversations/${ac.body.id}/messages`,
      { body: 'later, elsewhere' },
      c.token,
    );
    for (const message_id of [elsewhere.body.id, 2_147_483_647]) {
      const r = await api.post(`/api/conversations/${ab.body.id}/read`, { message_id }, a.token);
      assert.equal(r.status, 400, JSON.stringify(r.body));
      assert.equal(r.body.field, 'body.message_id');
    }
    // The pointer did not move: a new message still counts as unread.
    await api.post(`/api/conversations/${ab.body.id}/messages`, { body: 'two' }, b.token);
    assert.equal((await api.get(`/api/conversations/${ab.body.id}`, a.token)).body.unread, 2);
    const ok = await api.post(`/api/conversations/${ab.body.id}/read`, { message_id: first.body.id }, a.token);
    assert.equal(ok.status, 200);
    assert.equal(ok.body.unread, 1);
  });
});

/** A login sent from a chosen loopback source address (127.0.0.0/8 is all local on Linux). */
function loginFrom(
  port: number,
  ip: string,
  username: string,
  password: string,
): Promise<{ status: number; retryAfter?: string; body: any }> {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify({ username, password });
    const req = request(
      {
        host: '127.0.0.1',
        port,
        localAddress: ip,
        method: 'POST',
        path: '/api/auth/login',
        headers: { 'content-type': 'application/json' },
        timeout: 15_000,
      },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'], body: JSON.parse(text) }),
        );
      },
    );
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('login timed out')));
    req.end(payload);
  });
}

describe('login throttling', () => {
  const limits = { LOGIN_MAX_FAILURES_PER_ACCOUNT: '3', LOGIN_MAX_FAILURES_PER_IP: '6', LOGIN_THROTTLE_WINDOW_S: '60' };

  test('per account: after the limit, even the right password gets 429 with Retry-After, counted as throttled', async () => {
    const small = await startApp(deps, limits);
    try {
      const u = await small.api.signup(uniqueName('acct'), 'right password');
      const before = await small.api.metrics();
      for (let i = 0; i < 3; i++)
        assert.equal((await loginFrom(small.port, '127.0.0.21', u.username, 'wrong password')).status, 401);
      const refused = await loginFrom(small.port, '127.0.0.21', u.username, 'right password');
      assert.equal(refused.status, 429);
      assert.equal(refused.body.error, 'too_many_attempts');
      assert.match(refused.body.message, /this username/);
      const retry = Number(refused.retryAfter);
      assert.ok(retry >= 1 && retry <= 60, `Retry-After ${refused.retryAfter}`);
      // From another address too: the account is what is being guessed.
      assert.equal((await loginFrom(small.port, '127.0.0.22', u.username, 'right password')).status, 429);
      const after = await small.api.metrics();
      const count = (m: string, outcome: string) =>
        sample(m, metrics.authOperations.name, { operation: 'login', outcome }) ?? 0;
      assert.equal(count(after, 'failure') - count(before, 'failure'), 3);
      assert.equal(count(after, 'throttled') - count(before, 'throttled'), 2);
      // Other accounts are unaffected.
      const v = await small.api.signup(uniqueName('other'), 'right password');
      assert.equal((await loginFrom(small.port, '127.0.0.21', v.username, 'right password')).status, 200);
    } finally {
      await small.stop();
    }
  });

  test('per IP: failures across accounts add up; a right password resets only its account', async () => {
    const small = await startApp(deps, limits);
    try {
      const ip = '127.0.0.31';
      const users = [
        await small.api.signup(uniqueName('ip'), 'right password'),
        await small.api.signup(uniqueName('ip'), 'right password'),
      ];
      for (const u of users) {
        for (let i = 0; i < 2; i++)
          assert.equal((await loginFrom(small.port, ip, u.username, 'wrong password')).status, 401);
        assert.equal(
          (await loginFrom(small.port, ip, u.username, 'right password')).status,
          200,
          'resets the account count',
        );
      }
      for (let i = 0; i < 2; i++)
        assert.equal((await loginFrom(small.port, ip, uniqueName('nobody'), 'wrong password')).status, 401);
      const refused = await loginFrom(small.port, ip, users[0]!.username, 'right password');
      assert.equal(refused.status, 429, JSON.stringify(refused.body));
      assert.match(refused.body.message, /this address/);
      assert.ok(Number(refused.retryAfter) >= 1);
      assert.equal(
        (await loginFrom(small.port, '127.0.0.32', users[0]!.username, 'right password')).status,
        200,
        'another address is not throttled',
      );
    } finally {
      await small.stop();
    }
  });

  test('the window ends: logins work again after Retry-After', async () => {
    const short = await startApp(deps, { ...limits, LOGIN_THROTTLE_WINDOW_S: '1' });
    try {
      const u = await short.api.signup(uniqueName('win'), 'right password');
      for (let i = 0; i < 3; i++) await loginFrom(short.port, '127.0.0.41', u.username, 'wrong password');
      const refused = await loginFrom(short.port, '127.0.0.41', u.username, 'right password');
      assert.equal(refused.status, 429);
      await new Promise((r) => setTimeout(r, Number(refused.retryAfter) * 1000 + 1_100));
      assert.equal((await loginFrom(short.port, '127.0.0.41', u.username, 'right password')).status, 200);
    } finally {
      await short.stop();
    }
  });

  test('Redis unreachable: logins go unthrottled rather than failing', async () => {
    const { api } = t;
    const u = await api.signup(uniqueName('redis'), 'right password');
    await deps.redis.stop();
    try {
      assert.equal(
        (await api.post('/api/auth/login', { username: u.username, password: 'wrong password' })).status,
        401,
      );
      assert.equal(
        (await api.post('/api/auth/login', { username: u.username, password: 'right password' })).status,
        200,
      );
    } finally {
      await deps.redis.start();
      await eventually(
        async () => (await api.get('/readyz')).status === 200,
        15_000,
        'ready again after the Redis restart',
      );
    }
  });

  test('the defaults leave a load run alone: one wrong password per account, all from 127.0.0.1', async () => {
    const { api } = t;
    for (let i = 0; i < 20; i++) {
      const u = await api.signup(uniqueName('load'), 'right password');
      assert.equal(
        (await api.post('/api/auth/login', { username: u.username, password: 'wrong password' })).status,
        401,
      );
      assert.equal(
        (await api.post('/api/auth/login', { username: u.username, password: 'right password' })).status,
        200,
      );
    }
  });
});
