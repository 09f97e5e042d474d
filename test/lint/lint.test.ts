// The lint as a whole: a clean project is clean, findings sort and print, the loader's edges, the
// registry (one list; each rule tripped alone by a test under test/lint/rules/, quiet on clean input).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { catalog as realCatalog, type Metric } from '../../src/catalog/index.js';
import { lintContext } from '../../src/lint/context.js';
import { formatFindings, LINT_RULES, loadProject } from '../../src/lint/index.js';
import { parsePromQL, substituteGrafanaVariables } from '../../src/lint/promql.js';
import { headingAnchors, headingSlug } from '../../src/lint/rules/runbooks.js';
import { ALERTS, alert, DASHBOARD, Edits, FIXTURE, lint, panel, RECORDS, testCatalog, type Doc } from './fixture.js';

describe('lint', () => {
  it('finds nothing in the clean fixture, with the test catalog and with the real one', async () => {
    assert.deepEqual(await lint(), []);
    assert.deepEqual(await lint(undefined, realCatalog), []);
  });

  it('sorts findings by file, object, rule and prints text and GitHub annotations', async () => {
    const findings = await lint(
      new Edits()
        .yaml(ALERTS, (d) => (alert(d, 'ChatConnectionsDown').labels.severity = 'page'))
        .json(DASHBOARD, (d) => (panel(d, 2).targets[0].expr = 'rate(nope_total[$__rate_interval])'))
        .yaml(ALERTS, (d) => (alert(d, 'Http5xxRatioHigh').expr = 'job:http_requests_5xx:ratio_rate5m >')),
    );
    assert.deepEqual(
      findings.map((f) => f.rule),
      ['metric-exists', 'alert-metadata', 'promql-parse'],
    );
    const text = formatFindings(findings, 'text');
    assert.match(
      text,
      /\ninfra\/prometheus\/alerts\.yml: alert ChatConnectionsDown: label severity is "page"\. \[alert-metadata\]\n {2}fix: set labels\.severity/,
    );
    const github = formatFindings(findings, 'github').split('\n');
    assert.equal(github.length, 3);
    assert.match(
      github[2]!,
      /^::error file=infra\/prometheus\/alerts\.yml,title=promql-parse%3A alert Http5xxRatioHigh::expression does not parse/,
    );
  });

  it('the loader skips prometheus.yml and YAML without groups', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'stressgate-lint-'));
    try {
      await cp(FIXTURE, dir, { recursive: true });
      await writeFile(join(dir, 'infra/prometheus/alertmanager.yml'), 'route:\n  receiver: default\n');
      const project = await loadProject(dir);
      assert.deepEqual(
        project.ruleFiles.map((f) => f.path),
        [ALERTS, RECORDS],
      );
      assert.deepEqual(
        project.alertTests.map((t) => [t.alertname, t.expAlerts]),
        [
          ['Http5xxRatioHigh', 1],
          ['Http5xxRatioHigh', 0],
          ['ChatConnectionsDown', 1],
          ['ChatConnectionsDown', 0],
        ],
      );
      assert.deepEqual(project.parseFindings, []);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('each registered rule has a test under test/lint/rules/ that trips it alone', () => {
    const dir = join(import.meta.dirname, 'rules');
    const titles = readdirSync(dir).flatMap((f) =>
      [...readFileSync(join(dir, f), 'utf8').matchAll(/^\s*it\(['"]([a-z-]+):/gm)].map((m) => m[1]!),
    );
    assert.deepEqual([...new Set(titles)].sort(), LINT_RULES.map((r) => r.id).sort());
  });
});

describe('lint registry', () => {
  it('is one list of unique kebab-case ids, each with a severity and what it catches', () => {
    const ids = LINT_RULES.map((r) => r.id);
    assert.equal(new Set(ids).size, ids.length, `duplicate ids in ${ids.join(', ')}`);
    for (const r of LINT_RULES) {
      assert.match(r.id, /^[a-z]+(-[a-z]+)*$/, r.id);
      assert.ok(['error', 'warning'].includes(r.severity), `${r.id}: severity ${r.severity}`);
      assert.ok(r.summary.length > 20, `${r.id}: say what the rule catches`);
    }
  });

  it('docs/verify.md lists exactly the registered rules', async () => {
    const docs = await readFile(resolve(import.meta.dirname, '../../docs/verify.md'), 'utf8');
    const rows = [...docs.matchAll(/^\| `([a-z-]+)` \| (\w+) \| (.*) \|$/gm)].map((m) => [m[1], m[2], m[3]]);
    assert.deepEqual(
      rows,
      LINT_RULES.map((r) => [r.id, r.severity, r.summary]),
    );
  });

  it('every rule stays quiet on the clean fixture and on the real project', async () => {
    const clean = async (root: string, catalog: readonly Metric[]) => lintContext(await loadProject(root), catalog);
    for (const [root, catalog] of [
      [FIXTURE, testCatalog],
      [resolve(import.meta.dirname, '../..'), realCatalog],
    ] as const) {
      const ctx = await clean(root, catalog);
      for (const r of LINT_RULES) assert.deepEqual(r.check(ctx), [], `${r.id} fires on ${root}`);
    }
  });

  it("stamps each problem with its rule's id and severity, so a check cannot report under another name", async () => {
    const findings = await lint(new Edits().yaml(ALERTS, (d) => delete alert(d, 'Http5xxRatioHigh').labels.severity));
    assert.deepEqual(
      findings.map((f) => [f.rule, f.severity]),
      [['alert-metadata', 'error']],
    );
  });
});

describe('lint helpers', () => {
  it('substitutes Grafana variables so dashboard queries parse', () => {
    assert.equal(
      substituteGrafanaVariables(
        'rate(x{job=~"$job", a="${a:csv}", b=~"[[b]]"}[$__rate_interval]) / ${__interval} * $__range / $__interval_ms',
      ),
      'rate(x{job=~".*", a=".*", b=~".*"}[5m]) / 5m * 5m / 300',
    );
  });

  it('reads selectors, range functions and result labels from the lezer tree', () => {
    const p = parsePromQL(
      'label_replace(sum by (job) (rate(x{a="1", __name__="y"}[5m] offset 1h)), "svc", "$1", "job", "(.*)") * on (job) group_left (team) z',
    );
    assert.equal(p.error, undefined);
    assert.deepEqual(p.selectors, [
      { metric: 'y', matchers: [{ label: 'a', op: '=', value: '1' }], rangeFunction: 'rate' },
      { metric: 'z', matchers: [] },
    ]);
    assert.deepEqual(p.resultLabels, ['job', 'svc', 'team']);
    assert.equal(parsePromQL('sum without (le) (x)').resultLabels, undefined);
    assert.equal(parsePromQL('').error, 'the expression is empty');
  });

  it('makes GitHub heading anchors', () => {
    assert.equal(headingSlug('Http5xxRatioHigh'), 'http5xxratiohigh');
    assert.equal(headingSlug('API p95 > 300ms: what_to do-now'), 'api-p95--300ms-what_to-do-now');
    assert.deepEqual([...headingAnchors('# A\n```\n# not\n```\n## A\nSetext\n---\n')], ['a', 'a-1', 'setext']);
  });
});
