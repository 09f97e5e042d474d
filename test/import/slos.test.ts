// `stressgate import slos`: our own OpenSLO export imports back to Slo constructs that type-check,
// synthesise and export to the very same bytes; files written elsewhere (the OpenSLO project's own
// examples, a sloth-style file) import with every untyped part listed; a bad file fails in one line.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as prettier from 'prettier';
import { parse } from 'yaml';
import { app } from '../../src/definitions.js';
import { sloModule } from '../../src/openslo/codegen.js';
import { OPENSLO_FILE, renderOpenSlo } from '../../src/openslo/export.js';
import { importSlos } from '../../src/openslo/import-model.js';
import { parseOpenSlo } from '../../src/openslo/parse.js';
import { formatTypeScript } from '../../src/import/format.js';
import { importSlosCommand } from '../../src/import/slos.js';
import { specifier } from '../../src/import/write.js';
import { ROOT, runCli } from '../helpers.js';
import { typecheckFiles } from './typecheck.js';

const FIXTURES = join(ROOT, 'test/fixtures/openslo');

describe('import slos', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'stressgate-import-slos-'));
    // The generated modules are ES modules, as src/ is.
    await writeFile(join(dir, 'package.json'), '{"type":"module"}\n');
  });
  after(() => rm(dir, { recursive: true, force: true }));

  /** `import slos FILE --out dir/name.ts` (in-process) and an entry module exporting the tree it attaches to. */
  async function importTo(name: string, file: string) {
    const out = join(dir, `${name}.ts`);
    let printed = '';
    const io = { out: (t: string) => void (printed += t), err: (t: string) => void (printed += t) };
    assert.equal(await importSlosCommand([file, '--out', out], io), 0, printed);
    const entry = join(dir, `${name}-app.ts`);
    await writeFile(
      entry,
      `import './${name}.js';\nexport { app } from ${JSON.stringify(specifier(entry, join(ROOT, 'src/platform.js')))};\n`,
    );
    return { out, entry, module: await readFile(out, 'utf8'), stderr: printed };
  }

  it('round-trips the export: import, type-check, synthesise, export again gives the same bytes', async () => {
    const first = await readFile(join(ROOT, OPENSLO_FILE), 'utf8');
    assert.equal(first, renderOpenSlo(app), `${OPENSLO_FILE} is stale: run synth`);
    const { out, entry, module, stderr } = await importTo('ours', join(ROOT, OPENSLO_FILE));
    assert.match(stderr, /import slos: 5 SLO\(s\) imported, 0 note\(s\)/);
    assert.doesNotMatch(module, /Not typed as written/);
    assert.ok(
      await prettier.check(module, {
        ...(await prettier.resolveConfig(join(ROOT, 'src/cli.ts'))),
        parser: 'typescript',
      }),
    );
    assert.match(module, /threshold: percent\(0\.5\),/);
    assert.match(module, /histogram: metrics\.httpRequestDuration,\n {2}quantile: 0\.95,/);
    assert.equal(await typecheckFiles(dir, [out, entry]), '');

    // Every tree carries the platform's own SLOs (the k6 bundle reads their thresholds): the imported ones only.
    const again = await runCli(['export', 'openslo', '--app', entry, '--scope', 'openslo-slos']);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.stdout, first, 'the imported SLOs export to the same file');

    // Synthesised, the imported SLIs are the very recording rules src/recording-rules/ defines.
    const root = join(dir, 'synth');
    const synth = await runCli(['synth', '--app', entry, '--root', root]);
    assert.equal(synth.code, 0, synth.stderr);
    const groups = (
      parse(await readFile(join(root, 'infra/prometheus/recording-rules.yml'), 'utf8')) as {
        groups: { name: string; rules: { record: string; expr: string }[] }[];
      }
    ).groups;
    const imported = groups.find((g) => g.name === 'openslo-recording')!.rules;
    const originals = groups.filter((g) => g.name !== 'openslo-recording').flatMap((g) => g.rules);
    assert.equal(imported.length, 5);
    for (const rule of imported)
      assert.deepEqual(
        rule,
        originals.find((r) => r.record === rule.record),
        rule.record,
      );
  });

  it("imports the OpenSLO Go SDK's public v1 SLO, and lists what it cannot type", async () => {
    const file = join(FIXTURES, 'go-sdk-v1-slos.yaml');
    const { out, module, stderr } = await importTo('gosdk', file);
    assert.equal(await typecheckFiles(dir, [out]), '');
    const notes = stderr.split('\n').filter((l) => l.startsWith('not typed: '));
    for (const expected of [
      /SLO web-availability: indicator: http_requests is not in the catalog; kept as raw PromQL/,
      /SLO web-availability: budgetingMethod Timeslices: stressgate counts occurrences/,
      /SLO web-availability: timeWindow: calendar-aligned 1w from 2022-01-01 12:00:00 America\/New_York; stressgate's budgets roll, 7d written/,
      /SLO web-availability: gate settings OpenSLO has no field for, defaults written: window 5m, threshold 0\.5% \(the error budget\), alertFor 5m, load measure web_availability/,
    ])
      assert.ok(
        notes.some((n) => expected.test(n)),
        `${expected} in\n${notes.join('\n')}`,
      );
    assert.match(
      module,
      /expr: new Expr\(\n? *'1 - \(sum\(rate\(http_requests\{k8s_cluster="prod",component="web",code=~"2xx\|4xx"\}\[5m\]\)\)\) \/ \(sum\(rate\(http_requests\{k8s_cluster="prod",component="web"\}\[5m\]\)\)\)',/,
    );
    assert.match(module, /production: \{ objective: '99\.5%', period: '7d' \},/);
  });

  it("imports sloth's own OpenSLO example (v1alpha, sloth's format) as v1, one SLO per objective", async () => {
    const { out, module, stderr } = await importTo(
      'sloth-k8s',
      join(FIXTURES, 'sloth-openslo-kubernetes-apiserver.yml'),
    );
    assert.equal(await typecheckFiles(dir, [out]), '');
    assert.match(stderr, /OpenSLO v1alpha \(sloth's format\), read as v1/);
    assert.match(stderr, /2 objectives, imported as requests-latency-openslo-0, requests-latency-openslo-1/);
    assert.match(stderr, /import slos: 3 SLO\(s\) imported/);
    // sloth's {{.window}} is the window, and a selector already under rate() is not rated twice.
    assert.match(
      module,
      /'1 - \(sum\(rate\(apiserver_request_total\{code!~"\(5\.\.\|429\)"\}\[5m\]\)\)\) \/ \(sum\(rate\(apiserver_request_total\[5m\]\)\)\)'/,
    );
    assert.match(module, /production: \{ objective: '99\.9%', period: '30d' \},/);
  });

  it('notes what it does not import at all: a threshold metric, a file of SLIs only, foreign alert policies', () => {
    const read = (f: string) => parseOpenSlo(readFileSync(join(FIXTURES, f), 'utf8'), f);
    assert.deepEqual(importSlos(read('openslo-occurrences-slo.yaml')).notes, [
      'SLO search-slo: thresholdMetric: a raw value compared with op/value, no events to count; not imported',
    ]);
    assert.deepEqual(importSlos(read('go-sdk-v1-slis.yaml')).notes, ['go-sdk-v1-slis.yaml: no SLO in the file']);
    assert.match(
      importSlos(read('go-sdk-v1-alert_policies.yaml')).notes.join('\n'),
      /AlertPolicy low-priority, .*not imported/,
    );
  });

  it('types a sloth-style file over catalog metrics: bad events from good ones, examples inferred, defaults from the objective', async () => {
    const file = join(dir, 'sloth-style.yaml');
    await writeFile(
      file,
      `apiVersion: openslo/v1
kind: SLO
metadata: { name: api-availability, displayName: API availability }
spec:
  description: Share of API requests answered without a 5xx, over four weeks.
  service: api
  indicator:
    metadata: { name: api-good-requests }
    spec:
      ratioMetric:
        counter: true
        good: { metricSource: { type: prometheus, spec: { query: 'sum(rate(http_requests_total{route=~"/api/.*",status!~"5.."}[{{.window}}]))' } } }
        total: { metricSource: { type: prometheus, spec: { query: 'sum(rate(http_requests_total{route=~"/api/.*"}[{{.window}}]))' } } }
  timeWindow: [{ duration: 4w, isRolling: true }]
  budgetingMethod: Occurrences
  objectives: [{ targetPercent: 99.9 }]
---
apiVersion: openslo/v1
kind: SLO
metadata: { name: chat-fast }
spec:
  description: Chat messages reach their recipients within 250 ms.
  service: api
  indicator:
    metadata: { name: chat-fast-deliveries }
    spec:
      ratioMetric:
        counter: true
        good: { metricSource: { type: Prometheus, spec: { query: 'sum(chat_message_delivery_seconds_bucket{conversation_type="group",le="0.25"})' } } }
        total: { metricSource: { type: Prometheus, spec: { query: 'sum(chat_message_delivery_seconds_count{conversation_type="group"})' } } }
  budgetingMethod: Occurrences
  objectives: [{ target: 0.99 }, { displayName: relaxed, target: 0.9 }]
---
apiVersion: openslo/v1
kind: SLI
metadata: { name: auth-failures }
spec:
  ratioMetric:
    counter: true
    bad: { metricSource: { metricSourceRef: prom, spec: { query: 'auth_operations_total{outcome="failure"}' } } }
    total: { metricSource: { metricSourceRef: prom, spec: { query: 'auth_operations_total' } } }
---
apiVersion: openslo/v1
kind: DataSource
metadata: { name: prom }
spec: { type: Prometheus, connectionDetails: { url: 'http://127.0.0.1:9090' } }
---
apiVersion: openslo/v1
kind: SLO
metadata: { name: auth-ok }
spec:
  description: Sign-ins and token refreshes that work, by reference to a shared SLI.
  service: api
  indicatorRef: auth-failures
  timeWindow: [{ duration: 30d, isRolling: true }]
  budgetingMethod: Occurrences
  objectives: [{ target: 0.98 }]
`,
    );
    const { out, entry, module, stderr } = await importTo('sloth', file);
    assert.equal(await typecheckFiles(dir, [out, entry]), '');
    assert.match(
      module,
      /errors: metrics\.httpRequests\.select\(\{ route: re\('\/api\/\.\*'\), status: re\('5\.\.'\) \}\),/,
    );
    assert.match(
      module,
      /error: \{ method: 'GET', route: '\/api\/x', status: '500' \},\n\s+ok: \{ method: 'GET', route: '\/api\/x', status: '200' \},/,
    );
    assert.match(module, /threshold: percent\(0\.1\),/);
    assert.match(module, /production: \{ objective: '99\.9%', period: '28d' \},/);
    assert.match(module, /quantile: 0\.99,\n {2}window: '5m',\n {2}matchers: \{ conversation_type: 'group' \},/);
    assert.match(module, /threshold: ms\(250\),/);
    assert.match(stderr, /SLO chat-fast: objectives\[1\] \(relaxed\): one objective per SLO; target 90% not imported/);
    assert.match(stderr, /SLO chat-fast: timeWindow: none given; 30d written/);
    // An indicatorRef to an SLI object, its source a DataSource reference.
    assert.match(
      module,
      /errors: metrics\.authOperations\.select\(\{ outcome: 'failure' \}\),\n\s+total: metrics\.authOperations\.select\(\),/,
    );
    assert.match(module, /ok: \{ operation: 'signup', outcome: 'success' \}/);
    // The tree it builds is valid (export validates it) and exports the same events back.
    const exported = await runCli(['export', 'openslo', '--app', entry, '--scope', 'openslo-slos']);
    assert.equal(exported.code, 0, exported.stderr);
    assert.match(
      exported.stdout,
      /bad:\n\s+metricSource:\n\s+type: Prometheus\n\s+spec:\n\s+query: sum\(http_requests_total\{route=~"\/api\/\.\*", status=~"5\.\."\}\)/,
    );
    assert.match(
      exported.stdout,
      /query: sum\(chat_message_delivery_seconds_bucket\{conversation_type="group", le="0\.25"\}\)/,
    );
  });

  it('fails on a file that is not OpenSLO v1 in one line naming the file and the field, writing nothing', async () => {
    const file = join(dir, 'bad.yaml');
    const out = join(dir, 'bad.ts');
    await writeFile(
      file,
      (await readFile(join(FIXTURES, 'go-sdk-v1-slos.yaml'), 'utf8')).replace('target: 0.995', 'target: 99.5'),
    );
    const { code, stderr } = await runCli(['import', 'slos', file, '--out', out]);
    assert.equal(code, 2);
    assert.match(
      stderr.trim(),
      /^stressgate import: .*bad\.yaml: object 1 \(SLO web-availability\): field "spec\.objectives\.0\.target": a target is in \[0, 1\)$/,
    );
    await assert.rejects(readFile(out), /ENOENT/);
    const syntax = join(dir, 'syntax.yaml');
    await writeFile(syntax, 'apiVersion: openslo/v1\nkind: [SLO\n');
    const broken = await runCli(['import', 'slos', syntax]);
    assert.equal(broken.code, 2);
    assert.match(broken.stderr.trim(), /^stressgate import: .*syntax\.yaml: line \d+: /);
    assert.equal(broken.stderr.trim().split('\n').length, 1, broken.stderr);
  });

  it('writes the same module to stdout, importing from src/ as a module of src/slos/ would', () => {
    const file = parseOpenSlo(renderOpenSlo(app), OPENSLO_FILE);
    const text = sloModule(importSlos(file), OPENSLO_FILE, (p) =>
      specifier(join(ROOT, 'src/slos/imported.ts'), join(ROOT, 'src', p)),
    );
    assert.match(text, /from "\.\.\/catalog\/index\.js";/);
    assert.match(text, /from "\.\.\/platform\.js";/);
    return formatTypeScript(text).then((formatted) => assert.match(formatted, /from '\.\.\/constructs\/slo\.js';/));
  });
});
