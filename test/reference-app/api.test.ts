// The reference app's HTTP API against real PostgreSQL and Redis: happy paths, validation, auth
// failures (counted), authorization refusals, games validation.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { metrics } from '../../src/catalog/index.js';
import { eventually, sample, startApp, startDeps, uniqueName, type Deps, type TestApp } from './harness.js';

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

describe('auth', () => {
  test('signup, login, refresh (rotated), logout; failures are 401 and counted', async () => {
    const { api } = t;
    const name = uniqueName('auth');
    const before = await api.metrics();
    const failures = (op: string, m: string) =>
      sample(m, metrics.authOperations.name, { operation: op, outcome: 'failure' }) ?? 0;

    const s = await api.post('/api/auth/signup', { username: name, password: 'password123' });
    assert.equal(s.status, 201);
    assert.equal(s.body.user.username, name);
    assert.equal(s.body.token_type, 'Bearer');
    assert.ok(s.body.expires_in > 0);
    assert.equal((await api.post('/api/auth/signup', { username: name, password: 'password123' })).status, 409);

    const bad = await api.post('/api/auth/login', { username: name, password: 'wrong-password' });
    assert.equal(bad.status, 401);
    assert.equal(bad.body.error, 'unauthorized');
    assert.equal((await api.post('/api/auth/login', { username: 'nobody_here', password: 'password123' })).status, 401);
    const login = await api.post('/api/auth/login', { username: name, password: 'password123' });
    assert.equal(login.status, 200);

    // Access token works; a tampered one is 401.
    assert.equal((await api.get('/api/posts', login.body.access_token)).status, 200);
    assert.equal((await api.get('/api/posts', login.body.access_token.slice(0, -2) + 'xx')).status, 401);
    assert.equal((await api.get('/api/posts')).status, 401);

    const r1 = await api.post('/api/auth/refresh', { refresh_token: login.body.refresh_token });
    assert.equal(r1.status, 200);
    assert.notEqual(r1.body.refresh_token, login.body.refresh_token);
    // The rotated-out token is refused, and its reuse revokes the family (r1's token too).
    assert.equal((await api.post('/api/auth/refresh', { refresh_token: login.body.refresh_token })).status, 401);
    assert.equal((await api.post('/api/auth/refresh', { refresh_token: r1.body.refresh_token })).status, 401);

    const l2 = await api.post('/api/auth/login', { username: name, password: 'password123' });
    assert.equal((await api.post('/api/auth/logout', { refresh_token: l2.body.refresh_token })).status, 204);
    assert.equal((await api.post('/api/auth/refresh', { refresh_token: l2.body.refresh_token })).status, 401);
    assert.equal((await api.post('/api/auth/logout', { refresh_token: l2.body.refresh_token })).status, 401);

    const after = await api.metrics();
    assert.equal(failures('login', after) - failures('login', before), 2);
    assert.equal(failures('refresh', after) - failures('refresh', before), 3);
    assert.equal(failures('signup', after) - failures('signup', before), 1);
    assert.equal(failures('logout', after) - failures('logout', before), 1);
    assert.ok((sample(after, metrics.authOperations.name, { operation: 'logout', outcome: 'success' }) ?? 0) >= 1);
    assert.ok(
      (sample(after, metrics.httpRequests.name, { method: 'GET', route: '/api/posts', status: '401' }) ?? 0) >= 2,
    );
  });

  test('an expired access token is 401', async () => {
    const short = await startApp(deps, { ACCESS_TOKEN_TTL_S: '1' });
    try {
      const u = await short.api.signup();
      await new Promise((r) => setTimeout(r, 1_100));
      const r = await short.api.get('/api/posts', u.token);
      assert.equal(r.status, 401);
      assert.match(r.body.message, /expired/);
    } finally {
      await short.stop();
    }
  });
});

describe('validation', () => {
  test('400 names the failing field; bad JSON, oversize bodies and unknown routes are JSON errors', async () => {
    const { api } = t;
    let r = await api.post('/api/auth/signup', { username: 'ok_name', password: 'short' });
    assert.equal(r.status, 400);
    assert.equal(r.body.error, 'validation_failed');
    assert.equal(r.body.field, 'body.password');
    r = await api.post('/api/auth/signup', { password: 'password123' });
    assert.equal(r.body.field, 'body.username');

    const u = await api.signup();
    r = await api.post('/api/posts', { body: '' }, u.token);
    assert.equal(r.status, 400);
    assert.equal(r.body.field, 'body.body');
    r = await api.get('/api/posts/abc', u.token);
    assert.equal(r.status, 400);
    assert.equal(r.body.field, 'params.id');
    r = await api.get('/api/posts?limit=1000', u.token);
    assert.equal(r.status, 400);
    assert.equal(r.body.field, 'query.limit');
    r = await api.req('POST', '/api/posts', { raw: '{"body": ', token: u.token });
    assert.equal(r.status, 400);
    assert.equal(r.body.field, 'body');
    assert.ok(!JSON.stringify(r.body).includes('    at '), 'no stack trace');
    r = await api.post('/api/posts', { body: 'x'.repeat(70_000) }, u.token);
    assert.equal(r.status, 413);
    r = await api.get('/api/nope', u.token);
    assert.equal(r.status, 404);
    assert.equal(r.body.error, 'not_found');
    r = await api.get('/api/posts/999999', u.token);
    assert.equal(r.status, 404);
    const m = await api.metrics();
    assert.ok((sample(m, metrics.httpRequests.name, { method: 'GET', route: '/unmatched', status: '404' }) ?? 0) >= 1);
    assert.ok(
      (sample(m, metrics.httpRequests.name, { method: 'GET', route: '/api/posts/:id', status: '400' }) ?? 0) >= 1,
    );
  });
});

describe('posts, comments, likes, notifications', () => {
  test('lifecycle with pagination, authorization and notifications', async () => {
    const { api } = t;
    const alice = await api.signup();
    const bob = await api.signup();
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) {
      const p = await api.post('/api/posts', { body: `post ${i}` }, alice.token);
      assert.equal(p.status, 201);
      assert.equal(p.body.author_id, alice.id);
      ids.push(p.body.id);
    }
    const page1 = await api.get('/api/posts?limit=3', bob.token);
    assert.equal(page1.body.items.length, 3);
    assert.ok(page1.body.next_cursor);
    const page2 = await api.get(`/api/posts?limit=3&cursor=${page1.body.next_cursor}`, bob.token);
    const seen = [...page1.body.items, ...page2.body.items].map((p: { id: number }) => p.id);
    for (const id of ids) assert.ok(seen.includes(id));
    assert.ok(page1.body.items[0].id > page2.body.items[0].id, 'newest first');

    const postId = ids[0]!;
    const edit = await api.req('PATCH', `/api/posts/${postId}`, { body: { body: 'edited' }, token: alice.token });
    assert.equal(edit.status, 200);
    assert.equal(edit.body.body, 'edited');
    assert.equal(
      (await api.req('PATCH', `/api/posts/${postId}`, { body: { body: 'hijack' }, token: bob.token })).status,
      403,
    );
    assert.equal((await api.req('DELETE', `/api/posts/${postId}`, { token: bob.token })).status, 403);

    const c = await api.post(`/api/posts/${postId}/comments`, { body: 'nice' }, bob.token);
    assert.equal(c.status, 201);
    const comments = await api.get(`/api/posts/${postId}/comments`, alice.token);
    assert.equal(comments.body.items.length, 1);
    assert.equal(
      (await api.req('PATCH', `/api/comments/${c.body.id}`, { body: { body: 'x' }, token: alice.token })).status,
      403,
    );
    assert.equal(
      (await api.req('PATCH', `/api/comments/${c.body.id}`, { body: { body: 'nicer' }, token: bob.token })).body.body,
      'nicer',
    );

    const like = await api.req('PUT', `/api/posts/${postId}/like`, { token: bob.token });
    assert.equal(like.status, 200);
    assert.equal(like.body.like_count, 1);
    assert.equal(like.body.liked_by_me, true);
    assert.equal(
      (await api.req('PUT', `/api/posts/${postId}/like`, { token: bob.token })).body.like_count,
      1,
      'idempotent',
    );
    const got = await api.get(`/api/posts/${postId}`, alice.token);
    assert.equal(got.body.comment_count, 1);
    assert.equal(got.body.liked_by_me, false);

    // Alice got one comment and one like notification (the second like created none).
    const count = await api.get('/api/notifications/unread-count', alice.token);
    assert.equal(count.body.unread, 2);
    const list = await api.get('/api/notifications?unread=true', alice.token);
    assert.deepEqual(list.body.items.map((n: { type: string }) => n.type).sort(), ['comment', 'like']);
    // Bob cannot mark Alice's notifications read.
    const foreign = await api.post('/api/notifications/read', { ids: [list.body.items[0].id] }, bob.token);
    assert.equal(foreign.body.marked, 0);
    const marked = await api.post('/api/notifications/read', { ids: [list.body.items[0].id] }, alice.token);
    assert.deepEqual(marked.body, { marked: 1, unread: 1 });
    assert.equal((await api.post('/api/notifications/read', { all: true }, alice.token)).body.unread, 0);
    assert.equal((await api.post('/api/notifications/read', {}, alice.token)).status, 400);

    assert.equal((await api.req('DELETE', `/api/posts/${postId}/like`, { token: bob.token })).body.like_count, 0);
    // The post's author may delete a comment on their post.
    assert.equal((await api.req('DELETE', `/api/comments/${c.body.id}`, { token: alice.token })).status, 204);
    assert.equal((await api.req('DELETE', `/api/posts/${postId}`, { token: alice.token })).status, 204);
    assert.equal((await api.get(`/api/posts/${postId}`, alice.token)).status, 404);
  });
});

describe('messaging', () => {
  test('DM and group: send, list, unread counts, mark read; non-members refused', async () => {
    const { api } = t;
    const [a, b, c] = [await api.signup(), await api.signup(), await api.signup()];
    const dm = await api.post('/api/conversations', { type: 'dm', user_id: b.id }, a.token);
    assert.equal(dm.status, 201);
    assert.equal(dm.body.type, 'dm');
    const again = await api.post('/api/conversations', { type: 'dm', user_id: a.id }, b.token);
    assert.equal(again.status, 200);
    assert.equal(again.body.id, dm.body.id, 'one DM per pair');
    assert.equal(
      (await api.post('/api/conversations', { type: 'dm', user_id: a.id }, a.token)).body.field,
      'body.user_id',
    );
    assert.equal((await api.post('/api/conversations', { type: 'dm', user_id: 999999 }, a.token)).status, 404);

    for (const text of ['one', 'two', 'three'])
      assert.equal((await api.post(`/api/conversations/${dm.body.id}/messages`, { body: text }, a.token)).status, 201);
    let unread = await api.get('/api/conversations/unread-counts', b.token);
    assert.deepEqual(unread.body, { total: 3, conversations: [{ conversation_id: dm.body.id, unread: 3 }] });
    assert.equal((await api.get('/api/conversations/unread-counts', a.token)).body.total, 0, 'own messages are read');
    const msgs = await api.get(`/api/conversations/${dm.body.id}/messages?limit=2`, b.token);
    assert.deepEqual(
      msgs.body.items.map((m: { body: string }) => m.body),
      ['three', 'two'],
    );
    assert.equal(
      (await api.post(`/api/conversations/${dm.body.id}/read`, { message_id: msgs.body.items[1].id }, b.token)).body
        .unread,
      1,
    );
    assert.equal((await api.post(`/api/conversations/${dm.body.id}/read`, {}, b.token)).body.unread, 0);

    // Carol is not in the DM.
    assert.equal((await api.get(`/api/conversations/${dm.body.id}/messages`, c.token)).status, 403);
    assert.equal((await api.get(`/api/conversations/${dm.body.id}`, c.token)).status, 403);
    assert.equal((await api.post(`/api/conversations/${dm.body.id}/messages`, { body: 'hi' }, c.token)).status, 403);
    assert.equal((await api.post(`/api/conversations/${dm.body.id}/read`, {}, c.token)).status, 403);
    assert.equal((await api.get('/api/conversations/999999/messages', c.token)).status, 404);

    const group = await api.post(
      '/api/conversations',
      { type: 'group', title: 'trio', member_ids: [b.id, c.id] },
      a.token,
    );
    assert.equal(group.status, 201);
    assert.equal(group.body.members.length, 3);
    await api.post(`/api/conversations/${group.body.id}/messages`, { body: 'hello all' }, c.token);
    const list = await api.get('/api/conversations', b.token);
    assert.equal(list.body.items.length, 2);
    assert.equal((await api.get('/api/conversations/unread-counts', a.token)).body.total, 1);
    const n = await api.get('/api/notifications', b.token);
    assert.ok(n.body.items.some((x: { type: string }) => x.type === 'message'));
    const m = await t.api.metrics();
    assert.ok((sample(m, metrics.chatMessagesSent.name, { conversation_type: 'group' }) ?? 0) >= 1);
    assert.ok((sample(m, metrics.notificationEvents.name, { type: 'message' }) ?? 0) >= 5);
  });
});

describe('games', () => {
  test('create with invite, join, validated moves to a win; the won room is closed', async () => {
    const { api } = t;
    const [x, o, z] = [await api.signup(), await api.signup(), await api.signup()];
    const room = await api.post('/api/games', { invite_user_id: o.id }, x.token);
    assert.equal(room.status, 201);
    assert.equal(room.body.status, 'waiting');
    const id = room.body.id;
    assert.equal((await api.post(`/api/games/${id}/join`, {}, z.token)).status, 403, 'reserved for the invitee');
    assert.equal((await api.post(`/api/games/${id}/move`, { cell: 0 }, x.token)).status, 409, 'not active yet');
    const joined = await api.post(`/api/games/${id}/join`, {}, o.token);
    assert.equal(joined.body.status, 'active');
    assert.equal(joined.body.next_turn, 'X');

    const move = (u: { token: string }, cell: unknown) => api.post(`/api/games/${id}/move`, { cell }, u.token);
    assert.equal((await move(o, 0)).body.error, 'not_your_turn');
    assert.equal((await move(z, 0)).status, 403);
    assert.equal((await move(x, 9)).body.field, 'body.cell');
    assert.equal((await move(x, 0)).status, 200);
    assert.equal((await move(o, 0)).body.error, 'cell_taken');
    assert.equal((await move(o, 3)).status, 200);
    assert.equal((await move(x, 1)).status, 200);
    assert.equal((await move(o, 4)).status, 200);
    const win = await move(x, 2);
    assert.equal(win.body.status, 'closed');
    assert.equal(win.body.winner, 'X');
    assert.equal(win.body.board, 'XXXOO....');
    assert.equal((await move(o, 5)).status, 409);
    const detail = await api.get(`/api/games/${id}`, z.token);
    assert.equal(detail.body.moves.length, 5);

    const notes = await api.get('/api/notifications', o.token);
    const types = notes.body.items.map((n: { type: string }) => n.type);
    assert.ok(types.includes('game_invite') && types.includes('game_turn'));
    const m = await api.metrics();
    assert.ok((sample(m, metrics.gameActions.name, { action: 'move', outcome: 'rejected' }) ?? 0) >= 4);
    assert.ok((sample(m, metrics.gameActions.name, { action: 'move', outcome: 'success' }) ?? 0) >= 5);
  });

  test('leaving: forfeit while active, last player out closes the room; rooms_active follows', async () => {
    const { api } = t;
    const [x, o] = [await api.signup(), await api.signup()];
    const active = async () => sample(await api.metrics(), metrics.gameRoomsActive.name)!;
    const before = await active();
    const solo = await api.post('/api/games', {}, x.token);
    assert.equal(await active(), before + 1);
    const left = await api.post(`/api/games/${solo.body.id}/leave`, {}, x.token);
    assert.equal(left.body.status, 'closed');
    assert.equal(left.body.close_reason, 'empty');
    assert.equal(await active(), before);

    const duel = await api.post('/api/games', {}, x.token);
    await api.post(`/api/games/${duel.body.id}/join`, {}, o.token);
    assert.equal((await api.post(`/api/games/${duel.body.id}/join`, {}, o.token)).status, 409);
    const forfeit = await api.post(`/api/games/${duel.body.id}/leave`, {}, o.token);
    assert.equal(forfeit.body.status, 'closed');
    assert.equal(forfeit.body.winner, 'X');
    assert.equal((await api.post(`/api/games/${duel.body.id}/leave`, {}, o.token)).status, 403);

    const closing = await api.post('/api/games', {}, x.token);
    assert.equal((await api.post(`/api/games/${closing.body.id}/close`, {}, o.token)).status, 403);
    assert.equal((await api.post(`/api/games/${closing.body.id}/close`, {}, x.token)).body.status, 'closed');
    assert.equal((await api.post(`/api/games/${closing.body.id}/close`, {}, x.token)).status, 409);
    assert.equal(await active(), before);
    const open = await api.get('/api/games?mine=true', x.token);
    assert.equal(open.body.items.length, 0);
  });
});

describe('idle rooms', () => {
  test('the reaper closes rooms without actions for GAME_IDLE_TIMEOUT_S', async () => {
    const quick = await startApp(deps, { GAME_IDLE_TIMEOUT_S: '1' });
    try {
      const u = await quick.api.signup();
      const room = await quick.api.post('/api/games', {}, u.token);
      const closed = await eventually(
        async () => {
          const r = await quick.api.get(`/api/games/${room.body.id}`, u.token);
          return r.body.status === 'closed' ? r.body : undefined;
        },
        10_000,
        'idle room closed',
      );
      assert.equal(closed.close_reason, 'idle');
    } finally {
      await quick.stop();
    }
  });
});
