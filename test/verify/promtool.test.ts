import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { app } from '../../src/definitions.js';
import { Alert } from '../../src/constructs/rules.js';
import { checkConfig, checkRules } from '../../src/verify/promtool.js';
import { testRules } from '../../src/verify/rule-tests/index.js';
import { parse } from 'yaml';
import { projectCopy, ROOT } from '../helpers.js';
import { slos, thresholdEdit } from '../slo-values.js';

interface TestFile {
  tests: { alert_rule_test?: { alertname: string; exp_alerts: unknown[] }[] }[];
}
const tree = async () => app;

describe('promtool on the generated files', () => {
  it('accepts the config and rules, and every alert unit test passes', async () => {
    assert.deepEqual(await checkConfig(ROOT, tree), []);
    assert.deepEqual(await checkRules(ROOT, tree), []);
    assert.deepEqual(await testRules(ROOT, tree), []);
  });

  it('has a firing and a quiet case for every alert, in whichever test file covers its rule file', async () => {
    const dir = join(ROOT, 'infra/prometheus/tests');
    const cases = (
      await Promise.all((await readdir(dir)).map(async (f) => parse(await readFile(join(dir, f), 'utf8')) as TestFile))
    ).flatMap((doc) => doc.tests.flatMap((t) => t.alert_rule_test ?? []));
    for (const alert of app.findAll(Alert)) {
      const mine = cases.filter((c) => c.alertname === alert.name);
      assert.ok(
        mine.some((c) => c.exp_alerts.length > 0),
        `${alert.name} fires case`,
      );
      assert.ok(
        mine.some((c) => c.exp_alerts.length === 0),
        `${alert.name} quiet case`,
      );
    }
  });

  it('fails the unit tests when a threshold moves past the test values', async () => {
    const { dir, cleanup } = await projectCopy();
    try {
      const file = join(dir, 'infra/prometheus/alerts.yml');
      // The fires case sits at 110% of the threshold and the quiet case at 90%: the 5xx threshold raised
      // to 120% must fail its fires case, the API p95 one lowered to 5/6 (83%) its quiet case.
      const text = (await readFile(file, 'utf8'))
        .replace(...thresholdEdit(slos.http5xxRatio, 1.2))
        .replace(...thresholdEdit(slos.apiLatencyP95, 5 / 6));
      await writeFile(file, text);
      const findings = await testRules(dir, tree);
      // One finding per alert and test file with failed groups, each pointing at where the alert is defined.
      assert.deepEqual([...new Set(findings.map((f) => f.object))].sort(), [
        'alert ApiLatencyP95High',
        'alert Http5xxRatioHigh',
      ]);
      const unit = (alert: string) =>
        findings.find((f) => f.object === `alert ${alert}` && f.file === 'infra/prometheus/tests/alerts.test.yml');
      assert.match(unit('Http5xxRatioHigh')!.message, /Http5xxRatioHigh fires/);
      assert.match(unit('Http5xxRatioHigh')!.fix, /where it is defined \(src\/alerts\/slo\.ts:\d+\)/);
      assert.match(unit('ApiLatencyP95High')!.message, /ApiLatencyP95High stays quiet/);
      assert.ok(findings.every((f) => f.file.startsWith('infra/prometheus/tests/')));
    } finally {
      await cleanup();
    }
  });

  it('traces a broken rule that check config finds to the rule definition, not the config generator', async () => {
    const { dir, cleanup } = await projectCopy();
    try {
      const file = join(dir, 'infra/prometheus/alerts.yml');
      await writeFile(
        file,
        (await readFile(file, 'utf8')).replace('> on (job, channel) clamp_min(', '> on (job, channel) clamp_min(('),
      );
      const [config, ...more] = await checkConfig(dir, tree);
      assert.deepEqual(more, []);
      assert.equal(config!.file, 'infra/prometheus/alerts.yml');
      assert.ok(config!.line! > 0);
      assert.equal(config!.object, 'rule group "realtime-alerts" / alert WsDisconnectSpike');
      assert.match(config!.message, /promtool check config: could not parse expression/);
      assert.match(config!.fix, /^fix WsDisconnectSpike where it is defined \(src\/alerts\/realtime\.ts:\d+\)/);
      assert.doesNotMatch(config!.fix, /prometheus-config/);
      const [rules] = await checkRules(dir, tree);
      assert.equal(rules!.object, 'rule group "realtime-alerts" / alert WsDisconnectSpike');
      // A fault in prometheus.yml itself is the config generator's.
      const cfg = join(dir, 'infra/prometheus/prometheus.yml');
      await writeFile(cfg, (await readFile(cfg, 'utf8')).replace('scrape_interval: 15s', 'scrape_interval: 15x'));
      const [own] = await checkConfig(dir, tree);
      assert.equal(own!.file, 'infra/prometheus/prometheus.yml');
      assert.match(own!.fix, /src\/synth\/prometheus-config\.ts/);
    } finally {
      await cleanup();
    }
  });
});
