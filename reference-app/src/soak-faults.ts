// The soak's faults (installed with the others by ./faults.ts): what a 2-hour run must catch and a
// 20-second one cannot. Both act on every /api/* request.
// - leakBytesPerRequest: each request retains that many bytes in the V8 heap (a string kept in an array,
//   as a cache that never evicts would), bounded at LEAK_CAP_BYTES so a forgotten fault cannot take the
//   machine; clearing the fault releases it all.
// - http5xxRisePerMinute: the share of requests answered 503 grows linearly from the moment it is set
//   (0.001 is +0.1 percentage points a minute), as a slowly exhausting resource would.
// - cpuMsRisePerMinute: each request burns that many more milliseconds of CPU per minute since it was set
//   (a structure scanned per request that keeps growing), at most MAX_BURN_MS a request.
import type { FaultSettings } from './fault-settings.js';

/** The most a leak retains, whatever its rate. */
export const LEAK_CAP_BYTES = 1 << 30;
/** The most CPU one request burns, whatever the rise: a forgotten fault slows the app, it does not stop it. */
export const MAX_BURN_MS = 20;

/** A fault that grows linearly from the moment its rate is set (restarting when the rate changes). */
class Rise {
  private since: number | null = null;
  constructor(private readonly rate: () => number) {}
  changed(before: number, now: number): void {
    if (this.rate() <= 0) this.since = null;
    else if (before !== this.rate() || this.since === null) this.since = now;
  }
  get active(): boolean {
    return this.since !== null;
  }
  /** rate × minutes since it was set. */
  at(now: number): number {
    return this.since === null ? 0 : (this.rate() * (now - this.since)) / 60_000;
  }
}

export class SoakFaults {
  private readonly retained: string[] = [];
  private retainedBytes = 0;
  private readonly errors: Rise;
  private readonly cpu: Rise;

  constructor(private readonly settings: Readonly<FaultSettings>) {
    this.errors = new Rise(() => settings.http5xxRisePerMinute);
    this.cpu = new Rise(() => settings.cpuMsRisePerMinute);
  }

  /** Call after every settings change: a rise starts counting when set, a cleared leak is released. */
  changed(before: Readonly<FaultSettings>, now = Date.now()): void {
    this.errors.changed(before.http5xxRisePerMinute, now);
    this.cpu.changed(before.cpuMsRisePerMinute, now);
    if (this.settings.leakBytesPerRequest <= 0) {
      this.retained.length = 0;
      this.retainedBytes = 0;
    }
  }

  get active(): boolean {
    return this.settings.leakBytesPerRequest > 0 || this.errors.active || this.cpu.active;
  }

  /** Bytes the leak holds now. */
  get leaked(): number {
    return this.retainedBytes;
  }

  /** The rising share at `now`: rate × minutes since it was set, at most 1. */
  ratio(now = Date.now()): number {
    return Math.min(1, this.errors.at(now));
  }

  /** The CPU each request burns at `now`, ms: rate × minutes since it was set, at most MAX_BURN_MS. */
  burnMs(now = Date.now()): number {
    return Math.min(MAX_BURN_MS, this.cpu.at(now));
  }

  /** One request: leaks its bytes, burns its CPU; true when it is to be answered 503. */
  onRequest(random: () => number = Math.random, now = Date.now()): boolean {
    burnCpu(this.burnMs(now));
    const n = this.settings.leakBytesPerRequest;
    if (n > 0 && this.retainedBytes + n <= LEAK_CAP_BYTES) {
      // A flat string in the V8 heap, fresh each time ('x'.repeat(n) would be a rope sharing its halves).
      this.retained.push(Buffer.alloc(n, 97 + Math.floor(random() * 26)).toString('latin1'));
      this.retainedBytes += n;
    }
    return this.errors.active && random() < this.ratio(now);
  }
}

/** Spins until this process has used `ms` more CPU (user + system), or 10× that in wall time has passed. */
function burnCpu(ms: number): void {
  if (ms <= 0) return;
  const start = process.cpuUsage();
  const deadline = performance.now() + 10 * ms;
  for (let i = 0; i < 1_000_000 && performance.now() < deadline; i++) {
    const used = process.cpuUsage(start);
    if ((used.user + used.system) / 1000 >= ms) return;
  }
}
