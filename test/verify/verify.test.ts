import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { projectCopy, runCli } from '../helpers.js';
import { slos, thresholdEdit } from '../slo-values.js';

describe('stressgate verify', () => {
  it('passes on the committed project, one line per step', async () => {
    const { code, stdout } = await runCli(['verify']);
    assert.equal(code, 0, stdout);
    for (const step of [
      'type-check',
      'drift',
      'promtool check config',
      'promtool check rules',
      'promtool test rules',
      'alert tests kill',
      'schemas (ajv)',
      'load profiles',
      'catalog vs committed service snapshots',
      'lint',
    ]) {
      assert.match(
        stdout,
        new RegExp(`^ok   ${step.replace(/[()]/g, '\\$&')}.* \\((\\d+ ms|unchanged since the last run)\\)$`, 'm'),
      );
    }
    // The mutation score is printed, and every mutant is killed.
    const [, killed, total] = /^ok   alert tests kill (\d+)\/(\d+) mutants/m.exec(stdout) ?? [];
    assert.ok(Number(total) > 0 && killed === total, stdout);
    assert.doesNotMatch(stdout, /definitions \(zod\)/);
    assert.match(stdout, /verify: all checks passed in \d+ ms/);
  });

  it('fails on a hand-edited rule file: drift and broken unit tests, as GitHub annotations', async () => {
    const { dir, cleanup } = await projectCopy();
    try {
      const file = join(dir, 'infra/prometheus/alerts.yml');
      await writeFile(file, (await readFile(file, 'utf8')).replace(...thresholdEdit(slos.http5xxRatio, 10)));
      const { code, stdout } = await runCli(['verify', '--root', dir, '--format', 'github']);
      assert.equal(code, 1);
      assert.match(stdout, /^FAIL drift/m);
      assert.match(stdout, /^::error file=infra\/prometheus\/alerts\.yml,title=drift%3A generated file::.*make synth/m);
      assert.match(stdout, /^FAIL promtool test rules/m);
      // Tests that fail unmutated kill every mutant: no score is given, instead of a false 100%.
      assert.match(stdout, /^FAIL alert tests kill \?\/\? mutants/m);
      assert.match(stdout, /so killing mutants proves nothing: not scored/);
      assert.match(stdout, /verify: FAILED, 3 step\(s\)/);
    } finally {
      await cleanup();
    }
  });

  it('reuses a step result only while its inputs are unchanged', async () => {
    const { dir, cleanup } = await projectCopy();
    try {
      assert.equal((await runCli(['verify', '--root', dir])).code, 0);
      const again = await runCli(['verify', '--root', dir]);
      assert.match(again.stdout, /^ok   lint .*\(unchanged since the last run\)$/m);
      // A dashboard edited by hand: the cached steps run again and see it.
      const file = join(dir, 'infra/grafana/provisioning/dashboards/runtime.json');
      await writeFile(file, (await readFile(file, 'utf8')).replace('"unit": "bytes"', '"unit": "ms"'));
      const edited = await runCli(['verify', '--root', dir]);
      assert.equal(edited.code, 1);
      assert.match(edited.stdout, /^FAIL drift .*\(\d+ ms\)$/m);
      assert.match(edited.stdout, /^FAIL lint .*\(\d+ ms\)$/m);
      assert.match(edited.stdout, /\[panel-unit\]/);
    } finally {
      await cleanup();
    }
  });

  it('fails on a load profile that repeats SLO thresholds, or names an SLO that does not exist', async () => {
    const { dir, cleanup } = await projectCopy();
    try {
      const smoke = join(dir, 'load/profiles/smoke.json');
      const profile = JSON.parse(await readFile(smoke, 'utf8'));
      await writeFile(smoke, JSON.stringify({ ...profile, thresholds: [{ slo: 'http-5xx-ratio', max: 0.05 }] }));
      const moderate = join(dir, 'load/profiles/moderate.json');
      await writeFile(
        moderate,
        JSON.stringify({
          ...JSON.parse(await readFile(moderate, 'utf8')),
          stricter: [{ slo: 'http-5xx', max: 0.001 }],
        }),
      );
      const { code, stdout } = await runCli(['verify', '--root', dir]);
      assert.equal(code, 1);
      assert.match(
        stdout,
        /load\/profiles\/smoke\.json: field thresholds: profiles no longer repeat the SLO thresholds/,
      );
      assert.match(
        stdout,
        /load\/profiles\/moderate\.json: profile moderate \/ stricter\[0\]: names SLO "http-5xx", which does not exist/,
      );
    } finally {
      await cleanup();
    }
  });
});
