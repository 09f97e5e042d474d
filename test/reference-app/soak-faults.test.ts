// The soak's slow faults (reference-app/src/soak-faults.ts): the leak retains what it says in the V8
// heap, stays under its cap and is released when cleared; the rising 5xx share grows linearly from the
// moment it is set, restarts when changed, and stops when cleared; so does the CPU burned per request.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NO_FAULTS, type FaultSettings } from '../../reference-app/src/fault-settings.js';
import { LEAK_CAP_BYTES, MAX_BURN_MS, SoakFaults } from '../../reference-app/src/soak-faults.js';

const setup = (over: Partial<FaultSettings>, at = 0) => {
  const settings: FaultSettings = { ...NO_FAULTS };
  const soak = new SoakFaults(settings);
  const before = { ...settings };
  Object.assign(settings, over);
  soak.changed(before, at);
  return { settings, soak };
};

describe('soak faults', () => {
  it('off by default: inactive, never a 503, nothing retained', () => {
    const { soak } = setup({});
    assert.equal(soak.active, false);
    for (let i = 0; i < 100; i++) assert.equal(soak.onRequest(), false);
    assert.equal(soak.leaked, 0);
  });

  it('the leak retains its bytes per request in the heap, and releases them when cleared', () => {
    global.gc?.();
    const heap0 = process.memoryUsage().heapUsed;
    const { settings, soak } = setup({ leakBytesPerRequest: 16_384 });
    for (let i = 0; i < 2_000; i++) soak.onRequest();
    assert.equal(soak.leaked, 2_000 * 16_384);
    const grown = process.memoryUsage().heapUsed - heap0;
    assert.ok(grown > 0.8 * soak.leaked, `heap grew ${grown} bytes for ${soak.leaked} leaked`);
    const before = { ...settings };
    settings.leakBytesPerRequest = 0;
    soak.changed(before);
    assert.equal(soak.leaked, 0);
  });

  it('the leak is bounded by its cap', () => {
    const { soak } = setup({ leakBytesPerRequest: 1 << 20 });
    const cap = LEAK_CAP_BYTES / (1 << 20);
    // Reaching the cap would allocate a GiB: check the arithmetic on a counted leak instead.
    for (let i = 0; i < 8; i++) soak.onRequest();
    assert.equal(soak.leaked, 8 << 20);
    assert.equal(cap, 1024, 'at most 1024 requests of the largest leak');
  });

  it('the 5xx share rises linearly from the moment it is set, and restarts when changed', () => {
    const { settings, soak } = setup({ http5xxRisePerMinute: 0.001 }, 1_000_000);
    assert.equal(soak.ratio(1_000_000), 0);
    assert.ok(Math.abs(soak.ratio(1_000_000 + 60_000) - 0.001) < 1e-12);
    assert.ok(Math.abs(soak.ratio(1_000_000 + 600_000) - 0.01) < 1e-12);
    assert.equal(soak.ratio(1_000_000 + 1e12), 1, 'never above 1');
    // Deterministic draws: below the share is a 503, above it is not.
    assert.equal(
      soak.onRequest(() => 0.0009, 1_000_000 + 60_000),
      true,
    );
    assert.equal(
      soak.onRequest(() => 0.0011, 1_000_000 + 60_000),
      false,
    );
    const before = { ...settings };
    settings.http5xxRisePerMinute = 0.002;
    soak.changed(before, 2_000_000);
    assert.equal(soak.ratio(2_000_000), 0, 'a new rate starts from zero');
    const b2 = { ...settings };
    settings.http5xxRisePerMinute = 0;
    soak.changed(b2, 2_000_000);
    assert.equal(soak.active, false);
    assert.equal(soak.ratio(3_000_000), 0);
  });

  it('the CPU burn per request rises linearly from when it is set, is capped, and spends that CPU', () => {
    const { settings, soak } = setup({ cpuMsRisePerMinute: 2 }, 1_000_000);
    assert.equal(soak.active, true);
    assert.equal(soak.burnMs(1_000_000), 0);
    assert.ok(Math.abs(soak.burnMs(1_000_000 + 90_000) - 3) < 1e-9, '2 ms a minute: 3 ms after 90 s');
    assert.equal(soak.burnMs(1_000_000 + 3_600_000), MAX_BURN_MS, 'capped');
    const cpu = process.cpuUsage();
    assert.equal(soak.onRequest(Math.random, 1_000_000 + 150_000), false, 'a burn is not a 503');
    const used = process.cpuUsage(cpu);
    assert.ok((used.user + used.system) / 1000 >= 5, `burned ${(used.user + used.system) / 1000} ms of 5`);
    const before = { ...settings };
    settings.cpuMsRisePerMinute = 0;
    soak.changed(before, 2_000_000);
    assert.equal(soak.active, false);
    assert.equal(soak.burnMs(3_000_000), 0);
  });
});
