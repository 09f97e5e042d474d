// Alert drills against a real Prometheus (1 s scrapes, the generated rules with scaled-down windows),
// real PostgreSQL and Redis, and the reference app with its fault control: every gate alert becomes
// pending when its fault is injected under load and clears when the fault stops; clean load raises none.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { ALERT_DRILLS, runAlertDrill, setFaults } from '../../src/drills/alerts.js';
import { runNoFalseAlarm } from '../../src/drills/no-false-alarm.js';
import { scaledRuleFiles, scaleExpr } from '../../src/drills/scaled-rules.js';
import { loadPanelTargets } from '../../src/live/sources.js';
import { committedRuleFiles, startLocalStack, type LocalStack } from '../../src/live/stack.js';
import { ROOT } from '../helpers.js';
import { promNumber, slos } from '../slo-values.js';

describe('alert drills', () => {
  let dir: string;
  let stack: LocalStack;
  let gateAlerts: string[];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'stressgate-drill-rules-'));
    const ruleFiles = await scaledRuleFiles(committedRuleFiles(ROOT), dir);
    stack = await startLocalStack({ root: ROOT, faults: true, ruleFiles });
    const alerts = parse(await readFile(join(ROOT, 'infra/prometheus/alerts.yml'), 'utf8')) as {
      groups: { rules: { alert: string; labels?: Record<string, string> }[] }[];
    };
    gateAlerts = alerts.groups
      .flatMap((g) => g.rules)
      .filter((r) => r.labels?.gate === 'release')
      .map((r) => r.alert);
  });
  after(async () => {
    await stack?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('scales windows and hold times of a copy of the generated rules, nothing else', async () => {
    assert.equal(scaleExpr('sum(rate(x[5m])) / sum(rate(x[10m]))'), 'sum(rate(x[5s])) / sum(rate(x[10s]))');
    const scaled = parse(await readFile(join(dir, 'alerts.yml'), 'utf8')) as {
      groups: { rules: { alert: string; expr: string; for: string }[] }[];
    };
    const http = scaled.groups.flatMap((g) => g.rules).find((r) => r.alert === 'Http5xxRatioHigh')!;
    assert.equal(http.for, '2s');
    // The minimum-traffic guard's window is scaled too; its minimum (events/s) is not.
    assert.equal(
      http.expr,
      `job:http_requests_5xx:ratio_rate5m > ${promNumber(slos.http5xxRatio)} and on (job) sum by (job) (rate(http_requests_total{route=~"/api/.*"}[5s])) > ${slos.http5xxRatio.minTraffic}`,
    );
  });

  it('has one drill per gate alert', () => {
    assert.deepEqual(ALERT_DRILLS.map((d) => d.alert).sort(), [...gateAlerts].sort());
  });

  it('no false alarm: clean load of every scenario leaves every gate alert inactive', async () => {
    const r = await runNoFalseAlarm({ stack, prom: stack.prometheus.client }, 8_000);
    assert.ok(r.iterations > 5, `iterations ${r.iterations}`);
    assert.deepEqual(r.active, [], `slow machine (excused): ${JSON.stringify(r.slowMachine)}`);
  });

  for (const drill of ALERT_DRILLS) {
    it(`${drill.alert}: pending under "${drill.fault}", inactive after`, async () => {
      // The panels that are idle on a healthy run (5xx only, ALERTS) must show data while 5xx flow.
      const whileActive =
        drill.alert === 'Http5xxRatioHigh'
          ? async () => {
              const panels = await loadPanelTargets(join(ROOT, 'infra/grafana/provisioning/dashboards'), ROOT, {
                rateInterval: '30s',
              });
              const idle = panels.filter(
                (p) => p.datasource === 'prometheus' && /status=~"5\.\."|ALERTS|job:http_requests_5xx/.test(p.query),
              );
              assert.ok(idle.length >= 4, `idle panels: ${idle.length}`);
              await new Promise((r) => setTimeout(r, 2_000)); // a scrape and an evaluation after firing
              for (const p of idle) {
                const rows = await stack.prometheus.client.query(p.query);
                assert.ok(
                  rows.length > 0,
                  `${p.dashboardUid} / ${p.panelTitle}: no series while 5xx flow and the alert is active`,
                );
              }
            }
          : undefined;
      const r = await runAlertDrill(drill, { stack, prom: stack.prometheus.client }, { whileActive });
      assert.equal(r.error, undefined);
      assert.ok(r.ok, JSON.stringify(r));
    });
  }

  // Last, so the drills above run on a quiet app: the check's excuse covers a slow machine only.
  it('no false alarm still fails on errors under "clean" load; a latency alert is excused only by a real breach', async () => {
    const ctx = { stack, prom: stack.prometheus.client };
    await setFaults(stack.app.base, { http5xxRatio: 0.3, latencyMs: 450 });
    let r: Awaited<ReturnType<typeof runNoFalseAlarm>>;
    try {
      r = await runNoFalseAlarm(ctx, 8_000);
    } finally {
      await setFaults(stack.app.base, 'clear');
    }
    assert.equal(r.ok, false);
    assert.ok(
      r.active.some((a) => a.alertname === 'Http5xxRatioHigh'),
      JSON.stringify(r.active),
    );
    const slow = r.slowMachine.find((s) => s.alert.alertname === 'ApiLatencyP95High');
    assert.ok(slow && slow.peak > slow.threshold, JSON.stringify(r.slowMachine));
    assert.ok(!r.active.some((a) => a.alertname === 'ApiLatencyP95High'));
  });
});
