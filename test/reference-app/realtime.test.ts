// WebSockets against real Redis pub/sub: ticket flow, chat and notification delivery with their latency
// histograms, game moves over WS, backpressure drops, and closing with 1001 on drain.
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { WebSocket } from 'ws';
import { after, before, describe, test } from 'node:test';
import { metrics } from '../../src/catalog/index.js';
import { eventually, sample, startApp, startDeps, WsClient, type Deps, type TestApp } from './harness.js';

let deps: Deps;
let t: TestApp;
before(async () => {
  deps = await startDeps();
  t = await startApp(deps, { WS_TICKET_TTL_S: '2' });
});
after(async () => {
  await t?.stop();
  await deps?.dispose();
});

describe('ticket flow', () => {
  test('a ticket works once; reused, expired, missing or forged tickets are refused with 401', async () => {
    const { api } = t;
    const u = await api.signup();
    assert.equal((await api.post('/api/ws/ticket', {}, undefined)).status, 401, 'ticket needs a bearer token');
    const { body } = await api.post('/api/ws/ticket', {}, u.token);
    const ws = await WsClient.connect(t.base, 'chat', body.ticket);
    const hello = await ws.next((m) => m.type === 'hello');
    assert.equal(hello.user_id, u.id);
    await assert.rejects(WsClient.connect(t.base, 'notifications', body.ticket), { status: 401 });
    await assert.rejects(WsClient.connect(t.base, 'chat', 'x'.repeat(32)), { status: 401 });
    await assert.rejects(WsClient.connect(t.base, 'chat', ''), { status: 401 });
    await assert.rejects(WsClient.connect(t.base, 'elsewhere', body.ticket), { status: 404 });
    const late = await api.post('/api/ws/ticket', {}, u.token);
    await new Promise((r) => setTimeout(r, 2_300));
    await assert.rejects(WsClient.connect(t.base, 'games', late.body.ticket), { status: 401 });
    ws.close();
    await ws.closed;
  });
});

describe('delivery', () => {
  test('a chat message reaches the other member over WS, and its delivery latency is observed', async () => {
    const { api } = t;
    const [a, b] = [await api.signup(), await api.signup()];
    const conv = await api.post('/api/conversations', { type: 'dm', user_id: b.id }, a.token);
    const before =
      sample(await api.metrics(), metrics.chatDeliveryDuration.count.seriesName, { conversation_type: 'dm' }) ?? 0;
    const bChat = await WsClient.open(api, 'chat', b.token);
    const bNotes = await WsClient.open(api, 'notifications', b.token);
    const active = sample(await api.metrics(), metrics.wsConnectionsActive.name, { channel: 'chat' });
    assert.ok(active! >= 1);

    const sent = await api.post(`/api/conversations/${conv.body.id}/messages`, { body: 'over the wire' }, a.token);
    const got = await bChat.next((m) => m.type === 'message' && m.data.id === sent.body.id);
    assert.equal(got.data.body, 'over the wire');
    assert.equal(got.data.conversation_type, 'dm');
    const note = await bNotes.next((m) => m.type === 'notification' && m.data.type === 'message');
    assert.equal(note.data.payload.message_id, sent.body.id);

    // Sending over the socket itself works too, and reaches the sender's other sockets.
    const aChat = await WsClient.open(api, 'chat', a.token);
    bChat.send({ type: 'send', conversation_id: conv.body.id, body: 'reply via ws', ref: 7 });
    const ack = await bChat.next((m) => m.type === 'ack' && m.ref === 7);
    assert.equal(ack.data.body, 'reply via ws');
    await aChat.next((m) => m.type === 'message' && m.data.body === 'reply via ws');
    bChat.send({ type: 'send', conversation_id: conv.body.id, body: '', ref: 8 });
    assert.equal((await bChat.next((m) => m.ref === 8)).field, 'message.body');

    const m = await api.metrics();
    assert.ok(sample(m, metrics.chatDeliveryDuration.count.seriesName, { conversation_type: 'dm' })! >= before + 3);
    assert.ok(sample(m, metrics.notificationDeliveryDuration.count.seriesName, { type: 'message' })! >= 1);
    assert.ok(sample(m, metrics.wsMessages.name, { channel: 'chat', direction: 'in' })! >= 2);
    assert.ok(sample(m, metrics.wsMessages.name, { channel: 'chat', direction: 'out' })! >= 3);
    for (const c of [aChat, bChat, bNotes]) c.close();
    await Promise.all([aChat.closed, bChat.closed, bNotes.closed]);
    await eventually(
      async () =>
        (sample(await api.metrics(), metrics.wsDisconnects.name, { channel: 'chat', reason: 'normal' }) ?? 0) >= 2,
      5_000,
      'normal disconnects counted',
    );
  });

  test('game events: moves over the games socket, the opponent sees them', async () => {
    const { api } = t;
    const [x, o] = [await api.signup(), await api.signup()];
    const xs = await WsClient.open(api, 'games', x.token);
    const os = await WsClient.open(api, 'games', o.token);
    const room = await api.post('/api/games', { invite_user_id: o.id }, x.token);
    await os.next((m) => m.type === 'room_create' && m.data.id === room.body.id);
    await api.post(`/api/games/${room.body.id}/join`, {}, o.token);
    await xs.next((m) => m.type === 'room_join');
    xs.send({ type: 'move', room_id: room.body.id, cell: 4, ref: 1 });
    assert.equal((await xs.next((m) => m.ref === 1)).type, 'ack');
    const seen = await os.next((m) => m.type === 'room_move');
    assert.equal(seen.data.board, '....X....');
    xs.send({ type: 'move', room_id: room.body.id, cell: 0, ref: 2 });
    const refused = await xs.next((m) => m.ref === 2);
    assert.equal(refused.type, 'error');
    assert.equal(refused.error, 'not_your_turn');
    xs.close();
    os.close();
  });
});

describe('backpressure', () => {
  test('a client that stops reading has messages dropped and counted, then is closed (4008)', async () => {
    const small = await startApp(deps, { WS_SEND_BUFFER_BYTES: '65536', WS_MAX_CONSECUTIVE_DROPS: '20' });
    const pub = new Redis(deps.redis.url);
    try {
      const u = await small.api.signup();
      const slow = await WsClient.open(small.api, 'chat', u.token);
      // Stop reading: the kernel buffers fill, then the server-side send buffer.
      (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause();
      const big = 'x'.repeat(256 * 1024);
      const envelope = JSON.stringify({
        channel: 'chat',
        event: 'message',
        data: { body: big },
        at: Date.now(),
        kind: 'dm',
      });
      // Publish straight into the fan-out channel (as another app instance would), bounded.
      let drops = 0;
      for (let i = 0; i < 400 && drops === 0; i++) {
        await pub.publish(`u:${u.id}`, envelope);
        if (i % 10 === 9)
          drops = sample(await small.api.metrics(), metrics.wsBackpressureDrops.name, { channel: 'chat' }) ?? 0;
      }
      assert.ok(drops > 0, 'drops counted');
      for (let i = 0; i < 30; i++) await pub.publish(`u:${u.id}`, envelope);
      (slow.ws as unknown as { _socket: { resume(): void } })._socket.resume();
      const closed = await slow.closed;
      assert.equal(closed.code, 4008);
      const m = await small.api.metrics();
      assert.ok(sample(m, metrics.wsDisconnects.name, { channel: 'chat', reason: 'backpressure' })! >= 1);
      assert.ok(sample(m, metrics.wsBackpressureDrops.name, { channel: 'chat' })! >= 20);
    } finally {
      pub.disconnect();
      await small.stop();
    }
  });
});

describe('keep-alive', () => {
  test('a client that stops answering pings is closed and counted as ping_timeout', async () => {
    const quick = await startApp(deps, { WS_PING_INTERVAL_MS: '200' });
    try {
      const u = await quick.api.signup();
      const t1 = await quick.api.post('/api/ws/ticket', {}, u.token);
      const mute = new WebSocket(`${quick.base.replace('http', 'ws')}/api/ws/notifications?ticket=${t1.body.ticket}`, {
        autoPong: false,
      });
      const lively = await WsClient.open(quick.api, 'notifications', u.token);
      const code = await new Promise<number>((r) => mute.on('close', (c) => r(c)));
      assert.equal(code, 1006, 'terminated, no close frame');
      assert.equal(lively.ws.readyState, WebSocket.OPEN, 'a client answering pings stays');
      assert.equal(
        sample(await quick.api.metrics(), metrics.wsDisconnects.name, {
          channel: 'notifications',
          reason: 'ping_timeout',
        }),
        1,
      );
      lively.close();
    } finally {
      await quick.stop();
    }
  });
});

describe('drain', () => {
  test('stop() closes sockets with 1001 and refuses new upgrades', async () => {
    const own = await startApp(deps);
    const u = await own.api.signup();
    const ws = await WsClient.open(own.api, 'notifications', u.token);
    const ticket = (await own.api.post('/api/ws/ticket', {}, u.token)).body.ticket;
    const before = own.app.ctx.metrics;
    await own.stop();
    const closed = await ws.closed;
    assert.equal(closed.code, 1001);
    const text = await before.exposition();
    assert.equal(sample(text, metrics.wsDisconnects.name, { channel: 'notifications', reason: 'going_away' }), 1);
    assert.equal(sample(text, metrics.wsConnectionsActive.name, { channel: 'notifications' }), 0);
    await assert.rejects(WsClient.connect(own.base, 'chat', ticket));
  });
});
