// Imported rules and dashboards are untyped where the catalog does not know their series: once
// synthesised into a project, the lint reports what they lack (unknown series, tests, runbooks) as
// findings on the generated files, and does not crash on them.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { Construct } from '../../src/constructs/construct.js';
import { importFile } from '../../src/import/index.js';
import type { Finding } from '../../src/kernel/findings.js';
import { lintProject, loadProject } from '../../src/lint/index.js';
import { synthesize, writeFileSet } from '../../src/synth/index.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'import');
let tmp: string;
before(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'stressgate-import-lint-'));
  await writeFile(join(tmp, 'package.json'), '{ "type": "module" }\n');
});
after(async () => rm(tmp, { recursive: true, force: true }));

it('an imported rule file and dashboard synthesise into a project the lint reports on', async () => {
  const findings: Finding[] = [];
  for (const [kind, file] of [
    ['rules', join(FIXTURES, 'rules', 'awesome-blackbox-exporter.yml')],
    ['dashboard', join(FIXTURES, 'dashboards', 'mixins-alertmanager-overview.json')],
  ] as const) {
    const out = join(tmp, `${kind}.ts`);
    await writeFile(out, (await importFile(kind, file, out)).formatted);
    const { app } = (await import(pathToFileURL(out).href)) as { app: Construct };
    const root = join(tmp, kind);
    await writeFileSet(root, await synthesize(app));
    findings.push(...lintProject(await loadProject(root)));
  }
  const has = (rule: string, text: string) => findings.some((f) => f.rule === rule && f.message.includes(text));
  assert.ok(has('metric-exists', 'probe_success'), 'unknown series of an imported alert');
  assert.ok(has('metric-exists', 'alertmanager_'), 'unknown series of an imported dashboard');
  assert.ok(has('alert-tests', 'has no unit test where it fires'), 'imported alerts have no tests yet');
  assert.ok(has('alert-metadata', 'runbook_url'), 'imported alerts have no runbook');
});
