// The import's promise, on real public files (test/fixtures/import/, with their licences) and on our
// own generated ones: import -> write the module -> load it as an app -> synth -> the output equals the
// input in canonical form (src/import/canonical.ts). Also: canonical form does not hide a changed
// threshold, expression or title, and the CLI writes atomically and refuses to overwrite.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { Construct } from '../../src/constructs/construct.js';
import {
  canonicalDashboard,
  canonicalPromql,
  canonicalRuleFile,
  canonicalRuleText,
  differences,
} from '../../src/import/canonical.js';
import { importFile } from '../../src/import/index.js';
import { synthesize } from '../../src/synth/index.js';

const ROOT = join(import.meta.dirname, '..', '..');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'import');
let tmp: string;
before(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'stressgate-import-'));
  // Generated modules are ES modules, as in this package: outside it, a package.json says so.
  await writeFile(join(tmp, 'package.json'), '{ "type": "module" }\n');
});
after(async () => rm(tmp, { recursive: true, force: true }));

let count = 0;
/** Imports `file`, writes the module into the temp dir, loads its `app` and synthesises it. */
async function roundTrip(kind: 'dashboard' | 'rules', file: string) {
  const out = join(tmp, `m${++count}.ts`);
  const result = await importFile(kind, file, out);
  await writeFile(out, result.formatted);
  const { app } = (await import(pathToFileURL(out).href)) as { app: Construct };
  return { result, files: await synthesize(app) };
}

async function dashboardRoundTrip(file: string) {
  const input = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  const { result, files } = await roundTrip('dashboard', file);
  const output = JSON.parse(files.get(`infra/grafana/provisioning/dashboards/${result.name}.json`)!) as unknown;
  const hasUid = typeof input.uid === 'string';
  return { result, diff: differences(canonicalDashboard(input, hasUid), canonicalDashboard(output, hasUid)) };
}

async function rulesRoundTrip(file: string) {
  const { result, files } = await roundTrip('rules', file);
  const output = canonicalRuleText(files.get(`infra/prometheus/${result.name}.yml`)!);
  return { result, diff: differences(canonicalRuleText(await readFile(file, 'utf8')), output) };
}

const list = async (dir: string) => (await readdir(dir)).filter((f) => /\.(json|ya?ml)$/.test(f)).sort();

describe('public dashboards round-trip through import and synth', async () => {
  for (const name of await list(join(FIXTURES, 'dashboards'))) {
    it(name, async () => {
      const { diff } = await dashboardRoundTrip(join(FIXTURES, 'dashboards', name));
      assert.deepEqual(diff, [], `${name} differs after the round trip:\n${diff.join('\n')}`);
    });
  }
});

describe('public rule files round-trip through import and synth', async () => {
  for (const name of await list(join(FIXTURES, 'rules'))) {
    it(name, async () => {
      const { diff } = await rulesRoundTrip(join(FIXTURES, 'rules', name));
      assert.deepEqual(diff, [], `${name} differs after the round trip:\n${diff.join('\n')}`);
    });
  }
});

describe('our own generated files round-trip (the baseline)', async () => {
  const dashboards = join(ROOT, 'infra', 'grafana', 'provisioning', 'dashboards');
  for (const name of (await list(dashboards)).filter((f) => f.endsWith('.json'))) {
    it(`dashboard ${name}`, async () => {
      const { diff, result } = await dashboardRoundTrip(join(dashboards, name));
      assert.deepEqual(diff, []);
      // Our dashboards read only catalog series and recording rules: the catalog ones come back typed.
      if (name === 'api-overview.json') assert.ok(result.typed > 0, 'api-overview has typed selectors');
    });
  }
  for (const name of ['recording-rules.yml', 'alerts.yml', 'slo-burn-rate.yml', 'slo-burn-rate-alerts.yml']) {
    it(`rule file ${name}`, async () => {
      const { diff } = await rulesRoundTrip(join(ROOT, 'infra', 'prometheus', name));
      assert.deepEqual(diff, []);
    });
  }
});

describe('canonical form does not hide real differences', () => {
  it('ignores layout of PromQL but not a changed threshold, window or label value', () => {
    const base = 'sum by (job) (rate(http_requests_total{status=~"5.."}[5m])) > 0.05';
    assert.equal(
      canonicalPromql(base),
      canonicalPromql(`sum by(job)(\n  rate(http_requests_total{status=~'5..'}[5m])\n) > 0.05`),
    );
    assert.equal(canonicalPromql('up{}'), canonicalPromql('up'));
    for (const changed of [
      base.replace('0.05', '0.5'),
      base.replace('[5m]', '[1m]'),
      base.replace('5..', '4..'),
      base.replace('>', '>='),
    ])
      assert.notEqual(canonicalPromql(changed), canonicalPromql(base), changed);
  });
  it('a changed panel title, threshold or dashboard expression is not equal', () => {
    const dash = {
      uid: 'x',
      title: 'T',
      panels: [
        {
          type: 'stat',
          title: 'P',
          targets: [{ expr: 'up{job="$job"}' }],
          fieldConfig: { defaults: { thresholds: { steps: [{ value: 1 }] } } },
        },
      ],
    };
    const variant = (f: (d: typeof dash) => void) => {
      const d = structuredClone(dash);
      f(d);
      return differences(canonicalDashboard(dash), canonicalDashboard(d));
    };
    assert.deepEqual(
      variant(() => {}),
      [],
    );
    assert.notDeepEqual(
      variant((d) => void (d.panels[0]!.title = 'Q')),
      [],
    );
    assert.notDeepEqual(
      variant((d) => void (d.panels[0]!.fieldConfig.defaults.thresholds.steps[0]!.value = 2)),
      [],
    );
    assert.notDeepEqual(
      variant((d) => void (d.panels[0]!.targets[0]!.expr = 'up{job="api"}')),
      [],
    );
  });
  it('a changed alert hold or severity is not equal, a label written as a number is', () => {
    const file = {
      groups: [
        { name: 'g', rules: [{ alert: 'A', expr: 'up == 0', for: '5m', labels: { severity: 'critical', tier: 1 } }] },
      ],
    };
    const same = structuredClone(file);
    same.groups[0]!.rules[0]!.labels.tier = '1' as unknown as number;
    assert.deepEqual(differences(canonicalRuleFile(file), canonicalRuleFile(same)), []);
    const held = structuredClone(file);
    held.groups[0]!.rules[0]!.for = '10m';
    assert.notDeepEqual(differences(canonicalRuleFile(file), canonicalRuleFile(held)), []);
    const severity = structuredClone(file);
    severity.groups[0]!.rules[0]!.labels.severity = 'warning';
    assert.notDeepEqual(differences(canonicalRuleFile(file), canonicalRuleFile(severity)), []);
  });
});

describe('the round trip catches a module that no longer matches its input', () => {
  it('an edited hold in the imported rules module differs', async () => {
    const fixture = join(FIXTURES, 'rules', 'awesome-blackbox-exporter.yml');
    const out = join(tmp, 'tampered.ts');
    const result = await importFile('rules', fixture, out);
    assert.match(result.formatted, /for: '1m'/);
    await writeFile(out, result.formatted.replace("for: '1m'", "for: '2m'"));
    const { app } = (await import(pathToFileURL(out).href)) as { app: Construct };
    const output = (await synthesize(app)).get(`infra/prometheus/${result.name}.yml`)!;
    const diff = differences(canonicalRuleText(await readFile(fixture, 'utf8')), canonicalRuleText(output));
    assert.deepEqual(diff, ['.groups[0].rules[0].for: "1m" vs "2m"']);
  });
});

describe('the CLI', () => {
  const run = (args: string[]) =>
    promisify(execFile)('npx', ['tsx', join(ROOT, 'src', 'cli.ts'), ...args], { cwd: ROOT }).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
  it('writes the module with --out, refuses to overwrite it, and synth --app reproduces the input', async () => {
    const fixture = join(FIXTURES, 'rules', 'awesome-blackbox-exporter.yml');
    const out = join(tmp, 'cli-rules.ts');
    const first = await run(['import', 'rules', fixture, '--out', out]);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stderr, /untyped: probe_success: not in the catalog/);
    assert.match(await readFile(out, 'utf8'), /^\/\/ Not typed \(raw PromQL or kept as given\):$/m);
    const again = await run(['import', 'rules', fixture, '--out', out]);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /the file exists; give --force/);
    const root = join(tmp, 'cli-root');
    const synth = await run(['synth', '--app', out, '--root', root]);
    assert.equal(synth.code, 0, synth.stderr);
    const output = await readFile(join(root, 'infra', 'prometheus', 'awesome-blackbox-exporter.yml'), 'utf8');
    assert.deepEqual(differences(canonicalRuleText(await readFile(fixture, 'utf8')), canonicalRuleText(output)), []);
  });
  it('names the file and field of bad input, exit 2, nothing written', async () => {
    const bad = join(tmp, 'bad.yml');
    await writeFile(
      bad,
      'groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up == 0\n        severity: page\n',
    );
    const out = join(tmp, 'bad.ts');
    const r = await run(['import', 'rules', bad, '--out', out]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /bad\.yml: field "groups\[0\]\.rules\[0\]\.severity": not a Prometheus rule field/);
    await assert.rejects(readFile(out));
  });
});
