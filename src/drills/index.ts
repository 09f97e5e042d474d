// `stressgate drill --drill redis|app-restart|db|alerts|all` (make drill-redis, drill-app-restart,
// drill-db, drill-alerts, drills): runs the drills and writes artifacts/drills/<name>.json.
//
// Drivers: `local` (default) starts private PostgreSQL, Redis (child processes, stopped and started
// by PID), the reference app in-process and Prometheus; `stack` acts on `make stack-up`'s processes
// through scripts/stack/stack.sh (PID files); `compose` runs `docker compose stop|start <service>`
// on the Compose deployment (--compose-file, --target, --database-url). Alert drills need the app's
// fault control and a Prometheus loading the scaled rule copies, so they run on `local` only.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { assertTargetAllowed } from '../gate/interlock.js';
import { k6DurationMs } from '../kernel/duration.js';
import { committedRuleFiles, startLocalStack, type LocalStack } from '../live/stack.js';
import { ALERT_DRILLS, runAlertDrill, type AlertDrillResult } from './alerts.js';
import { runNoFalseAlarm, type NoFalseAlarmResult } from './no-false-alarm.js';
import { scaledRuleFiles } from './scaled-rules.js';
import {
  composeDriver,
  localDriver,
  runFaultDrill,
  stackShDriver,
  type Driver,
  type FaultDrillName,
  type FaultDrillResult,
} from './faults.js';
import { parseCommand, stdio, type Io } from '../command.js';
import { DRILL_COMMAND } from './command.js';

export {
  runFaultDrill,
  localDriver,
  stackShDriver,
  composeDriver,
  BOUNDS,
  type Driver,
  type FaultDrillResult,
} from './faults.js';
export { runAlertDrill, ALERT_DRILLS, type AlertDrillResult } from './alerts.js';
export { runNoFalseAlarm } from './no-false-alarm.js';
export { scaledRuleFiles } from './scaled-rules.js';

const FAULT_DRILLS: FaultDrillName[] = ['redis', 'app-restart', 'db'];

export interface AlertDrillsReport {
  readonly at: string;
  readonly rules: string;
  readonly noFalseAlarm: NoFalseAlarmResult;
  readonly drills: readonly AlertDrillResult[];
  readonly pass: boolean;
}

/** Every alert drill plus the no-false-alarm drill on a fresh local stack with scaled rules. */
export async function runAlertDrills(
  root: string,
  log?: (l: string) => void,
  only?: readonly string[],
): Promise<AlertDrillsReport> {
  const dir = await mkdtemp(join(tmpdir(), 'stressgate-drill-rules-'));
  let stack: LocalStack | undefined;
  try {
    const ruleFiles = await scaledRuleFiles(committedRuleFiles(root), dir);
    stack = await startLocalStack({ root, faults: true, ruleFiles });
    const ctx = { stack, prom: stack.prometheus.client };
    const noFalseAlarm = await runNoFalseAlarm(ctx, 8_000);
    log?.(
      `no false alarm: ${noFalseAlarm.ok ? 'ok' : `active: ${noFalseAlarm.active.map((a) => a.alertname).join(', ')}`}${noFalseAlarm.slowMachine.length ? ` (slower than the SLO here, excused: ${noFalseAlarm.slowMachine.map((s) => s.alert.alertname).join(', ')})` : ''}`,
    );
    const drills: AlertDrillResult[] = [];
    for (const d of ALERT_DRILLS.filter((x) => !only || only.includes(x.alert))) {
      const r = await runAlertDrill(d, ctx, { log });
      drills.push(r);
      log?.(`${r.alert}: ${r.ok ? 'ok' : `FAILED: ${r.error}`}`);
    }
    return {
      at: new Date().toISOString(),
      rules: 'generated rules, windows / 60 (min 5s), for / 60 (min 2s)',
      noFalseAlarm,
      drills,
      pass: noFalseAlarm.ok && drills.every((d) => d.ok),
    };
  } finally {
    await stack?.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

/** CLI entry point. */
export async function runDrill(argv: string[], io: Io = stdio): Promise<number> {
  const parsed = parseCommand(DRILL_COMMAND, argv, io);
  if (!parsed.ok) return parsed.exit;
  const { values } = parsed;
  const which = values.drill!;
  if (![...FAULT_DRILLS, 'alerts', 'all'].includes(which) || !['local', 'stack', 'compose'].includes(values.driver!)) {
    io.err(`drill: unknown --drill ${which} or --driver ${values.driver}\n`);
    return 2;
  }
  if (which === 'alerts' && values.driver !== 'local') {
    io.err('drill: alert drills run on the local driver only (they need the fault control and scaled rules)\n');
    return 2;
  }
  const root = resolve(values.root!);
  const outDir = join(resolve(values.out!), 'drills');
  await mkdir(outDir, { recursive: true });
  const log = (l: string) => io.err(`${l}\n`);
  let pass = true;

  const faultDrills = which === 'all' ? FAULT_DRILLS : FAULT_DRILLS.filter((d) => d === which);
  if (faultDrills.length) {
    let stack: LocalStack | undefined;
    let driver: Driver;
    try {
      if (values.driver === 'local') {
        // The app's defaults: the 10-minute idle reaper cannot be what closes the rooms a fault orphaned.
        stack = await startLocalStack({ root });
        driver = localDriver(stack);
      } else if (values.driver === 'stack') driver = stackShDriver(root);
      else {
        if (!values.target || !values['database-url']) {
          io.err('drill: --driver compose needs --target and --database-url\n');
          return 2;
        }
        assertTargetAllowed(values.target);
        driver = composeDriver({
          file: values['compose-file']!,
          target: values.target,
          databaseUrl: values['database-url'],
        });
      }
      for (const name of faultDrills) {
        const r: FaultDrillResult = await runFaultDrill(name, driver, {
          outageMs: k6DurationMs(values.outage!),
          log,
          ...(values['rooms-timeout'] ? { roomsTimeoutMs: k6DurationMs(values['rooms-timeout']) } : {}),
        });
        await writeFile(join(outDir, `${name}.json`), `${JSON.stringify(r, null, 2)}\n`);
        io.out(
          `drill ${name}: ${r.pass ? 'PASS' : 'FAIL'}; readiness flip ${r.readinessFlipMs === null ? `not seen (${r.readinessNote})` : `${r.readinessFlipMs} ms`}, recovery ${r.recoveryMs} ms, ` +
            `delivery resumed ${r.deliveryResumedMs} ms, messages ${r.messages.acknowledged} acknowledged / ${r.messages.lost} lost, rooms open after ${r.rooms.activeAfter}` +
            `${r.failures.length ? `\n  ${r.failures.join('\n  ')}` : ''}\n`,
        );
        pass &&= r.pass;
      }
    } finally {
      await stack?.stop();
    }
  }
  if (which === 'alerts' || (which === 'all' && values.driver === 'local')) {
    const report = await runAlertDrills(root, log);
    await writeFile(join(outDir, 'alerts.json'), `${JSON.stringify(report, null, 2)}\n`);
    for (const d of report.drills)
      io.out(
        `alert drill ${d.alert}: ${d.ok ? 'PASS' : 'FAIL'}; pending after ${d.pendingAfterMs} ms, cleared ${d.clearedAfterMs} ms after the fault stopped${d.error ? ` (${d.error})` : ''}\n`,
      );
    io.out(
      `no-false-alarm: ${report.noFalseAlarm.ok ? 'PASS' : `FAIL (${report.noFalseAlarm.active.map((a) => `${a.alertname} ${a.states.join(' and ')}`).join(', ')})`}\n`,
    );
    pass &&= report.pass;
  }
  io.out(`drills: ${pass ? 'PASS' : 'FAIL'}; results in ${outDir}\n`);
  return pass ? 0 : 1;
}
