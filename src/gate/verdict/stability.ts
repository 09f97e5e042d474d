// The target's memory, event-loop lag and error trend over the run (stress and soak): informational
// numbers for "stable memory, no rising error trend"; they do not gate.
import { PromClient } from '../../kernel/prometheus-client.js';
import type { Stability } from './schema.js';

/** The runbook's soak bounds: memory growth after warm-up, and a 5xx ratio rising between the run's halves. */
export const SOAK_BOUNDS = { maxMemoryGrowth: 0.1, risingFactor: 1.5, risingFloor: 0.001 } as const;

/** Whether the 5xx ratio rose between the halves: more than `risingFactor` times, and above the floor. */
export const errorRatioRising = (e: NonNullable<Stability['errorRatio']>): boolean =>
  e.secondHalf > e.firstHalf * SOAK_BOUNDS.risingFactor && e.secondHalf > SOAK_BOUNDS.risingFloor;

async function rangeValues(prom: PromClient, query: string, start: Date, end: Date): Promise<number[]> {
  const step = Math.ceil((end.getTime() - start.getTime()) / 1000 / 200);
  const [first] = await prom.queryRange(query, start, end, step);
  return (first?.values ?? []).map(([, v]) => Number(v)).filter(Number.isFinite);
}

async function instant(prom: PromClient, query: string, at: Date): Promise<number | null> {
  const v = Number((await prom.query(query, at))[0]?.value[1]);
  return Number.isFinite(v) ? v : null;
}

export async function stabilityOf(prometheus: string, start: Date, end: Date, job = 'api'): Promise<Stability> {
  const prom = new PromClient(prometheus);
  const memory = await rangeValues(prom, `sum(process_resident_memory_bytes{job="${job}"})`, start, end);
  const lag = await rangeValues(prom, `max(nodejs_eventloop_lag_p99_seconds{job="${job}"})`, start, end);
  const mid = new Date((start.getTime() + end.getTime()) / 2);
  const half = `${Math.max(1, Math.round((mid.getTime() - start.getTime()) / 1000))}s`;
  const ratio = (at: Date) =>
    instant(
      prom,
      `(sum(increase(http_requests_total{job="${job}", status=~"5.."}[${half}])) or vector(0)) / sum(increase(http_requests_total{job="${job}"}[${half}]))`,
      at,
    );
  const [firstHalf, secondHalf] = [await ratio(mid), await ratio(end)];
  return {
    memoryBytes: memory.length
      ? { first: memory[0]!, last: memory.at(-1)!, max: Math.max(...memory), growth: memory.at(-1)! / memory[0]! - 1 }
      : null,
    eventLoopLagP99Seconds: lag.length
      ? { avg: lag.reduce((a, b) => a + b, 0) / lag.length, max: Math.max(...lag) }
      : null,
    errorRatio: firstHalf !== null && secondHalf !== null ? { firstHalf, secondHalf } : null,
  };
}
