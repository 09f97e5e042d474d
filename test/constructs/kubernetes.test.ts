// infra/kubernetes/: what synth writes validates against the vendored CRDs, each broken kind is
// caught, the interlock refuses a target nobody allowed, and verify and diff see every hand edit.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { runInNewContext } from 'node:vm';
import { parse, stringify } from 'yaml';
import { DefinitionError } from '../../src/constructs/construct.js';
import { KubernetesManifests, type KubernetesProps } from '../../src/constructs/kubernetes.js';
import { App } from '../../src/constructs/construct.js';
import { app } from '../../src/definitions.js';
import { cluster } from '../../src/cluster/index.js';
import { diffKubernetes, renderMarkdown, buildReport } from '../../src/diff/index.js';
import { parseProfile, type Profile } from '../../src/load-contract/profile.js';
import { synthesize } from '../../src/synth/index.js';
import { currentK6Bundle } from '../../src/synth/k6-script.js';
import { peakVus, runnerPlan } from '../../src/synth/k6-runners.js';
import { SCHEMA_RULES, validateKubernetesFiles } from '../../src/verify/schema-checks/index.js';
import { projectCopy, ROOT, runCli } from '../helpers.js';

const files = await synthesize(app);
const manifests = [...files].filter(([p]) => p.startsWith('infra/kubernetes/')).map(([file, text]) => ({ file, text }));
const text = (file: string) => files.get(`infra/kubernetes/${file}`)!;
const doc = (file: string) => parse(text(file)) as Record<string, any>;
const CONFIGMAP = 'base/configmap-stressgate-k6.yaml';

/** Validates the generated set with one file replaced by `edit` of its parsed document. */
function validateEdited(file: string, edit: (d: Record<string, any>) => void) {
  const d = doc(file);
  edit(d);
  return validateKubernetesFiles(
    manifests.map((m) => (m.file === `infra/kubernetes/${file}` ? { file: m.file, text: stringify(d) } : m)),
  );
}

function messages(findings: ReturnType<typeof validateKubernetesFiles>): string[] {
  assert.ok(
    findings.every((f) => f.rule === SCHEMA_RULES.kubernetes),
    JSON.stringify(findings),
  );
  return findings.map((f) => `${f.object}: ${f.message}`);
}

describe('generated manifests', () => {
  it('cover every profile, the rules and every dashboard, and validate against the CRDs', () => {
    assert.deepEqual(
      manifests.map((m) => m.file),
      [
        'infra/kubernetes/base/alertmanagerconfig-stressgate.yaml',
        'infra/kubernetes/base/configmap-stressgate-k6.yaml',
        ...[
          'api-overview',
          'dependencies',
          'error-budget',
          'games',
          'notifications',
          'realtime',
          'release-gate',
          'runtime',
        ].map((d) => `infra/kubernetes/base/grafanadashboard-${d}.yaml`),
        'infra/kubernetes/base/prometheusrule-stressgate.yaml',
        ...['moderate', 'smoke', 'soak', 'stress'].map((p) => `infra/kubernetes/testruns/${p}.yaml`),
      ],
    );
    assert.deepEqual(validateKubernetesFiles(manifests), []);
  });

  it('a TestRun: parallelism and resources from the profile, target and profile as env, remote write with native histograms', () => {
    const run = doc('testruns/moderate.yaml');
    assert.equal(run.apiVersion, 'k6.io/v1alpha1');
    assert.equal(run.spec.parallelism, 3, '570 peak VUs at 200 per runner');
    assert.deepEqual(run.spec.runner.resources, {
      requests: { cpu: '1000m', memory: '896Mi' },
      limits: { memory: '896Mi' },
    });
    assert.deepEqual(run.spec.script, { configMap: { name: 'stressgate-k6', file: 'main.js' } });
    assert.match(run.spec.arguments, /(^| )-o experimental-prometheus-rw( |$)/);
    const env = Object.fromEntries(run.spec.runner.env.map((e: { name: string; value: string }) => [e.name, e.value]));
    assert.deepEqual(env, {
      TARGET_URL: 'http://api.stressgate-staging.svc.cluster.local:8080',
      PROFILE_FILE: '/test/moderate.json',
      K6_PROMETHEUS_RW_SERVER_URL: cluster.props.remoteWriteUrl,
      K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM: 'true',
    });
    assert.deepEqual(run.spec.initializer.env, run.spec.runner.env, 'the initializer opens PROFILE_FILE too');
    assert.equal(doc('testruns/smoke.yaml').spec.parallelism, 1);
  });

  it('the ConfigMap carries the current-k6 bundle byte for byte, and every profile', async () => {
    const data = doc(CONFIGMAP).data as Record<string, string>;
    const bundle = await currentK6Bundle();
    assert.equal(data['main.js'], bundle);
    assert.match(bundle, /require\("k6\/websockets"\)/);
    assert.doesNotMatch(bundle, /k6\/experimental\//);
    assert.doesNotMatch(bundle, new RegExp(ROOT.replace(/[/.]/g, '\\$&')), 'no absolute path of this machine');
    const smoke = JSON.parse(await readFile(join(ROOT, 'load/profiles/smoke.json'), 'utf8')) as unknown;
    assert.deepEqual(JSON.parse(data['smoke.json']!), smoke);
  });

  it('a runner has all it needs at init: the bundle opens PROFILE_FILE from the mounted ConfigMap, with current k6 modules only', () => {
    const data = doc(CONFIGMAP).data as Record<string, string>;
    // k6-operator mounts the ConfigMap at /test; the stubs stand for current k6's modules.
    const k6Modules: Record<string, unknown> = {
      k6: { check: () => true },
      'k6/execution': { default: {} },
      'k6/http': { default: {} },
      'k6/metrics': { Counter: class {}, Rate: class {}, Trend: class {} },
      'k6/websockets': { WebSocket: class {} },
    };
    for (const name of ['smoke', 'moderate', 'stress', 'soak']) {
      const run = doc(`testruns/${name}.yaml`);
      const env = Object.fromEntries(
        run.spec.runner.env.map((e: { name: string; value: string }) => [e.name, e.value]),
      );
      const module = { exports: {} as { options?: { scenarios: Record<string, unknown> } } };
      const open = (path: string) => {
        const key = path.startsWith('/test/') ? path.slice('/test/'.length) : undefined;
        if (key === undefined || !(key in data)) throw new Error(`open(${path}): not in the mounted ConfigMap`);
        return data[key];
      };
      const require = (m: string) => {
        if (!(m in k6Modules)) throw new Error(`the bundle requires ${m}, which current k6 does not provide`);
        return k6Modules[m];
      };
      runInNewContext(data[run.spec.script.configMap.file]!, {
        module,
        exports: module.exports,
        require,
        open,
        __ENV: env,
        setTimeout,
      });
      const profile = JSON.parse(data[`${name}.json`]!) as Profile;
      assert.deepEqual(
        Object.keys(module.exports.options!.scenarios).sort(),
        Object.keys(profile.scenarios).sort(),
        name,
      );
    }
  });

  it('the PrometheusRule holds the groups of every rule file prometheus.yml loads; each GrafanaDashboard the provisioned JSON', () => {
    const loaded = (parse(files.get('infra/prometheus/prometheus.yml')!) as { rule_files: string[] }).rule_files;
    assert.ok(loaded.includes('slo-burn-rate-alerts.yml'), loaded.join(', '));
    const groups = loaded.flatMap((f) => (parse(files.get(`infra/prometheus/${f}`)!) as { groups: unknown[] }).groups);
    assert.deepEqual(doc('base/prometheusrule-stressgate.yaml').spec.groups, groups);
    const dash = doc('base/grafanadashboard-release-gate.yaml');
    assert.equal(dash.spec.json, files.get('infra/grafana/provisioning/dashboards/release-gate.json'));
    assert.deepEqual(dash.spec.instanceSelector, { matchLabels: { dashboards: 'grafana' } });
  });

  it('are byte-identical when synth runs from another directory', async () => {
    const { dir, cleanup } = await projectCopy();
    try {
      const { stdout } = await promisify(execFile)(
        process.execPath,
        ['--import', import.meta.resolve('tsx'), join(ROOT, 'src/cli.ts'), 'synth', '--root', dir],
        { cwd: tmpdir() },
      );
      assert.match(stdout, /synth: \d+ files, 0 changed, 0 removed/);
    } finally {
      await cleanup();
    }
  });
});

describe('the validator fails on a broken manifest of each kind', () => {
  it('TestRun: wrong type, misspelt field, bad quantity, dangling profile', () => {
    assert.deepEqual(messages(validateEdited('testruns/moderate.yaml', (d) => (d.spec.parallelism = 'three'))), [
      'TestRun stressgate-moderate: /spec/parallelism: must be integer, got "three"',
    ]);
    const typo = messages(
      validateEdited(
        'testruns/moderate.yaml',
        (d) => ((d.spec.paralelism = d.spec.parallelism), delete d.spec.parallelism),
      ),
    );
    assert.deepEqual(typo, [
      "TestRun stressgate-moderate: /spec: must have required property 'parallelism'",
      'TestRun stressgate-moderate: /spec: must NOT have additional properties: "paralelism"',
    ]);
    assert.match(
      messages(validateEdited('testruns/moderate.yaml', (d) => (d.spec.runner.resources.limits.memory = '896 MB')))[0]!,
      /\/spec\/runner\/resources\/limits\/memory: must match pattern/,
    );
    assert.deepEqual(
      messages(validateEdited('testruns/moderate.yaml', (d) => (d.spec.runner.env[1].value = '/test/medium.json'))),
      [
        'TestRun stressgate-moderate: /spec/runner/env/1/value: PROFILE_FILE "/test/medium.json" is not a key of ConfigMap stressgate-k6 mounted at /test/',
      ],
    );
  });

  it('PrometheusRule: misspelt field, bad duration, and the Go (?i) pattern honoured', () => {
    const file = 'base/prometheusrule-stressgate.yaml';
    assert.deepEqual(
      messages(
        validateEdited(file, (d) => ((d.spec.groups[0].rulez = d.spec.groups[0].rules), delete d.spec.groups[0].rules)),
      ),
      ['PrometheusRule stressgate: /spec/groups/0: must NOT have additional properties: "rulez"'],
    );
    assert.match(
      messages(validateEdited(file, (d) => (d.spec.groups[2].rules[0].for = '2 minutes')))[0]!,
      /\/spec\/groups\/2\/rules\/0\/for: must match pattern/,
    );
    // ^(?i)(abort|warn)?$ in Go: any case passes, anything else fails.
    assert.deepEqual(
      validateEdited(file, (d) => (d.spec.groups[0].partial_response_strategy = 'Abort')),
      [],
    );
    assert.match(
      messages(validateEdited(file, (d) => (d.spec.groups[0].partial_response_strategy = 'retry')))[0]!,
      /partial_response_strategy: must match pattern "\^\(\?i\)\(abort\|warn\)\?\$"/,
    );
  });

  it('AlertmanagerConfig: misspelt matcher field, unknown match type, a receiver kind the trimmed CRD does not hold', () => {
    const file = 'base/alertmanagerconfig-stressgate.yaml';
    assert.deepEqual(messages(validateEdited(file, (d) => (d.spec.inhibitRules[0].sourceMatch[0].matchtype = '='))), [
      'AlertmanagerConfig stressgate: /spec/inhibitRules/0/sourceMatch/0: must NOT have additional properties: "matchtype"',
    ]);
    assert.match(
      messages(validateEdited(file, (d) => (d.spec.inhibitRules[0].targetMatch[0].matchType = '~')))[0]!,
      /\/spec\/inhibitRules\/0\/targetMatch\/0\/matchType: must be equal to one of the allowed values/,
    );
    assert.match(
      messages(validateEdited(file, (d) => (d.spec.receivers[0].slackConfigs = [{ channel: '#x' }])))[0]!,
      /\/spec\/receivers\/0: must NOT have additional properties: "slackConfigs"/,
    );
  });

  it('GrafanaDashboard: missing instanceSelector, uid too long, wrong apiVersion', () => {
    const file = 'base/grafanadashboard-games.yaml';
    assert.deepEqual(messages(validateEdited(file, (d) => delete d.spec.instanceSelector)), [
      "GrafanaDashboard stressgate-games: /spec: must have required property 'instanceSelector'",
    ]);
    assert.match(
      messages(validateEdited(file, (d) => (d.spec.uid = 'x'.repeat(41))))[0]!,
      /\/spec\/uid: must NOT have more than 40 characters/,
    );
    assert.match(
      messages(validateEdited(file, (d) => (d.apiVersion = 'grafana.integreatly.org/v1')))[0]!,
      /apiVersion "grafana.integreatly.org\/v1" with kind "GrafanaDashboard" has no schema here/,
    );
  });

  it('what the CRDs leave to the API server: names, labels, ConfigMap keys', () => {
    assert.match(
      messages(validateEdited('testruns/smoke.yaml', (d) => (d.metadata.name = 'Smoke_Run')))[0]!,
      /\/metadata\/name: must be a DNS-1123 subdomain/,
    );
    assert.match(
      messages(validateEdited('testruns/smoke.yaml', (d) => (d.metadata.labels.team = 'x'.repeat(64))))[0]!,
      /label value .* at most 63/,
    );
    const bad = messages(
      validateEdited(CONFIGMAP, (d) => ((d.data['smoke profile.json'] = '{}'), delete d.data['main.js'])),
    );
    assert.ok(
      bad.some((m) => /\/data\/smoke profile\.json: key "smoke profile\.json" may hold only/.test(m)),
      bad.join('\n'),
    );
    assert.ok(
      bad.some((m) =>
        /TestRun stressgate-smoke: \/spec\/script\/configMap\/file: ConfigMap stressgate-k6 has no key "main\.js"/.test(
          m,
        ),
      ),
      bad.join('\n'),
    );
  });
});

describe('the interlock', () => {
  const props = (url: string, allowedHosts: string[]): KubernetesProps => ({
    ...cluster.props,
    target: { url, allowedHosts },
  });

  it('refuses a TestRun target that is neither loopback nor allowed, naming the field and the fix', () => {
    const [err, ...more] = new KubernetesManifests(
      new App('t'),
      'k',
      props('https://api.example.com', ['staging.example.com']),
    ).validate();
    assert.deepEqual(more, []);
    assert.ok(err instanceof DefinitionError);
    assert.equal(err.field, 'target.url');
    assert.match(
      err.message,
      /^test\/constructs\/kubernetes\.test\.ts:\d+ t\/k: field "target\.url": refusing to generate TestRuns that send load to api\.example\.com: .*allowedHosts \(staging\.example\.com\).* — fix: .*add it to target\.allowedHosts/,
    );
    assert.deepEqual(
      new KubernetesManifests(
        new App('t'),
        'k',
        props('https://staging.example.com', ['staging.example.com']),
      ).validate(),
      [],
    );
  });

  it('synth exits 2 and writes nothing', async () => {
    const { dir, cleanup } = await projectCopy();
    try {
      const before = await readFile(join(dir, 'infra/kubernetes/testruns/moderate.yaml'), 'utf8');
      const result = await runCli([
        'synth',
        '--root',
        dir,
        '--app',
        join(ROOT, 'test/fixtures/apps/k8s-unallowed-target.ts'),
      ]);
      assert.equal(result.code, 2);
      assert.match(
        result.stderr,
        /bad\/platform\/kubernetes: field "target\.url": refusing to generate TestRuns that send load to api\.example\.com/,
      );
      assert.match(result.stderr, /Nothing was written/);
      assert.equal(await readFile(join(dir, 'infra/kubernetes/testruns/moderate.yaml'), 'utf8'), before);
    } finally {
      await cleanup();
    }
  });
});

describe('runner sizing', () => {
  const profile = (scenarios: Profile['scenarios']): Profile =>
    parseProfile('load/profiles/p.json', {
      name: 'p',
      description: 'a test profile',
      maxDuration: '1h',
      scenarios,
      checks: { minPassRate: 0.9 },
    });

  it('peak VUs: overlapping ramps are summed where they meet, offset scenarios are not', () => {
    const p = profile({
      auth: {
        stages: [
          { duration: '1m', target: 100 },
          { duration: '1m', target: 0 },
        ],
      },
      posts: { startTime: '1m', stages: [{ duration: '1m', target: 50 }] },
      games: { startTime: '10m', stages: [{ duration: '1m', target: 120 }] },
    });
    assert.equal(peakVus(p), 120, 'auth at 100 meets posts at 0 (t=1m), 50 + 0 at t=2m; games alone reaches 120');
  });

  it('parallelism = ceil(peak / vusPerRunner); resources from the VUs one runner can hold', () => {
    const p = profile({
      auth: { stages: [{ duration: '1m', target: 401 }] },
      posts: { stages: [{ duration: '1m', target: 100 }] },
    });
    const plan = runnerPlan(p, cluster.props.runners);
    assert.equal(plan.peakVus, 501);
    assert.equal(plan.parallelism, 3);
    assert.equal(plan.vusPerRunner, 169, 'ceil(501 / 3) + one per scenario for segment rounding');
    assert.deepEqual(plan.resources, { requests: { cpu: '900m', memory: '768Mi' }, limits: { memory: '768Mi' } });
  });
});

describe('verify and diff see hand edits in infra/kubernetes/', () => {
  it('verify fails on a hand-edited TestRun (drift) and on a stray manifest (stale)', async () => {
    const { dir, cleanup } = await projectCopy();
    try {
      const file = join(dir, 'infra/kubernetes/testruns/moderate.yaml');
      await writeFile(file, (await readFile(file, 'utf8')).replace('parallelism: 3', 'parallelism: 30'));
      await writeFile(join(dir, 'infra/kubernetes/testruns/extra.yaml'), text('testruns/smoke.yaml'));
      const { code, stdout } = await runCli(['verify', '--root', dir]);
      assert.equal(code, 1, stdout);
      assert.match(stdout, /^FAIL drift/m);
      assert.match(
        stdout,
        /infra\/kubernetes\/testruns\/moderate\.yaml: generated file: differs from what the definitions generate/,
      );
      assert.match(
        stdout,
        /infra\/kubernetes\/testruns\/extra\.yaml: generated file: is not generated by any definition \(stale\)/,
      );
    } finally {
      await cleanup();
    }
  });

  it('diff reports TestRun parallelism, env and resources, rule groups, dashboards and profile fields', () => {
    const set = (edit?: (file: string, d: Record<string, any>) => void) =>
      Object.fromEntries(
        manifests.map((m) => {
          const d = parse(m.text) as Record<string, any>;
          edit?.(m.file.replace('infra/kubernetes/', ''), d);
          return [m.file, [d]];
        }),
      );
    const head = set((file, d) => {
      if (file === 'testruns/moderate.yaml') {
        d.spec.parallelism = 4;
        d.spec.runner.env[0].value = 'http://api.other:8080';
        d.spec.runner.resources.requests.cpu = '1500m';
      }
      if (file === 'base/prometheusrule-stressgate.yaml') d.spec.groups[2].rules[0].expr += ' > 0';
      if (file === 'base/grafanadashboard-games.yaml')
        d.spec.json = d.spec.json.replace('"title": "Rooms"', '"title": "Game rooms"');
      if (file === CONFIGMAP) d.data['smoke.json'] = d.data['smoke.json'].replace('"target": 4', '"target": 5');
    });
    const k = diffKubernetes(set(), head);
    assert.deepEqual([k.added, k.removed], [[], []]);
    const byName = new Map(k.changed.map((c) => [`${c.kind}/${c.name}`, c]));
    assert.deepEqual([...byName.keys()].sort(), [
      'ConfigMap/stressgate-k6',
      'GrafanaDashboard/stressgate-games',
      'PrometheusRule/stressgate',
      'TestRun/stressgate-moderate',
    ]);
    const run = byName.get('TestRun/stressgate-moderate')!;
    assert.deepEqual(run.testRun?.parallelism, { old: 3, new: 4 });
    assert.deepEqual(run.testRun?.env, [
      { key: 'TARGET_URL', old: 'http://api.stressgate-staging.svc.cluster.local:8080', new: 'http://api.other:8080' },
    ]);
    assert.deepEqual(run.testRun?.resources, [{ path: 'requests.cpu', old: '1000m', new: '1500m' }]);
    assert.deepEqual(run.other, [], 'the initializer env is not reported twice');
    assert.deepEqual(byName.get('PrometheusRule/stressgate')!.ruleGroups, ['slo-alerts']);
    assert.equal(
      byName.get('GrafanaDashboard/stressgate-games')!.dashboard?.changed[0]?.panelsChanged[0]?.retitled?.new,
      'Game rooms',
    );
    assert.deepEqual(byName.get('ConfigMap/stressgate-k6')!.data, [
      { key: 'smoke.json', change: 'changed', fields: [{ path: 'scenarios.auth.stages[0].target', old: 4, new: 5 }] },
    ]);
    const md = renderMarkdown(
      buildReport({
        base: { ref: 'b' },
        rules: { added: [], removed: [], changed: [], groups: [] },
        dashboards: { added: [], removed: [], changed: [] },
        kubernetes: k,
      }),
    );
    assert.match(md, /Kubernetes manifests: 4 changed/);
    assert.match(
      md,
      /- \*\*TestRun stressgate-moderate\*\* \(`infra\/kubernetes\/testruns\/moderate\.yaml`\)\n {2}- parallelism: 3 → 4\n {2}- runner env `TARGET_URL`: .* → `http:\/\/api\.other:8080`\n {2}- runner resources: `requests\.cpu`: `1000m` → `1500m`/,
    );
    assert.match(md, /rule groups changed: `slo-alerts`/);
    assert.match(md, /dashboard `games` changed: 1 panel changed/);
    assert.match(md, /data `smoke\.json` changed: `scenarios\.auth\.stages\[0\]\.target`: `4` → `5`/);
  });
});
