// Issue 23: what the release-gate dashboard shows must be what the gate judges.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { k6Series, TREND_P95 } from '../../src/load-contract/metrics.js';
import { mergedNativeQuantile } from '../../src/promql/functions.js';
import { unionP95Expr } from '../../src/gate/verdict/k6-prometheus.js';
import { packageProfiles } from '../../src/cluster/profiles.js';
import { colorAt, dashboardJson, exprsOf, type PanelJson } from './dashboard-json.js';

const d = dashboardJson('release-gate');
const k6Panels = d.panels.filter((p) => p.title.startsWith('k6 '));
const panel = (pred: (p: PanelJson) => boolean, what: string): PanelJson => {
  const p = d.panels.find(pred);
  assert.ok(p, `no ${what} panel`);
  return p;
};

describe('release-gate dashboard', () => {
  it('the k6 p95 is one quantile over the merged native histograms, the series the verdict reads', () => {
    const p = panel((p) => p.title.startsWith('k6 p95'), 'k6 p95');
    const series = k6Series.trend('http_req_duration');
    // One definition of the merge: the verdict's union p95 (src/gate/verdict/k6-prometheus.ts) and the
    // panel are both mergedNativeQuantile, the verdict's over the whole run, the panel's per rate interval.
    assert.equal(
      unionP95Expr('http_req_duration', { label: 'testid', value: 'x' }),
      `${mergedNativeQuantile(TREND_P95, `${series}{testid="x"}`)} * 1000`,
    );
    const [expr] = exprsOf(p);
    assert.equal(
      expr,
      mergedNativeQuantile(TREND_P95, `rate(${series}{testrun_name=~"$run"}[$__rate_interval])`, ['testrun_name']).text,
    );
    assert.match(
      expr!,
      new RegExp(
        String.raw`^histogram_quantile\(0\.95, sum by \(testrun_name\) \(rate\(${series}\{testrun_name=~"\$run"\}\[\$__rate_interval\]\)\)\)$`,
      ),
    );
    assert.doesNotMatch(expr!, /_p95|max by|instance_id/, 'no per-instance statistic, no worst instance');
  });

  it('the k6 panels pick runs by testrun_name (what k6-operator and stressgate load set), through a run variable', () => {
    const run = d.templating.list.find((v) => v.name === 'run');
    assert.ok(run, 'a run variable');
    assert.match(String(run.query), /^label_values\(k6_vus, testrun_name\)$/);
    assert.equal(run.includeAll, true);
    assert.ok(k6Panels.length >= 6);
    for (const p of k6Panels)
      for (const e of exprsOf(p)) {
        assert.doesNotMatch(e, /testid/, `${p.title}: k6-operator sets no testid`);
        assert.match(e, /\{testrun_name=~"\$run"\}/, `${p.title}: filters on the run variable`);
        if (!p.title.startsWith('k6 p95')) assert.match(e, /by \(testrun_name\b/, `${p.title}: one series per run`);
      }
  });

  it('the gate-alerts count counts pending alerts as well as firing ones, red from 1', () => {
    const p = panel((p) => p.type === 'stat' && exprsOf(p).some((e) => e.includes('ALERTS{')), 'gate alert count');
    const [expr] = exprsOf(p);
    const m = /ALERTS\{([^}]*)\}/.exec(expr!)![1]!;
    assert.match(m, /gate="release"/);
    const state = /alertstate(=~?)"([^"]*)"/.exec(m);
    assert.ok(state, 'selects by alertstate');
    const matches = (s: string) => (state[1] === '=' ? state[2] === s : new RegExp(`^(?:${state[2]})$`).test(s));
    assert.ok(matches('firing') && matches('pending'), `alertstate${state[1]}"${state[2]}"`);
    assert.equal(colorAt(p, 0), 'green');
    assert.equal(colorAt(p, 1), 'red');
  });

  it("the check pass-rate panel draws the gate's minimum pass rate, red below it", () => {
    const p = panel((p) => p.title.startsWith('k6 check pass rate'), 'k6 check pass rate');
    const min = Math.max(...packageProfiles().map((pr) => pr.checks.minPassRate));
    assert.notEqual(p.fieldConfig?.defaults?.custom?.thresholdsStyle?.mode ?? 'off', 'off', 'the line is drawn');
    assert.ok(
      p.fieldConfig?.defaults?.thresholds?.steps.some((s) => s.value === min),
      `a step at ${min}`,
    );
    assert.equal(colorAt(p, min), 'green');
    assert.equal(colorAt(p, min - 0.0001), 'red');
    assert.match(p.description!, new RegExp(`${min * 100}%`));
  });
});
