// The faults the drills can inject (faults.ts installs the control); the hub reads them on its hot path.
export interface FaultSettings {
  http5xxRatio: number;
  authFailureRatio: number;
  latencyMs: number;
  deliveryDelayMs: number;
  wsDisconnect: boolean;
  backpressure: boolean;
  /** Bytes each /api/* request retains (a leak, ./soak-faults.ts). */
  leakBytesPerRequest: number;
  /** The 5xx share grows by this much a minute from the moment it is set (./soak-faults.ts). */
  http5xxRisePerMinute: number;
  /** Each request burns this many more ms of CPU a minute from the moment it is set (./soak-faults.ts). */
  cpuMsRisePerMinute: number;
}

export const NO_FAULTS: Readonly<FaultSettings> = Object.freeze({
  http5xxRatio: 0,
  authFailureRatio: 0,
  latencyMs: 0,
  deliveryDelayMs: 0,
  wsDisconnect: false,
  backpressure: false,
  leakBytesPerRequest: 0,
  http5xxRisePerMinute: 0,
  cpuMsRisePerMinute: 0,
});
