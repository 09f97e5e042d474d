import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { app } from '../src/definitions.js';
import { Alert } from '../src/constructs/rules.js';
import { checkConfig, checkRules, testRules } from '../src/verify/promtool.js';
import { parse } from 'yaml';
import { projectCopy, ROOT } from './helpers.js';

interface TestFile {
  tests: { alert_rule_test?: { alertname: string; exp_alerts: unknown[] }[] }[];
}

describe('promtool on the generated files', () => {
  it('accepts the config and rules, and every alert unit test passes', async () => {
    assert.deepEqual(await checkConfig(ROOT), []);
    assert.deepEqual(await checkRules(ROOT), []);
    assert.deepEqual(await testRules(ROOT), []);
  });

  it('has a firing and a quiet case for every alert, in whichever test file covers its rule file', async () => {
    const dir = join(ROOT, 'infra/prometheus/tests');
    const cases = (await Promise.all((await readdir(dir)).map(async (f) => parse(await readFile(join(dir, f), 'utf8')) as TestFile))).flatMap((doc) =>
      doc.tests.flatMap((t) => t.alert_rule_test ?? []),
    );
    for (const alert of app.findAll(Alert)) {
      const mine = cases.filter((c) => c.alertname === alert.name);
      assert.ok(mine.some((c) => c.exp_alerts.length > 0), `${alert.name} fires case`);
      assert.ok(mine.some((c) => c.exp_alerts.length === 0), `${alert.name} quiet case`);
    }
  });

  it('fails the unit tests when a threshold moves past the test values', async () => {
    const { dir, cleanup } = await projectCopy();
    try {
      const file = join(dir, 'infra/prometheus/alerts.yml');
      // 5xx fires-case sits at 0.55%; a 0.6% threshold must make it fail. API p95 quiet case is 270ms.
      const text = (await readFile(file, 'utf8')).replace('> 0.005\n', '> 0.006\n').replace('> 0.3\n', '> 0.25\n');
      await writeFile(file, text);
      const [finding] = await testRules(dir);
      assert.ok(finding, 'promtool reported the failures');
      assert.match(finding.message, /Http5xxRatioHigh fires/);
      assert.match(finding.message, /ApiLatencyP95High stays quiet/);
      assert.equal(finding.file, 'infra/prometheus/tests/alerts.test.yml');
    } finally {
      await cleanup();
    }
  });
});
