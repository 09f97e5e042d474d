// Routing proven with amtool: every alert's labels, as it fires, reach the receivers the policy
// promises. The policy is restated here independently of src/alerts/routing.ts, so a broken route
// (or a broken policy function) fails, and the last tests show that it does.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { App } from '../../src/constructs/construct.js';
import { AlertRouting, eq, present, re } from '../../src/constructs/alertmanager.js';
import { Alert } from '../../src/constructs/rules.js';
import { app } from '../../src/definitions.js';
import { RECEIVERS, routing } from '../../src/alerts/routing.js';
import { ROOT } from '../helpers.js';
import { alertLabelSets, amtoolReceivers, routingConfig, writeTemp, type Labels } from './alertmanager-harness.js';

const SEVERITY_RECEIVER: Readonly<Record<string, string>> = {
  critical: 'oncall-page',
  warning: 'oncall-ticket',
  info: 'dashboards-only',
};

/** critical pages, warning tickets, info goes nowhere; gate alerts also reach the release channel; GateWatchdog only its own receiver. */
function expectedReceivers(l: Labels): string[] {
  if (l.alertname === 'GateWatchdog') return ['watchdog'];
  const bySeverity = SEVERITY_RECEIVER[l.severity ?? ''] ?? 'oncall-ticket';
  return l.gate === 'release' ? ['release-gate', bySeverity] : [bySeverity];
}

/** Alerts whose receivers amtool resolves differently from the policy, as readable lines. */
async function mismatches(configFile: string, sets: readonly Labels[]): Promise<string[]> {
  const out: string[] = [];
  // Two at a time: the machine is shared.
  for (let i = 0; i < sets.length; i += 2) {
    await Promise.all(
      sets.slice(i, i + 2).map(async (labels) => {
        const got = await amtoolReceivers(configFile, labels);
        const want = expectedReceivers(labels);
        if (got.join(',') !== want.join(','))
          out.push(`${labels.alertname}: reached ${got.join(', ') || 'nothing'}, expected ${want.join(', ')}`);
      }),
    );
  }
  return out.sort();
}

const COMMITTED = join(ROOT, 'infra/alertmanager/alertmanager.yml');

describe('Alertmanager routes (amtool)', () => {
  const sets = alertLabelSets();

  it('the policy itself, on named alerts: gate alerts reach on-call and the release channel', () => {
    const find = (name: string) => sets.find((l) => l.alertname === name)!;
    assert.deepEqual(expectedReceivers(find('Http5xxRatioHigh')), ['release-gate', 'oncall-ticket']);
    assert.deepEqual(expectedReceivers(find('ApiTargetDown')), ['release-gate', 'oncall-page']);
    assert.deepEqual(expectedReceivers(find('Http5xxRatioBudgetBurn1h')), ['oncall-page']);
    assert.deepEqual(expectedReceivers(find('ApiLatencyP95BudgetBurn3d')), ['oncall-ticket']);
    assert.deepEqual(expectedReceivers(find('GateWatchdog')), ['watchdog']);
    for (const l of sets.filter((x) => x.gate === 'release')) {
      const want = expectedReceivers(l);
      assert.ok(
        want.includes('release-gate') && want.some((r) => r.startsWith('oncall-')),
        `${l.alertname}: ${want.join(', ')}`,
      );
    }
  });

  it('every alert reaches exactly the receivers the policy promises', async () => {
    assert.ok(sets.length >= 30, `${sets.length} alerts`);
    assert.deepEqual(await mismatches(COMMITTED, sets), []);
  });

  it('routes by severity for alerts defined later, info included', async () => {
    const later: Labels[] = [
      { alertname: 'SomeFutureAlert', severity: 'info' },
      { alertname: 'SomeFutureGateAlert', severity: 'info', gate: 'release' },
      { alertname: 'NoSeverity' },
      { alertname: 'GateWatchdog', severity: 'critical', gate: 'release' },
    ];
    assert.deepEqual(await mismatches(COMMITTED, later), []);
  });

  it('fails when a route is broken: gate alerts lose on-call without `continue`', async () => {
    const broken = await writeTemp(routingConfig((c) => delete c.route.routes[1].continue));
    try {
      const found = await mismatches(broken.file, sets);
      assert.ok(
        found.includes('ApiTargetDown: reached release-gate, expected release-gate, oncall-page'),
        found.join('\n'),
      );
      assert.ok(
        found.includes('Http5xxRatioHigh: reached release-gate, expected release-gate, oncall-ticket'),
        found.join('\n'),
      );
    } finally {
      await broken.cleanup();
    }
  });

  it('fails when a route is broken: pages sent as tickets, GateWatchdog falling through to people', async () => {
    const broken = await writeTemp(
      routingConfig((c) => {
        c.route.routes[2].receiver = 'oncall-ticket';
        c.route.routes.shift();
      }),
    );
    try {
      const found = await mismatches(broken.file, sets);
      assert.ok(
        found.includes('Http5xxRatioBudgetBurn1h: reached oncall-ticket, expected oncall-page'),
        found.join('\n'),
      );
      assert.ok(found.includes('GateWatchdog: reached oncall-ticket, expected watchdog'), found.join('\n'));
    } finally {
      await broken.cleanup();
    }
  });
});

describe('Alertmanager routing definitions', () => {
  const withInhibition = (rule: AlertRouting['props']['inhibitRules'][number]) =>
    new AlertRouting(new App(), 'am', { ...routing.props, inhibitRules: [rule] });

  it('refuse an inhibit rule that can never apply, like the one the SRE found', () => {
    const alerts = app.findAll(Alert);
    assert.deepEqual(routing.checkInhibitions(alerts), []);
    const original = withInhibition({
      description: 'A target that is down explains every other alert about it.',
      source: [eq('alertname', 'ApiTargetDown')],
      target: [re('severity', 'warning|info')],
      equal: ['job', 'instance'],
    });
    const [problem, ...more] = original.checkInhibitions(alerts);
    assert.deepEqual(more, []);
    assert.equal(problem!.field, 'inhibitRules[0]');
    assert.match(problem!.reason, /no source and target alert both carry job, instance/);
    const nothing = withInhibition({
      description: 'Silences alerts that do not exist.',
      source: [eq('alertname', 'NoSuchAlert')],
      target: [eq('severity', 'warning')],
      equal: ['job'],
    });
    assert.match(nothing.checkInhibitions(alerts)[0]!.reason, /no alert matches its source/);
    // In a tree, the check runs over the tree's own alerts when it is validated.
    assert.match(
      nothing
        .validate()
        .map((e) => e.message)
        .join('\n'),
      /am: field "inhibitRules\[0\]": "Silences alerts that do not exist\." can never apply: no alert matches its source — fix: /,
    );
  });

  it('refuse an inhibition that silences a cause with its symptom, or lets a symptom silence other alerts', () => {
    const alerts = app.findAll(Alert);
    const reasons = (rule: AlertRouting['props']['inhibitRules'][number]) =>
      withInhibition(rule)
        .checkInhibitions(alerts)
        .map((p) => p.reason);
    // The mutation that passed verify: the SLO alerts inhibiting the target alert, instead of the other way round.
    assert.match(
      reasons({
        description: 'Swapped: the SLO alerts silence the missing target.',
        source: [present('slo')],
        target: [eq('alertname', 'ApiNoTargetUp')],
        equal: ['job'],
      }).join('\n'),
      /silences ApiNoTargetUp, a cause/,
    );
    assert.match(
      reasons({
        description: 'A dependency silencing the other dependency.',
        source: [eq('alertname', 'RedisUnhealthy')],
        target: [eq('alertname', 'PostgresUnhealthy')],
        equal: ['job'],
      }).join('\n'),
      /silences PostgresUnhealthy, a cause/,
    );
    assert.match(
      reasons({
        description: 'Backpressure silencing the SLO alerts.',
        source: [eq('alertname', 'WsBackpressureDrops')],
        target: [present('slo')],
        equal: ['job'],
      }).join('\n'),
      /lets WsBackpressureDrops, a symptom, silence other alerts/,
    );
    assert.match(
      reasons({
        description: 'A fast burn silencing every ticket of the job.',
        source: [eq('severity', 'critical'), present('long')],
        target: [eq('severity', 'warning'), present('long')],
        equal: ['job'],
      }).join('\n'),
      /a symptom, silence other alerts of other SLOs \(equal lacks slo\)/,
    );
    assert.deepEqual(routing.checkInhibitions(alerts), []);
  });

  it('refuse two different receivers with one name', () => {
    const twice = new AlertRouting(new App(), 'am', {
      ...routing.props,
      routes: [
        ...routing.props.routes,
        {
          description: 'a second page receiver',
          matchers: [eq('severity', 'critical')],
          receiver: { ...RECEIVERS.page, webhook: '/other' },
        },
      ],
    });
    assert.match(
      twice
        .validate()
        .map((e) => e.message)
        .join('\n'),
      /field "receivers": two different receivers are named "oncall-page"/,
    );
  });
});
