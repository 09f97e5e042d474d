// Rooms whose players' sessions died in a restart (reference-app/src/game-resume.ts), on real
// PostgreSQL and Redis: after the app restarts, an open room nobody acts in is closed as `abandoned`
// once GAME_RESUME_TIMEOUT_S has passed; a room whose players come back and move resumes; a room
// opened after the restart is untouched. The idle reaper (10 minutes here) cannot be what closed them.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startApp, startDeps, type Api, type Deps, type TestApp, type User } from './harness.js';

const RESUME_S = 2;
const env = { GAME_RESUME_TIMEOUT_S: String(RESUME_S), GAME_IDLE_TIMEOUT_S: '600' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('game rooms after a restart', () => {
  let deps: Deps;
  let app: TestApp | undefined;
  before(async () => {
    deps = await startDeps();
  });
  after(async () => {
    await app?.stop();
    await deps?.dispose();
  });

  const room = async (api: Api, x: User, o: User, join: boolean): Promise<number> => {
    const r = await api.post('/api/games', { invite_user_id: o.id }, x.token);
    assert.equal(r.status, 201);
    if (join) assert.equal((await api.post(`/api/games/${r.body.id}/join`, {}, o.token)).status, 200);
    return r.body.id;
  };
  const status = async (api: Api, id: number, u: User) => (await api.get(`/api/games/${id}`, u.token)).body;

  it('abandoned rooms close after the resume timeout; resumed and new ones stay open', async () => {
    app = await startApp(deps, env);
    const [x, o] = [await app.api.signup(), await app.api.signup()];
    const abandonedActive = await room(app.api, x, o, true);
    const abandonedWaiting = await room(app.api, x, o, false);
    const resumed = await room(app.api, x, o, true);
    // Past the first start's own resume window, so only the restart's mark can close them.
    await sleep(RESUME_S * 1000 + 500);
    assert.equal((await status(app.api, abandonedActive, x)).status, 'active', 'no restart yet: untouched');
    await app.stop();
    app = await startApp(deps, env);
    // The players of one room come back and move within the window: it resumes.
    assert.equal((await app.api.post(`/api/games/${resumed}/move`, { cell: 4 }, x.token)).status, 200);
    const fresh = await room(app.api, x, o, true);
    let closed = false;
    for (let i = 0; i < 40 && !closed; i++) {
      await sleep(250);
      closed = (await status(app.api, abandonedActive, x)).status === 'closed';
    }
    const a = await status(app.api, abandonedActive, x);
    assert.equal(a.status, 'closed', JSON.stringify(a));
    assert.equal(a.close_reason, 'abandoned');
    assert.equal((await status(app.api, abandonedWaiting, x)).close_reason, 'abandoned');
    assert.equal((await status(app.api, resumed, x)).status, 'active', 'a resumed game stays open');
    assert.equal((await status(app.api, fresh, x)).status, 'active', 'a room opened after the restart stays open');
  });
});
