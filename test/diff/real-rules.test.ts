// The rule diff on real public rule files and their histories (test/fixtures/diff/real/README.md):
// renames, layout-only edits, YAML promtool accepts, and weakenings inside PrometheusRule manifests.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import {
  buildReport,
  diffKubernetes,
  diffRuleFiles,
  loadFromWorkingTree,
  outcome,
  renderMarkdown,
} from '../../src/diff/index.js';
import { ALERTS, FIXTURES, section } from './helpers.js';

const REAL = join(FIXTURES, 'real');
const text = (name: string) => readFile(join(REAL, name), 'utf8');
const yaml = async (name: string): Promise<unknown> => parseYaml(await text(name));
const NO_DASHBOARDS = { added: [], removed: [], changed: [] };

describe('diff on real rule files: renames', () => {
  it('an alert renamed with an identical expression is one rule renamed, not removed + added', async () => {
    // samber/awesome-prometheus-alerts 1e4e3d1: HostUnusualDiskReadRate → HostDiskIoUtilizationHigh.
    const rules = diffRuleFiles(
      { [ALERTS]: await yaml('samber-node-exporter-rename-base.yml') },
      { [ALERTS]: await yaml('samber-node-exporter-rename-head.yml') },
    );
    assert.deepEqual(rules.removed, []);
    assert.deepEqual(rules.added, []);
    assert.equal(rules.changed.length, 1);
    const c = rules.changed[0]!;
    assert.deepEqual(c.renamed, { old: 'HostUnusualDiskReadRate', new: 'HostDiskIoUtilizationHigh' });
    assert.equal(c.expr, undefined, 'the expression did not change');
    assert.deepEqual(
      c.annotations.map((a) => a.key),
      ['description', 'summary'],
    );
    const md = renderMarkdown(buildReport({ base: { ref: 'b' }, rules, dashboards: NO_DASHBOARDS }));
    assert.ok(md.includes('renamed: `HostUnusualDiskReadRate` → `HostDiskIoUtilizationHigh`'), md);
  });

  it('a rename with a threshold and `for` change in the same commit: paired, and the changes judged', async () => {
    // samber/awesome-prometheus-alerts 79f2858: JenkinsOffline (> 1, for 0m) → JenkinsNodeOffline (> 0, for 5m).
    const rules = diffRuleFiles(
      { [ALERTS]: await yaml('samber-jenkins-base.yml') },
      { [ALERTS]: await yaml('samber-jenkins-head.yml') },
      { judgeAll: true },
    );
    assert.deepEqual(rules.removed, []);
    assert.deepEqual(
      rules.added.map((r) => r.name),
      ['JenkinsNoNodeOnline'],
    );
    const c = rules.changed.find((x) => x.renamed)!;
    assert.deepEqual(c.renamed, { old: 'JenkinsOffline', new: 'JenkinsNodeOffline' });
    assert.deepEqual(c.expr?.thresholds, [
      { old: { op: '>', value: 1, literal: '1' }, new: { op: '>', value: 0, literal: '0' }, verdict: 'stricter' },
    ]);
    const report = buildReport({ base: { ref: 'b' }, rules, dashboards: NO_DASHBOARDS, judgeAll: true });
    assert.deepEqual(report.weaker, [
      {
        name: 'JenkinsNodeOffline',
        kind: 'alert',
        verdict: 'weaker',
        reasons: ['for: 0m → 5m (must hold that long before it fires)'],
      },
    ]);
    assert.match(report.review[0]!.reasons[0]!, /^renamed JenkinsOffline → JenkinsNodeOffline/);
  });

  it('two equally good candidates are not guessed between: they stay removed + added', () => {
    const file = (names: string[]) => ({
      groups: [{ name: 'g', rules: names.map((alert) => ({ alert, expr: 'up == 0', labels: { severity: 'page' } })) }],
    });
    const rules = diffRuleFiles({ [ALERTS]: file(['A', 'B']) }, { [ALERTS]: file(['C', 'D']) });
    assert.deepEqual(
      rules.removed.map((r) => r.name),
      ['A', 'B'],
    );
    assert.deepEqual(
      rules.added.map((r) => r.name),
      ['C', 'D'],
    );
  });
});

describe('diff: a renamed or removed recording rule that alerts still read', () => {
  const file = (record: string, alert: Record<string, unknown>) => ({
    groups: [
      {
        name: 'g',
        rules: [{ record, expr: 'sum by (job) (rate(http_requests_total{code=~"5.."}[5m]))' }, alert],
      },
    ],
  });
  const reader = { alert: 'ApiErrors', expr: 'job:http_errors:rate5m > 1', labels: { gate: 'release' } };

  it('renamed under a gate alert that still reads the old name: weaker, the alert can never fire', () => {
    const rules = diffRuleFiles(
      { [ALERTS]: file('job:http_errors:rate5m', reader) },
      { [ALERTS]: file('job:http_5xx:rate5m', reader) },
    );
    assert.deepEqual(rules.changed[0]?.renamed, { old: 'job:http_errors:rate5m', new: 'job:http_5xx:rate5m' });
    const report = buildReport({ base: { ref: 'b' }, rules, dashboards: NO_DASHBOARDS });
    assert.deepEqual(report.weaker[0]?.reasons, [
      'renamed to job:http_5xx:rate5m, but an alert still reads job:http_errors:rate5m and can never fire: ApiErrors',
    ]);
    const followed = diffRuleFiles(
      { [ALERTS]: file('job:http_errors:rate5m', reader) },
      { [ALERTS]: file('job:http_5xx:rate5m', { ...reader, expr: 'job:http_5xx:rate5m > 1' }) },
    );
    assert.deepEqual(buildReport({ base: { ref: 'b' }, rules: followed, dashboards: NO_DASHBOARDS }).weaker, []);
  });

  it("judging every alert (other teams' files), a removed record read by any alert is weaker", () => {
    const plain = { ...reader, labels: {} };
    const rules = diffRuleFiles(
      { [ALERTS]: file('job:http_errors:rate5m', plain) },
      { [ALERTS]: { groups: [{ name: 'g', rules: [plain] }] } },
      { judgeAll: true },
    );
    assert.deepEqual(rules.removed[0]?.flags, [
      { verdict: 'weaker', reason: 'removed, but alerts still read it and can never fire: ApiErrors' },
    ]);
  });
});

describe('diff on real rule files: formatting and YAML', () => {
  it('a whitespace-only expression edit is no change; the rename beside it is', async () => {
    // samber/awesome-prometheus-alerts 20f9a36: HostContextSwitchingHigh `)/(` → `) / (`.
    const base = await yaml('samber-node-exporter-whitespace-base.yml');
    const head = await yaml('samber-node-exporter-whitespace-head.yml');
    const exprOf = (doc: unknown, name: string) =>
      (doc as { groups: { rules: { alert: string; expr: string }[] }[] }).groups[0]!.rules.find(
        (r) => r.alert === name,
      )!.expr;
    assert.notEqual(exprOf(base, 'HostContextSwitchingHigh'), exprOf(head, 'HostContextSwitchingHigh'));
    const rules = diffRuleFiles({ [ALERTS]: base }, { [ALERTS]: head });
    assert.deepEqual(
      rules.changed.map((c) => [c.name, c.renamed?.old]),
      [['HostInodesMayFillIn24Hours', 'HostInodesWillFillIn24Hours']],
    );
  });

  it('reads a multi-line single-quoted expr continued in column 0, as promtool does', async () => {
    // samber/awesome-prometheus-alerts 60c2359: HostContextSwitchingHigh's expr continues at column 0.
    const fixture = join(REAL, 'samber-node-exporter-column0.yml');
    const { stdout } = await promisify(execFile)('promtool', ['check', 'rules', fixture]);
    assert.match(stdout, /SUCCESS: 2 rules found/);
    const root = await mkdtemp(join(tmpdir(), 'stressgate-diff-yaml-'));
    try {
      await mkdir(join(root, 'infra/prometheus'), { recursive: true });
      await writeFile(join(root, ALERTS), await readFile(fixture));
      const loaded = await loadFromWorkingTree(root);
      const doc = loaded.rules[ALERTS] as { groups: { rules: { alert: string; expr: string }[] }[] };
      assert.equal(
        doc.groups[0]!.rules[0]!.expr,
        '(rate(node_context_switches_total[15m])/count without(mode,cpu) (node_cpu_seconds_total{mode="idle"})) / (rate(node_context_switches_total[1d])/count without(mode,cpu) (node_cpu_seconds_total{mode="idle"})) > 2 ',
        'folded as YAML folds it: continuation lines joined by one space',
      );
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('still refuses YAML that promtool refuses too: a quote that never closes', async () => {
    const root = await mkdtemp(join(tmpdir(), 'stressgate-diff-yaml-'));
    try {
      await mkdir(join(root, 'infra/prometheus'), { recursive: true });
      const broken = "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: 'up == 0\n";
      await writeFile(join(root, ALERTS), broken);
      await assert.rejects(loadFromWorkingTree(root), /infra\/prometheus\/alerts\.yml: not valid YAML/);
      await assert.rejects(promisify(execFile)('promtool', ['check', 'rules', join(root, ALERTS)]));
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

describe('diff on real manifests: a weakening only in a PrometheusRule counts', () => {
  const manifests = async (name: string, gate: boolean) => {
    const docs = parseAllDocuments(await text(name)).map((d) => d.toJS() as Record<string, unknown>);
    if (gate) {
      // As this project labels its gate alerts (the upstream file has no gate label).
      for (const g of (docs[0]!.spec as { groups: { rules: { labels?: Record<string, string> }[] }[] }).groups)
        for (const r of g.rules) r.labels = { ...r.labels, gate: 'release' };
    }
    return { 'infra/kubernetes/prometheus-rule.yaml': docs };
  };

  it('kube-prometheus 96c1c5c: NodeFilesystemSpaceFillingUp < 20 → < 15 and < 15 → < 10 are weaker, exit 1', async () => {
    const kubernetes = diffKubernetes(
      await manifests('kube-prometheus-node-exporter-rule-base.yaml', true),
      await manifests('kube-prometheus-node-exporter-rule-head.yaml', true),
    );
    const report = buildReport({
      base: { ref: 'b' },
      rules: { added: [], removed: [], changed: [], groups: [] },
      dashboards: NO_DASHBOARDS,
      kubernetes,
    });
    assert.deepEqual(
      report.weaker.map((f) => [f.name, f.source, f.reasons]),
      [
        [
          'NodeFilesystemSpaceFillingUp {gate="release", severity="warning"}',
          'PrometheusRule/node-exporter-rules',
          ['threshold < 20 → < 15 (fires later)'],
        ],
        [
          'NodeFilesystemSpaceFillingUp {gate="release", severity="critical"}',
          'PrometheusRule/node-exporter-rules',
          ['threshold < 15 → < 10 (fires later)'],
        ],
      ],
    );
    assert.equal(outcome(report, 'weaker').code, 1);
    assert.match(section(renderMarkdown(report), '⚠ Weaker gate alerts'), /`PrometheusRule\/node-exporter-rules`/);
  });

  it('the same weakening in a rule file and in the manifest is counted once', async () => {
    const base = await manifests('kube-prometheus-node-exporter-rule-base.yaml', true);
    const head = await manifests('kube-prometheus-node-exporter-rule-head.yaml', true);
    const spec = (m: Record<string, unknown[]>) => (Object.values(m)[0]![0] as { spec: unknown }).spec;
    const report = buildReport({
      base: { ref: 'b' },
      rules: diffRuleFiles({ [ALERTS]: spec(base) }, { [ALERTS]: spec(head) }),
      dashboards: NO_DASHBOARDS,
      kubernetes: diffKubernetes(base, head),
    });
    assert.equal(report.weaker.length, 2);
    assert.ok(report.weaker.every((f) => f.source === undefined));
  });
});
