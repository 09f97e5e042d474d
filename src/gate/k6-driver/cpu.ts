// The load generator's own CPU, for the verdict's run validity (src/gate/verdict/validity.ts): k6
// v0.48 reports no CPU of its own, so for a local run the gate samples the k6 process's CPU time
// (utime + stime, in clock ticks) from /proc/<pid>/stat. The peak is the busiest SPAN_S seconds, in
// cores: a k6 using all the cores it may use (GOMAXPROCS = the machine's) is saturated, and its
// latencies measure its own queueing, not the target. Linux only; elsewhere nothing is sampled.
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

/** Clock ticks per second (USER_HZ): 100 on every Linux architecture Node runs on. */
const TICKS = 100;
const SAMPLE_MS = 500;
/** The peak is averaged over this long: one garbage collection is not a saturated generator. */
export const SPAN_S = 5;

export interface CpuUsage {
  /** Cores the generator could use. */
  readonly cores: number;
  /** Its busiest SPAN_S seconds, in cores (CPU seconds per second). */
  readonly peakCores: number;
  /** CPU seconds over the whole run. */
  readonly cpuSeconds: number;
  readonly samples: number;
}

/** utime + stime of a process in seconds, or null when /proc does not have it (gone, not Linux). */
export function processCpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses: fields count from after its last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS;
  } catch {
    return null;
  }
}

/** The busiest `span` seconds (the whole run when shorter) of [time s, cpu s] samples, in cores. */
export function peakCores(samples: ReadonlyArray<readonly [number, number]>, span = SPAN_S): number {
  if (samples.length < 2) return 0;
  const need = Math.min(span, samples[samples.length - 1]![0] - samples[0]![0]);
  let peak = 0;
  for (let i = 1, j = 0; i < samples.length; i++) {
    // The shortest window ending at sample i that still spans `need`.
    while (j < i - 1 && samples[i]![0] - samples[j + 1]![0] >= need) j++;
    const dt = samples[i]![0] - samples[j]![0];
    if (dt > 0 && dt >= need - 1e-9) peak = Math.max(peak, (samples[i]![1] - samples[j]![1]) / dt);
  }
  return peak;
}

/** Samples a process's CPU time until `stop()`; null from `stop()` when nothing could be read. */
export function sampleCpu(pid: number, cores = availableParallelism()): { stop(): CpuUsage | null } {
  const samples: Array<[number, number]> = [];
  const take = () => {
    const cpu = processCpuSeconds(pid);
    if (cpu !== null) samples.push([performance.now() / 1000, cpu]);
  };
  take();
  const timer = setInterval(take, SAMPLE_MS);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      if (samples.length < 2) return null;
      return {
        cores,
        peakCores: Number(peakCores(samples).toFixed(3)),
        cpuSeconds: Number((samples[samples.length - 1]![1] - samples[0]![1]).toFixed(2)),
        samples: samples.length,
      };
    },
  };
}
