// Burn-rate alerting from the SLO objects: the policy's numbers, the generated rules, and the
// generated promtool tests failing when a factor, a window or a route filter moves.
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { metrics } from '../../src/catalog/index.js';
import { App, DefinitionError, Stack } from '../../src/constructs/construct.js';
import { RuleGroup } from '../../src/constructs/rules.js';
import { quantileRule } from '../../src/constructs/sli-rules.js';
import { ms } from '../../src/constructs/quantity.js';
import { app } from '../../src/definitions.js';
import { offBucket } from '../fixtures/apps/slo-bad-threshold.js';
import { Slo } from '../../src/constructs/slo.js';
import { burnRateAlerts } from '../../src/alerts/burn-rate.js';
import { burnRates } from '../../src/slos/burn-rate-rules.js';
import { expectedBurnRate, history, stepBoundaries } from '../../src/slos/burn-rate-cases.js';
import {
  BURN_RATE_POLICY,
  BURN_RATE_WINDOWS,
  burnFactor,
  burnRatePolicyProblems,
  exhaustionText,
  productionSlo,
  type BurnRatePolicy,
} from '../../src/slos/burn-rate.js';
import { formatNumber } from '../../src/promql/expr.js';
import { testRules } from '../../src/verify/rule-tests/index.js';
import { projectCopy, ROOT, runCli } from '../helpers.js';
import { promNumber, slos } from '../slo-values.js';

describe('a burn-rate policy that cannot work as meant', () => {
  const at = (policy: BurnRatePolicy[]) =>
    burnRatePolicyProblems(policy, '30d', '15s').map((p) => `${p.field}: ${p.reason}`);
  const [fast, six, day, three] = BURN_RATE_POLICY as [BurnRatePolicy, BurnRatePolicy, BurnRatePolicy, BurnRatePolicy];

  it('the platform policy holds', () => assert.deepEqual(at([...BURN_RATE_POLICY]), []));

  it('a long window not longer than its short one, or a short window of under four scrapes', () => {
    assert.deepEqual(at([{ ...fast, long: '5m', short: '1h' }, six, day, three]), [
      'BURN_RATE_POLICY[0]: its long window 5m is not longer than its short window 1h: the short window confirms the burn is still going',
    ]);
    assert.match(
      at([{ ...fast, short: '30s' }, six, day, three]).join('\n'),
      /short window 30s holds fewer than 4 scrapes of 15s/,
    );
  });

  it('no share of a budget, a window past the period, a factor under 1', () => {
    assert.match(at([{ ...fast, budgetShare: 2 }]).join('\n'), /budgetShare 2 is not a share of the budget/);
    assert.match(at([{ ...three, long: '60d' }]).join('\n'), /long window 60d is longer than the SLO period 30d/);
    assert.match(at([{ ...three, budgetShare: 0.05 }]).join('\n'), /burn factor 0.5 is under 1/);
  });

  it('pages that are not the fast burns: a longer window firing higher, or paging where a faster one tickets', () => {
    assert.match(
      at([fast, { ...six, budgetShare: 0.5 }, day, three]).join('\n'),
      /BURN_RATE_POLICY\[1\]: over 6h it fires at 60×, above the 14.4× of the shorter 1h window/,
    );
    assert.match(
      at([fast, six, day, { ...three, severity: 'critical' }]).join('\n'),
      /BURN_RATE_POLICY\[3\]: it pages \(critical\) over 3d while the faster 1d window only tickets \(warning\)/,
    );
  });

  it('synth refuses the swapped windows in the definitions, naming the entry, and writes nothing', async () => {
    const { dir, cleanup } = await projectCopy();
    try {
      const r = await runCli([
        'synth',
        '--root',
        dir,
        '--app',
        join(ROOT, 'test/fixtures/apps/burn-rate-windows-swapped.ts'),
      ]);
      assert.equal(r.code, 2, r.stderr);
      assert.match(
        r.stderr,
        /field "BURN_RATE_POLICY\[0\]": its long window 5m is not longer than its short window 1h/,
      );
      assert.match(r.stderr, /Nothing was written\./);
    } finally {
      await cleanup();
    }
  });
});

describe('burn-rate policy', () => {
  it('gives the SRE Workbook factors over 30 days, and the windows they need', () => {
    assert.deepEqual(
      BURN_RATE_POLICY.map((p) => [p.long, p.short, burnFactor(p, '30d'), p.severity]),
      [
        ['1h', '5m', 14.4, 'critical'],
        ['6h', '30m', 6, 'critical'],
        ['1d', '2h', 3, 'warning'],
        ['3d', '6h', 1, 'warning'],
      ],
    );
    assert.deepEqual(BURN_RATE_WINDOWS, ['5m', '30m', '1h', '2h', '6h', '1d', '3d']);
    assert.equal(exhaustionText(14.4, '30d'), '2.1 days');
    assert.equal(exhaustionText(6, '30d'), '5 days');
  });

  it('resolves each production objective to a budget', () => {
    // "99.5%" is 0.995 of good events and a budget of 0.005 (exactly, without binary noise).
    const share = (objective: string) => Number(formatNumber(Number(objective.replace(/%$/, '')) / 100));
    assert.deepEqual(
      Object.values(slos).map((s) => [s.id, productionSlo(s)?.objective, productionSlo(s)?.budget]),
      Object.values(slos).map((s) => [
        s.id,
        share(s.production!.objective),
        Number(formatNumber(1 - share(s.production!.objective))),
      ]),
    );
  });

  it('refuses a latency objective whose threshold is not a bucket bound, naming the threshold and its line', () => {
    assert.throws(
      () => productionSlo(offBucket),
      (e: unknown) =>
        e instanceof DefinitionError &&
        e.field === 'threshold' &&
        e.message.startsWith(
          'test/fixtures/apps/slo-bad-threshold.ts:26 bad/slos/off-bucket: field "threshold": 350ms is not a bucket bound of http_request_duration_seconds',
        ),
    );
  });
});

describe('burn-rate rules', () => {
  it('records every window and the period for every SLO, from the SLI events (route filter included)', () => {
    assert.deepEqual(
      [...burnRates.keys()],
      Object.values(slos).map((s) => s.id),
    );
    const api = burnRates.get('api-latency-p95')!;
    assert.deepEqual([...api.windows.keys()], BURN_RATE_WINDOWS);
    assert.equal(
      api.windows.get('1h')!.expr.text,
      `(sum by (job) (rate(http_request_duration_seconds_count{job="api", route=~"/api/.*"}[1h])) - sum by (job) (rate(http_request_duration_seconds_bucket{job="api", route=~"/api/.*", le="${promNumber(slos.apiLatencyP95)}"}[1h]))) / sum by (job) (rate(http_request_duration_seconds_count{job="api", route=~"/api/.*"}[1h])) / ${formatNumber(productionSlo(slos.apiLatencyP95)!.budget)}`,
    );
    assert.equal(api.period.record, 'job:slo_api_latency_p95:burn_rate30d');
    const { budget, period } = productionSlo(slos.apiLatencyP95)!;
    // The period from the counters' increase over all of it (errors over total), never a time-average
    // of a short window, which a single idle 5 minutes turns into NaN for the whole period.
    assert.equal(
      api.period.expr.text,
      `(sum by (job) (increase(http_request_duration_seconds_count{job="api", route=~"/api/.*"}[${period}])) - sum by (job) (increase(http_request_duration_seconds_bucket{job="api", route=~"/api/.*", le="${promNumber(slos.apiLatencyP95)}"}[${period}]))) / sum by (job) (increase(http_request_duration_seconds_count{job="api", route=~"/api/.*"}[${period}])) / ${formatNumber(budget)}`,
    );
    assert.ok([...burnRates.values()].every((r) => !r.period.expr.text.includes('avg_over_time')));
  });

  it('alerts on every window pair of every SLO, pages critical and tickets warning', () => {
    assert.equal(burnRateAlerts.length, Object.keys(slos).length * BURN_RATE_POLICY.length);
    const a = burnRateAlerts.find((x) => x.name === 'Http5xxRatioBudgetBurn1h')!;
    assert.equal(
      a.props.expr.text,
      `job:slo_http_5xx_ratio:burn_rate1h > 14.4 and job:slo_http_5xx_ratio:burn_rate5m > 14.4 and on (job) job:slo_http_5xx_ratio:events_rate1h > ${formatNumber(slos.http5xxRatio.minTraffic)}`,
    );
    assert.deepEqual(a.labels, { severity: 'critical', slo: 'http-5xx-ratio', long: '1h', short: '5m' });
    assert.equal(burnRateAlerts.find((x) => x.name === 'ChatDeliveryP95BudgetBurn3d')!.labels.severity, 'warning');
    assert.ok(burnRateAlerts.every((x) => x.gate === false && x.props.for === undefined));
  });

  it('puts each burn rate just above and just below its factor in both windows, above and below the minimum traffic', () => {
    const t = burnRateAlerts.find((x) => x.name === 'ApiLatencyP95BudgetBurn6h')!.tests!;
    const values = (c: { inputs: readonly { series: string; values: string }[] }) =>
      c.inputs.map((i) => `${i.series.split(':')[2]!.split('{')[0]} ${i.values}`);
    const min = slos.apiLatencyP95.minTraffic;
    const traffic = (f: number) => `events_rate6h ${formatNumber(min * f)}`;
    assert.deepEqual(values(t.fires), ['burn_rate6h 6.06', 'burn_rate30m 6.06', traffic(1.5)]);
    assert.deepEqual(values(t.quiet), ['burn_rate6h 5.94', 'burn_rate30m 6.06', traffic(1.5)]);
    assert.deepEqual(
      t.more!.map((c) => [c.expect, ...values(c)]),
      [
        ['quiet', 'burn_rate6h 6.06', 'burn_rate30m 5.94', traffic(1.5)],
        ['quiet', 'burn_rate6h 6', 'burn_rate30m 6', traffic(1.5)],
        ['quiet', 'burn_rate6h 6.06', 'burn_rate30m 6.06', traffic(0.75)],
      ],
    );
  });

  it('builds a history whose windows, halves and doubles all average differently', () => {
    assert.deepEqual(stepBoundaries(['5m', '1h']), [0, 2, 5, 10, 30, 60, 120]);
    const h = history(['5m', '1h']);
    assert.deepEqual(h.bad, [12, 10, 8, 6, 4, 2]);
    assert.deepEqual(h.total, [1000, 1010, 1020, 1030, 1040, 1050]);
    assert.equal(expectedBurnRate(h, '5m', 0.005), (12 * 2 + 10 * 3) / (1000 * 2 + 1010 * 3) / 0.005);
    assert.equal(
      expectedBurnRate(h, '1h', 1),
      (12 * 2 + 10 * 3 + 8 * 5 + 6 * 20 + 4 * 30) / (1000 * 2 + 1010 * 3 + 1020 * 5 + 1030 * 20 + 1040 * 30),
    );
  });
});

describe('generated burn-rate tests', () => {
  /** promtool's failures on a copy of the project with `edit` applied to one generated rule file. */
  async function failuresAfter(file: string, edit: (text: string) => string): Promise<string> {
    const { dir, cleanup } = await projectCopy();
    try {
      const path = join(dir, 'infra/prometheus', file);
      const before = await readFile(path, 'utf8');
      const after = edit(before);
      assert.notEqual(after, before, 'the edit changed nothing');
      await writeFile(path, after);
      const findings = await testRules(dir, async () => app);
      return findings.map((f) => f.message).join('\n');
    } finally {
      await cleanup();
    }
  }

  it('fail when a factor moves in either window, either way', async () => {
    const out = await failuresAfter('slo-burn-rate-alerts.yml', (t) =>
      t
        .replace('job:slo_http_5xx_ratio:burn_rate1h > 14.4', 'job:slo_http_5xx_ratio:burn_rate1h > 7.2')
        .replace('job:slo_auth_failure_ratio:burn_rate30m > 6', 'job:slo_auth_failure_ratio:burn_rate30m > 12')
        .replace('job:slo_chat_delivery_p95:burn_rate6h > 1', 'job:slo_chat_delivery_p95:burn_rate6h > 0.5'),
    );
    assert.match(out, /alertname: Http5xxRatioBudgetBurn1h, time: 1m/); // long just below now fires
    assert.match(out, /alertname: AuthFailureRatioBudgetBurn6h, time: 0s/); // both just above no longer fires
    assert.match(out, /alertname: ChatDeliveryP95BudgetBurn3d, time: 2m/); // short just below now fires
  });

  it('fail when a recorded window is halved or doubled, or the route filter is dropped', async () => {
    const out = await failuresAfter('slo-burn-rate.yml', (t) =>
      t
        .replace(/(record: job:slo_http_5xx_ratio:burn_rate1h\n\s+expr: .*?)\[1h\]/, '$1[2h]')
        .replace(
          /(record: job:slo_notification_delivery_p95:burn_rate5m\n\s+expr: .*?\/ sum by \(job\) \(rate\(notification_delivery_seconds_count\{job="api"\})\[5m\]/,
          '$1[2m]',
        )
        .replace(
          /(record: job:slo_api_latency_p95:burn_rate2h\n\s+expr: )(.*)/,
          (_m, head: string, expr: string) => head + expr.replaceAll(', route=~"/api/.*"', ''),
        )
        .replace(/(record: job:slo_auth_failure_ratio:burn_rate30d\n\s+expr: .*?)\[30d\]/, '$1[15d]'),
    );
    assert.match(out, /abs\(job:slo_http_5xx_ratio:burn_rate1h /);
    assert.match(out, /abs\(job:slo_notification_delivery_p95:burn_rate5m /);
    assert.match(out, /abs\(job:slo_api_latency_p95:burn_rate2h /);
    assert.match(out, /abs\(job:slo_auth_failure_ratio:burn_rate30d /);
  });
});
