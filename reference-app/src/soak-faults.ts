// The soak's faults (installed with the others by ./faults.ts): what a 2-hour run must catch and a
// 20-second one cannot. Both act on every /api/* request.
// - leakBytesPerRequest: each request retains that many bytes in the V8 heap (a string kept in an array,
//   as a cache that never evicts would), bounded at LEAK_CAP_BYTES so a forgotten fault cannot take the
//   machine; clearing the fault releases it all.
// - http5xxRisePerMinute: the share of requests answered 503 grows linearly from the moment it is set
//   (0.001 is +0.1 percentage points a minute), as a slowly exhausting resource would.
import type { FaultSettings } from './fault-settings.js';

/** The most a leak retains, whatever its rate. */
export const LEAK_CAP_BYTES = 1 << 30;

export class SoakFaults {
  private readonly retained: string[] = [];
  private retainedBytes = 0;
  private risingSince: number | null = null;

  constructor(private readonly settings: Readonly<FaultSettings>) {}

  /** Call after every settings change: a rise starts counting when set, a cleared leak is released. */
  changed(before: Readonly<FaultSettings>, now = Date.now()): void {
    if (this.settings.http5xxRisePerMinute <= 0) this.risingSince = null;
    else if (before.http5xxRisePerMinute !== this.settings.http5xxRisePerMinute || this.risingSince === null)
      this.risingSince = now;
    if (this.settings.leakBytesPerRequest <= 0) {
      this.retained.length = 0;
      this.retainedBytes = 0;
    }
  }

  get active(): boolean {
    return this.settings.leakBytesPerRequest > 0 || this.risingSince !== null;
  }

  /** Bytes the leak holds now. */
  get leaked(): number {
    return this.retainedBytes;
  }

  /** The rising share at `now`: rate × minutes since it was set, at most 1. */
  ratio(now = Date.now()): number {
    if (this.risingSince === null) return 0;
    return Math.min(1, (this.settings.http5xxRisePerMinute * (now - this.risingSince)) / 60_000);
  }

  /** One request: leaks its bytes; true when it is to be answered 503. */
  onRequest(random: () => number = Math.random, now = Date.now()): boolean {
    const n = this.settings.leakBytesPerRequest;
    if (n > 0 && this.retainedBytes + n <= LEAK_CAP_BYTES) {
      // A flat string in the V8 heap, fresh each time ('x'.repeat(n) would be a rope sharing its halves).
      this.retained.push(Buffer.alloc(n, 97 + Math.floor(random() * 26)).toString('latin1'));
      this.retainedBytes += n;
    }
    return this.risingSince !== null && random() < this.ratio(now);
  }
}
