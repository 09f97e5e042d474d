// Fault drills under concurrent chat + notification + game load: Redis restart, app restart (SIGTERM
// drain, then start), PostgreSQL unavailable for a few seconds. Each measures what a release manager
// asks about (time to readiness flip, time to recovery, messages lost, stuck rooms) and checks it
// against stated bounds. The stack is reached through a Driver, so the same drill runs on the local
// in-process stack (processes by PID), on `make stack-up` (scripts/stack/stack.sh, PID files), or on
// the Compose deployment (`docker compose stop/start <service>`).
import { BackgroundLoad, type BackgroundLoadResult } from './background-load.js';
import type { Driver, ServiceName } from './drivers.js';
import { Observer, sleep } from './observer.js';
import { activeRooms, databaseNow, ReadinessProbe, watchDrain, type ReadySample, type RoomScope } from './probes.js';

export { composeDriver, localDriver, stackShDriver, type Driver, type ServiceName } from './drivers.js';

export type FaultDrillName = 'redis' | 'app-restart' | 'db';

/** The bounds each drill asserts (the numbers the docs state). */
export const BOUNDS = {
  readinessFlipMs: 5_000,
  recoveryMs: 15_000,
  deliveryResumedMs: 15_000,
  errorRateRecoveredMs: 15_000,
  roomsClosedMs: 30_000,
} as const;

export interface FaultDrillResult {
  readonly drill: FaultDrillName;
  readonly driver: string;
  readonly at: string;
  readonly outageMs: number;
  readonly load: BackgroundLoadResult;
  /** Fault → first /readyz 503 (for app-restart: the drain's `draining`, polled back to back while it drains). */
  readonly readinessFlipMs: number | null;
  readonly readinessFailing: string[] | null;
  /** When the flip was not seen, why (e.g. a drain faster than any probe); null when it was. */
  readonly readinessNote: string | null;
  /** Service back → first /readyz 200. */
  readonly recoveryMs: number | null;
  /** Service back → first message sent after it delivered live over the recipient's socket. */
  readonly deliveryResumedMs: number | null;
  readonly notificationResumedMs: number | null;
  readonly sockets: { closeCodes: number[]; reconnects: number; reconnectAfterRecoveryMs: number | null };
  readonly messages: {
    acknowledged: number;
    persisted: number;
    lost: number;
    deliveredLive: number;
    seenNotPersisted: number;
    missingAfterResync: number;
  };
  /** Writes answered during the outage: status → count, with the error codes. */
  readonly writesDuringOutage: Record<string, number>;
  readonly writeErrors: string[];
  /** Service back → last 5xx the observer saw (0 if none after it). */
  readonly errorRateRecoveredMs: number | null;
  readonly tokenRefresh: { status: number | null };
  /** Open rooms the drill's own users created since it began (others' rooms are not the drill's). */
  readonly rooms: {
    activeAtLoadEnd: number;
    activeAfter: number;
    closedWithinMs: number | null;
    scope: { since: string; users: string };
  };
  readonly bounds: { readonly [K in keyof typeof BOUNDS]: number };
  readonly failures: string[];
  readonly pass: boolean;
}

const SERVICE: Record<FaultDrillName, ServiceName> = { redis: 'redis', 'app-restart': 'app', db: 'postgres' };

export interface FaultDrillOptions {
  /** How long the service stays down (default 3 s). */
  readonly outageMs?: number;
  /** VUs per WS scenario (chat, notifications, games); default 2. */
  readonly vus?: number;
  /** How long open game rooms may take to be closed after the load (default BOUNDS.roomsClosedMs).
   *  Rooms whose players' sessions died in the fault are closed GAME_RESUME_TIMEOUT_S (20 s) after the
   *  app saw its dependencies back (reference-app/src/game-resume.ts), not by the 10-minute idle reaper. */
  readonly roomsTimeoutMs?: number;
  readonly log?: (line: string) => void;
}

export async function runFaultDrill(
  name: FaultDrillName,
  driver: Driver,
  opts: FaultDrillOptions = {},
): Promise<FaultDrillResult> {
  const outageMs = opts.outageMs ?? 3_000;
  const vus = opts.vus ?? 2;
  const service = SERVICE[name];
  const since = await databaseNow(driver.databaseUrl);
  const observer = new Observer(() => driver.target());
  await observer.start();
  const probe = new ReadinessProbe(() => driver.target());
  const load = new BackgroundLoad({
    target: driver.target(),
    vus: { messaging: vus, notifications: vus, games: vus },
    maxMs: 120_000,
  });
  await sleep(2_000);
  const tFault = Date.now();
  opts.log?.(`${name}: stopping ${service} (${driver.name})`);
  const stopping = driver.stop(service);
  // The app's drain is over in milliseconds when its sockets close fast: watch /readyz back to back.
  const drain = name === 'app-restart' ? watchDrain(driver.target(), stopping) : Promise.resolve([]);
  await stopping;
  const drainSamples: ReadySample[] = await drain;
  const stopped = Date.now();
  await sleep(Math.max(0, outageMs - (stopped - tFault)));
  const tBack = Date.now();
  await driver.start(service);
  opts.log?.(`${name}: ${service} started again after ${tBack - tFault} ms down`);
  // Sessions continue with refreshed tokens (rotation works against the restarted service).
  let refreshStatus: number | null = null;
  for (let i = 0; i < 50 && refreshStatus !== 200; i++) {
    refreshStatus = await observer.refresh('b');
    if (refreshStatus !== 200) await sleep(200);
  }
  // Let delivery resume and the load run on, bounded.
  const resumedBy = Date.now() + BOUNDS.deliveryResumedMs;
  const deliveredAfter = () =>
    [...observer.received.entries()].some(([body, t]) => t > tBack && (observer.acked.get(body) ?? 0) > tBack);
  while (
    Date.now() < resumedBy &&
    !(
      deliveredAfter() &&
      observer.notifications.some((t) => t > tBack) &&
      probe.first(tBack, (s) => s.status === 200) !== null
    )
  )
    await sleep(100);
  await sleep(2_000);
  const loadResult = await load.stop();
  await observer.stop();
  await probe.stop();
  const t = (x: number | null, from: number) => (x === null ? null : x - from);

  const firstDeliveredAfter = Math.min(
    ...[...observer.received.entries()]
      .filter(([body, at]) => at > tBack && (observer.acked.get(body) ?? 0) > tBack)
      .map(([, at]) => at),
  );
  const notificationAfter = observer.notifications.find((x) => x > tBack) ?? null;
  const flip =
    name === 'app-restart'
      ? [...drainSamples, ...probe.samples.filter((s) => s.t >= tFault && s.t <= tBack)]
          .sort((a, b) => a.t - b.t)
          .find((s) => s.status === 503)
      : probe.samples.find((s) => s.t >= tFault && s.status !== 200);
  const readinessNote = flip ? null : flipNotSeen(name, drainSamples, stopped - tFault);
  const recovered = probe.first(tBack, (s) => s.status === 200);
  const outageWrites = observer.sendStatuses.filter((s) => s.t >= tFault && s.t <= tBack);
  const writesDuringOutage: Record<string, number> = {};
  for (const s of outageWrites) writesDuringOutage[String(s.status)] = (writesDuringOutage[String(s.status)] ?? 0) + 1;
  const writeErrors = [
    ...new Set(
      outageWrites
        .filter((s) => s.status >= 500)
        .map((s) => `${s.status} ${s.error ?? ''}${s.dependency ? ` (${s.dependency})` : ''}`.trim()),
    ),
  ];
  const last5xx = observer.sendStatuses.filter((s) => s.t > tBack && (s.status >= 500 || s.status === 0)).at(-1);
  const reconnectAfter = observer.reconnects.find((r) => r.t > tBack && r.channel === 'chat')?.t ?? null;
  const messages = await observer.reconcile(driver.databaseUrl);

  // No game room stuck open: the flows close theirs; those whose players' sessions died in the fault
  // are closed by the app (GAME_RESUME_TIMEOUT_S). Only the drill's own users' rooms count.
  const scope: RoomScope = { since, userPattern: `lt${load.runId}\\_%` };
  const activeAtLoadEnd = await activeRooms(driver.databaseUrl, scope);
  const roomsFrom = Date.now();
  let activeAfter = activeAtLoadEnd;
  const roomsTimeoutMs = opts.roomsTimeoutMs ?? BOUNDS.roomsClosedMs;
  for (let i = 0; i < 100_000 && activeAfter > 0 && Date.now() - roomsFrom < roomsTimeoutMs; i++) {
    await sleep(250);
    activeAfter = await activeRooms(driver.databaseUrl, scope);
  }

  const result = {
    drill: name,
    driver: driver.name,
    at: new Date(tFault).toISOString(),
    outageMs: tBack - tFault,
    load: loadResult,
    readinessFlipMs: t(flip?.t ?? null, tFault),
    readinessFailing: name === 'app-restart' ? (flip ? [flip.state ?? 'draining'] : null) : (flip?.failing ?? null),
    readinessNote,
    recoveryMs: t(recovered, tBack),
    deliveryResumedMs: Number.isFinite(firstDeliveredAfter) ? firstDeliveredAfter - tBack : null,
    notificationResumedMs: t(notificationAfter, tBack),
    sockets: {
      closeCodes: [...new Set(observer.closes.filter((c) => c.t >= tFault).map((c) => c.code))].sort(),
      reconnects: observer.reconnects.filter((r) => r.t > tFault).length,
      reconnectAfterRecoveryMs: t(reconnectAfter, tBack),
    },
    messages: {
      acknowledged: messages.acknowledged,
      persisted: messages.persisted,
      lost: messages.lost.length,
      deliveredLive: messages.deliveredLive,
      seenNotPersisted: messages.seenNotPersisted.length,
      missingAfterResync: messages.missingAfterResync.length,
    },
    writesDuringOutage,
    writeErrors,
    errorRateRecoveredMs: last5xx ? last5xx.t - tBack : 0,
    tokenRefresh: { status: refreshStatus },
    rooms: {
      activeAtLoadEnd,
      activeAfter,
      closedWithinMs: activeAfter === 0 ? Date.now() - roomsFrom : null,
      scope: { since, users: scope.userPattern },
    },
    bounds: { ...BOUNDS, roomsClosedMs: roomsTimeoutMs },
  };
  const failures: string[] = [];
  const within = (what: string, v: number | null, bound: number) =>
    v === null
      ? failures.push(`${what}: never observed`)
      : v > bound && failures.push(`${what}: ${v} ms > ${bound} ms`);
  if (name !== 'app-restart') {
    within('readiness flip', result.readinessFlipMs, BOUNDS.readinessFlipMs);
    if (!result.readinessFailing?.includes(service))
      failures.push(`readiness did not name ${service} (failing: ${JSON.stringify(result.readinessFailing)})`);
  } else {
    // A drain too fast for any probe to see is said so (readinessNote), not failed: there was nothing to route around.
    if (flip) within('readiness flip (draining)', result.readinessFlipMs, BOUNDS.readinessFlipMs);
    if (!result.sockets.closeCodes.includes(1001))
      failures.push(`sockets were not closed with 1001 on drain (codes: ${result.sockets.closeCodes.join(', ')})`);
  }
  if (name === 'redis' && !result.sockets.closeCodes.includes(1013))
    failures.push(
      `sockets were not closed with 1013 when Redis went away (codes: ${result.sockets.closeCodes.join(', ')})`,
    );
  within('recovery (readiness 200)', result.recoveryMs, BOUNDS.recoveryMs);
  within('chat delivery resumed', result.deliveryResumedMs, BOUNDS.deliveryResumedMs);
  within('notification delivery resumed', result.notificationResumedMs, BOUNDS.deliveryResumedMs);
  // PostgreSQL going away does not close sockets (realtime needs only Redis): nothing to reconnect.
  if (name !== 'db') within('client reconnect', result.sockets.reconnectAfterRecoveryMs, BOUNDS.recoveryMs);
  else if (result.sockets.closeCodes.length)
    failures.push(`sockets were closed during a PostgreSQL outage (codes: ${result.sockets.closeCodes.join(', ')})`);
  within('error rate recovered', result.errorRateRecoveredMs, BOUNDS.errorRateRecoveredMs);
  if (name === 'db' && !writeErrors.some((e) => e.startsWith('503 dependency_unavailable (postgres)')))
    failures.push(
      `writes during the outage were not 503 dependency_unavailable (postgres): ${JSON.stringify(writesDuringOutage)} ${writeErrors.join('; ')}`,
    );
  if (result.messages.lost > 0) failures.push(`${result.messages.lost} acknowledged messages are not in PostgreSQL`);
  if (result.messages.seenNotPersisted > 0)
    failures.push(`${result.messages.seenNotPersisted} messages delivered over WS are not in PostgreSQL`);
  if (result.messages.missingAfterResync > 0)
    failures.push(`${result.messages.missingAfterResync} acknowledged messages missing from the recipient's history`);
  if (result.messages.acknowledged === 0) failures.push('no message was acknowledged: the drill measured nothing');
  if (refreshStatus !== 200) failures.push(`token refresh after recovery answered ${refreshStatus}`);
  if (activeAfter > 0)
    failures.push(
      `${activeAfter} game rooms of the drill's users still open ${roomsTimeoutMs} ms after the load (the app closes rooms whose players' sessions died GAME_RESUME_TIMEOUT_S after it sees its dependencies back)`,
    );
  return { ...result, failures, pass: failures.length === 0 };
}

/** Why the readiness flip was not seen. */
function flipNotSeen(name: FaultDrillName, drain: readonly ReadySample[], stopMs: number): string {
  if (name !== 'app-restart') return 'no /readyz answer other than 200 between the fault and the recovery';
  const statuses = [...new Set(drain.map((s) => s.status))].join(', ') || 'none';
  return `the drain took ${stopMs} ms and none of the ${drain.length} /readyz probes made back to back during it answered 503 (statuses seen: ${statuses}; 0 is connection refused): the drain was too fast to observe`;
}
