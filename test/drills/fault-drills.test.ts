// Fault drills, one of each kind, under concurrent chat + notification + game load, against real
// PostgreSQL and Redis (child processes stopped and started by PID) and the reference app in-process
// (drained as on SIGTERM, then started again on the same port). The app runs with its defaults: the
// 10-minute idle reaper cannot be what closes the rooms a fault orphaned, the app's resume window
// (GAME_RESUME_TIMEOUT_S, 20 s) must. The app-restart drill sees readiness flip to draining, or says why not.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { localDriver, runFaultDrill, type Driver, type FaultDrillName } from '../../src/drills/faults.js';
import { startLocalStack, type LocalStack } from '../../src/live/stack.js';
import { ROOT } from '../helpers.js';

describe('fault drills', () => {
  let stack: LocalStack;
  let driver: Driver;
  before(async () => {
    stack = await startLocalStack({ root: ROOT });
    driver = localDriver(stack);
  });
  after(async () => {
    await stack?.stop();
  });

  for (const name of ['redis', 'db', 'app-restart'] as FaultDrillName[]) {
    it(`${name}: readiness, recovery, delivery resumed, no message lost, no room left open`, async () => {
      const r = await runFaultDrill(name, driver, { outageMs: 3_000 });
      assert.deepEqual(r.failures, [], JSON.stringify(r, null, 2));
      assert.equal(r.messages.lost, 0);
      assert.ok(r.messages.acknowledged > 10, `acknowledged ${r.messages.acknowledged}`);
      assert.equal(r.rooms.activeAfter, 0);
      assert.ok(r.load.iterations > 0);
      assert.ok(r.readinessFlipMs !== null || r.readinessNote, 'the flip is seen, or the drill says why not');
      if (name === 'app-restart') assert.ok(r.readinessFlipMs === null || r.readinessFailing?.includes('draining'));
      process.stdout.write(
        `# ${name}: readiness flip ${r.readinessFlipMs ?? r.readinessNote} ms, rooms open at load end ${r.rooms.activeAtLoadEnd}, after ${r.rooms.activeAfter} (closed within ${r.rooms.closedWithinMs} ms)\n`,
      );
    });
  }
});
