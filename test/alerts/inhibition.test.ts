// Inhibition proven on the real Alertmanager (Debian's prometheus-alertmanager on 127.0.0.1): alerts
// are posted through its v2 API with the labels they fire with, and the API must report exactly the
// intended ones suppressed, by the intended source. Each scenario uses its own job, so they cannot
// interfere; every inhibit rule must be exercised; a broken config must fail the same checks.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { matchesAll } from '../../src/constructs/alertmanager.js';
import { routing } from '../../src/alerts/routing.js';
import { sleep } from '../../src/kernel/process.js';
import {
  alertLabelSets,
  alertStatuses,
  postAlerts,
  routingConfig,
  startAlertmanager,
  type AlertStatus,
  type Labels,
  type RunningAlertmanager,
} from './alertmanager-harness.js';

interface Scenario {
  readonly name: string;
  readonly job: string;
  readonly fire: readonly string[];
  /** Alert name → the alert that must suppress it; every other alert of the scenario stays active. */
  readonly suppressed: Readonly<Record<string, string>>;
}

const SCENARIOS: readonly Scenario[] = [
  {
    name: 'no API target up silences the SLO alerts of its job, not its WebSocket alerts or the heartbeat',
    job: 'api-no-target-up',
    fire: [
      'ApiNoTargetUp',
      'ApiTargetDown',
      'Http5xxRatioHigh',
      'ApiLatencyP95BudgetBurn1h',
      'WsBackpressureDrops',
      'GateWatchdog',
    ],
    suppressed: { Http5xxRatioHigh: 'ApiNoTargetUp', ApiLatencyP95BudgetBurn1h: 'ApiNoTargetUp' },
  },
  {
    name: "one API instance down silences nothing: the job's other instances still serve, and its SLO pages are about them",
    job: 'api-one-down',
    fire: ['ApiTargetDown', 'Http5xxRatioHigh', 'ApiLatencyP95BudgetBurn1h'],
    suppressed: {},
  },
  {
    name: 'causes are never silenced by each other',
    job: 'api-causes',
    fire: ['ApiTargetDown', 'ApiNoTargetUp', 'PostgresUnhealthy', 'RedisUnhealthy'],
    suppressed: {},
  },
  {
    name: 'a dependency down silences the SLO alerts of its job',
    job: 'api-redis-down',
    fire: ['RedisUnhealthy', 'ChatDeliveryLatencyHigh', 'NotificationDeliveryP95BudgetBurn6h', 'WsDisconnectSpike'],
    suppressed: { ChatDeliveryLatencyHigh: 'RedisUnhealthy', NotificationDeliveryP95BudgetBurn6h: 'RedisUnhealthy' },
  },
  {
    name: 'a fast burn page silences the slow-burn tickets of the same SLO only',
    job: 'api-burn',
    fire: [
      'Http5xxRatioBudgetBurn1h',
      'Http5xxRatioBudgetBurn1d',
      'Http5xxRatioBudgetBurn3d',
      'Http5xxRatioHigh',
      'AuthFailureRatioBudgetBurn1d',
    ],
    suppressed: {
      Http5xxRatioBudgetBurn1d: 'Http5xxRatioBudgetBurn1h',
      Http5xxRatioBudgetBurn3d: 'Http5xxRatioBudgetBurn1h',
    },
  },
];

/** Another job's outage says nothing about this one. */
const CROSS_JOB = {
  name: 'inhibition stays within a job',
  fire: [
    ['ApiNoTargetUp', 'api-a'],
    ['Http5xxRatioHigh', 'api-b'],
    ['RedisUnhealthy', 'api-c'],
    ['ChatDeliveryLatencyHigh', 'api-d'],
  ],
} as const;

const byName = new Map(alertLabelSets().map((l) => [l.alertname, l]));
const labelsFor = (name: string, job: string): Labels => {
  const l = byName.get(name);
  assert.ok(l, `no alert named ${name}`);
  return { ...l, job };
};

async function fireAll(am: RunningAlertmanager): Promise<void> {
  await postAlerts(am, [
    ...SCENARIOS.flatMap((s) => s.fire.map((n) => labelsFor(n, s.job))),
    ...CROSS_JOB.fire.map(([n, job]) => labelsFor(n, job)),
  ]);
}

/**
 * Statuses once the inhibitor has caught up (it learns of alerts asynchronously): polled until
 * `done` holds, at most `maxMs`; then the time it took.
 */
async function statusesWhen(
  am: RunningAlertmanager,
  done: (s: AlertStatus[]) => boolean,
  maxMs: number,
): Promise<{ statuses: AlertStatus[]; ms: number }> {
  const started = Date.now();
  let statuses = await alertStatuses(am);
  while (!done(statuses) && Date.now() - started < maxMs) {
    await sleep(200);
    statuses = await alertStatuses(am);
  }
  return { statuses, ms: Date.now() - started };
}

const processed = (s: AlertStatus[]) => s.length === FIRED && s.every((a) => a.state !== 'unprocessed');

/** What differs from the scenarios' intent, as readable lines. */
function problems(statuses: readonly AlertStatus[]): string[] {
  const key = (l: Labels) => `${l.alertname}@${l.job}`;
  const byFingerprint = new Map(statuses.map((s) => [s.fingerprint, s]));
  const byKey = new Map(statuses.map((s) => [key(s.labels), s]));
  const out: string[] = [];
  const expect = (name: string, job: string, source: string | undefined) => {
    const s = byKey.get(`${name}@${job}`);
    if (!s) return out.push(`${name}@${job}: not in Alertmanager`);
    const by = s.inhibitedBy.map((f) => byFingerprint.get(f)?.labels.alertname ?? f);
    if (source && (s.state !== 'suppressed' || !by.includes(source)))
      out.push(`${name}@${job}: ${s.state}, expected suppressed by ${source}`);
    if (!source && s.state !== 'active') out.push(`${name}@${job}: ${s.state} (by ${by.join(', ')}), expected active`);
    return 0;
  };
  for (const sc of SCENARIOS) for (const n of sc.fire) expect(n, sc.job, sc.suppressed[n]);
  for (const [n, job] of CROSS_JOB.fire) expect(n, job, undefined);
  return out.sort();
}

const FIRED = SCENARIOS.reduce((n, s) => n + s.fire.length, 0) + CROSS_JOB.fire.length;

describe('Alertmanager inhibition (real prometheus-alertmanager)', () => {
  let am: RunningAlertmanager;
  /** How long the good config took to show every suppression: the broken one is watched at least as long. */
  let settleMs = 0;
  before(async () => {
    am = await startAlertmanager(routingConfig());
  });
  after(async () => {
    await am?.stop();
  });

  it('suppresses exactly what each inhibit rule claims, by the claimed source', async () => {
    await fireAll(am);
    const { statuses, ms } = await statusesWhen(am, (st) => processed(st) && problems(st).length === 0, 15_000);
    settleMs = ms;
    assert.deepEqual(problems(statuses), [], am.log());
    // The real binary's routing agrees with amtool's: gate alerts also reach the release channel.
    const ttd = statuses.find((s) => s.labels.alertname === 'ApiTargetDown')!;
    assert.deepEqual([...ttd.receivers].sort(), ['oncall-page', 'release-gate']);
  });

  it('every inhibit rule is exercised by a scenario', () => {
    routing.props.inhibitRules.forEach((rule) => {
      const covered = SCENARIOS.some((sc) =>
        Object.entries(sc.suppressed).some(
          ([target, source]) =>
            matchesAll(rule.source, labelsFor(source, sc.job)) && matchesAll(rule.target, labelsFor(target, sc.job)),
        ),
      );
      assert.ok(covered, `no scenario exercises: ${rule.description}`);
    });
  });

  it('fails when an inhibition is broken: one instance down as a source (the original), and a dropped burn rule', async () => {
    const broken = await startAlertmanager(
      routingConfig((c) => {
        c.inhibit_rules[0].source_matchers = ['alertname=~"ApiNoTargetUp|ApiTargetDown"'];
        c.inhibit_rules.splice(2, 1);
      }),
    );
    try {
      await fireAll(broken);
      const { ms } = await statusesWhen(broken, processed, 15_000);
      await sleep(Math.max(2_000, 2 * settleMs - ms));
      const settled = problems(await alertStatuses(broken));
      for (const line of [
        'ApiLatencyP95BudgetBurn1h@api-one-down: suppressed (by ApiTargetDown), expected active',
        'Http5xxRatioHigh@api-one-down: suppressed (by ApiTargetDown), expected active',
        'Http5xxRatioBudgetBurn1d@api-burn: active, expected suppressed by Http5xxRatioBudgetBurn1h',
        'Http5xxRatioBudgetBurn3d@api-burn: active, expected suppressed by Http5xxRatioBudgetBurn1h',
      ]) {
        assert.ok(settled.includes(line), `missing "${line}" in:\n${settled.join('\n')}`);
      }
    } finally {
      await broken.stop();
    }
  });
});
