// The foreign-file lint: each of pint's offline checks fails on the mistake it exists to catch and
// passes its fixed form; the real public files of test/fixtures/diff/real/ get what they deserve.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { lintForeign, runForeignLint, type ForeignRule } from '../../src/foreign-lint/index.js';
import { run } from '../diff/helpers.js';

const REAL = resolve(import.meta.dirname, '../fixtures/diff/real');
const CLI = resolve(import.meta.dirname, '../../src/cli.ts');

const alert = (expr: string, extra: Partial<ForeignRule> = {}): ForeignRule => ({
  file: 'team.yml',
  group: 'g',
  kind: 'alert',
  name: 'A',
  expr,
  labels: {},
  annotations: {},
  ...extra,
});
/** `check id: message` of each finding on these rules. */
const lint = (rules: ForeignRule[], scrapeInterval = 60) =>
  lintForeign({ rules, scrapeInterval }).map((f) => `${f.rule} ${f.severity}: ${f.message}`);
const ids = (rules: ForeignRule[], scrapeInterval = 60) => lintForeign({ rules, scrapeInterval }).map((f) => f.rule);

describe('lint --foreign: the checks', () => {
  it('promql/fragile: topk() in an alert, and aggregation / aggregation without for', () => {
    assert.deepEqual(ids([alert('topk(10, rate(http_requests_total[5m]) > 0)')]), ['promql/fragile']);
    assert.deepEqual(ids([alert('topk by (namespace, pod) (1, kube_pod_owner{owner_kind!="Job"}) > 0')]), []);
    assert.deepEqual(
      ids([alert('sum(rate(errors_total{job="a"}[5m])) / sum(rate(requests_total{job="b"}[5m])) > 0.1')]),
      ['promql/fragile'],
    );
    assert.deepEqual(
      ids([
        alert('sum(rate(errors_total{job="a"}[5m])) / sum(rate(requests_total{job="b"}[5m])) > 0.1', { for: '2m' }),
      ]),
      [],
    );
  });

  it('alerts/template: $labels.instance after sum by (job)', () => {
    const summary = { summary: 'errors high on {{ $labels.instance }} of {{ $labels.job }}' };
    assert.deepEqual(lint([alert('sum by (job) (rate(errors_total[5m])) > 1', { annotations: summary })]), [
      "alerts/template error: annotation summary reads $labels.instance, but the expression's result has only job: it renders empty",
    ]);
    assert.deepEqual(ids([alert('sum by (job, instance) (rate(errors_total[5m])) > 1', { annotations: summary })]), []);
    assert.deepEqual(
      ids([alert('rate(errors_total[5m]) > 1', { annotations: summary })]),
      [],
      'a selector keeps every label',
    );
  });

  it('promql/impossible: labels removed, and constant comparisons that never hold', () => {
    assert.deepEqual(ids([alert('foo{job="bar"} unless sum(foo)')]), ['promql/impossible']);
    assert.deepEqual(ids([alert('group by (cluster) (sum(errors_total))')]), ['promql/impossible']);
    assert.deepEqual(ids([alert('sum(foo) / on (cluster) count(bar)', { for: '5m' })]), [
      'promql/impossible',
      'promql/impossible',
    ]);
    assert.deepEqual(ids([alert('vector(1) > 2')]), ['promql/impossible']);
    assert.deepEqual(ids([alert('absent(up{job="api"}) > 1')]), ['promql/impossible']);
    assert.deepEqual(ids([alert('count(up{job="api"} == 1) == 0')]), ['promql/impossible']);
    for (const fine of [
      'foo{job="bar"} unless on (job) sum by (job) (foo)',
      'absent(up{job="api"} == 1)',
      'count(up{job="api"} == 1) < 2',
      'sum by (cluster) (errors_total) / on (cluster) sum by (cluster) (requests_total) > 0.1',
      // time() is a scalar: the result keeps the selector's labels (samber's Mimir alerts)
      '(time() - last_sync_timestamp_seconds{component="store-gateway"} > 1800) and last_sync_timestamp_seconds{component="store-gateway"} > 0',
      'min by (user, job) (time() - last_update_timestamp_seconds)',
      // group_left(node) brings node to the left side (kube-prometheus KubeletTooManyPods)
      '(max by (cluster, instance) (kubelet_running_pods > 1) * on (cluster, instance) group_left (node) max by (cluster, instance, node) (kubelet_node_name)) / on (cluster, node) group_left () max by (cluster, node) (kube_node_status_capacity{resource="pods"} != 1) > 0.95',
    ])
      assert.deepEqual(ids([alert(fine, { for: '5m' })]), [], fine);
  });

  it('promql/nan: a division inside sum() with an unguarded divisor', () => {
    assert.deepEqual(ids([{ ...alert('sum by (cluster) (errors / total)'), kind: 'record' }]), ['promql/nan']);
    for (const fine of [
      'sum by (cluster) (errors) / sum by (cluster) (total)',
      'sum by (cluster) (errors / (total > 0))',
      'sum by (cluster) (errors / clamp_min(total, 1))',
      'sum by (cluster) (errors / 60)',
    ])
      assert.deepEqual(ids([{ ...alert(fine), kind: 'record' }]), [], fine);
  });

  it('promql/regexp: a regexp without special characters, and redundant anchors', () => {
    assert.deepEqual(lint([alert('up{job=~"api"} == 0')]), [
      'promql/regexp warning: up{job=~"api"}: the regexp has no special characters, so it matches one value only',
    ]);
    assert.deepEqual(ids([alert('up{job=~"^api-.*$"} == 0')]), ['promql/regexp']);
    assert.deepEqual(ids([alert('up{job=~"api|web"} == 0'), alert('up{path=~"/a\\\\$"} == 0')]), []);
  });

  it('rule/dependency: a recorded series nobody records, and one recorded in another group', () => {
    const record = (name: string, expr: string, group = 'g'): ForeignRule => ({
      ...alert(expr),
      kind: 'record',
      name,
      group,
    });
    assert.deepEqual(ids([alert('job:errors:rate5m > 1')]), ['rule/dependency']);
    assert.deepEqual(
      ids([record('job:errors:rate5m', 'sum by (job) (rate(errors_total[5m]))'), alert('job:errors:rate5m > 1')]),
      [],
    );
    assert.deepEqual(
      ids([
        record('job:errors:rate5m', 'sum by (job) (rate(errors_total[5m]))', 'a'),
        record('job:errors:ratio', 'job:errors:rate5m / 2', 'b'),
      ]),
      ['rule/dependency'],
    );
  });

  it('promql/rate: a window under 2 scrape intervals is an error, under 4 a warning', () => {
    assert.deepEqual(ids([alert('rate(http_requests_total[1m]) > 1')]), ['promql/rate']);
    assert.equal(lintForeign({ rules: [alert('rate(x_total[1m]) > 1')], scrapeInterval: 60 })[0]?.severity, 'error');
    assert.equal(lintForeign({ rules: [alert('rate(x_total[2m]) > 1')], scrapeInterval: 60 })[0]?.severity, 'warning');
    assert.deepEqual(ids([alert('rate(http_requests_total[1m]) > 1')], 15), [], 'scraped every 15s: 4 samples');
    assert.deepEqual(ids([alert('irate(http_requests_total[2m]) > 1')]), [], 'irate needs two samples only');
  });
});

describe('lint --foreign: real files and the command', () => {
  it('samber and kube-prometheus files: the redundant anchors and the 2m windows, nothing else', async () => {
    const lines: string[] = [];
    const code = await runForeignLint(
      [
        '--foreign',
        join(REAL, 'samber-node-exporter-rename-head.yml'),
        join(REAL, 'kube-prometheus-node-exporter-rule-head.yaml'),
      ],
      (s) => void lines.push(s),
    );
    assert.equal(code, 0, 'warnings only');
    const found = lines
      .filter((l) => / \[[a-z]+\/[a-z]+\]$/.test(l.split('\n')[0]!))
      .map((l) => l.split('\n')[0]!.replace(/^.*\[(.*)\]$/, '$1'));
    assert.deepEqual(found, ['promql/regexp', 'promql/rate', 'promql/rate', 'promql/rate', 'promql/rate']);
    assert.match(lines.join('\n'), /HostOutOfDiskSpace .*fstype!~"\^\(fuse\.\*\|tmpfs\|cifs\|nfs\)"/);
    assert.match(lines.at(-1)!, /^lint --foreign: \d+ rules in 2 files, 0 errors, 5 warnings$/);
  });

  it('the CLI: exit 1 on an error, 2 on a file that does not parse, naming it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'stressgate-foreign-lint-'));
    try {
      const bad = join(dir, 'bad.yml');
      await writeFile(
        bad,
        'groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: rate(x_total[30s]) > 1\n',
      );
      const one = await run('npx', ['tsx', CLI, 'lint', '--foreign', bad]).catch(
        (e: { code: number; stdout: string }) => e,
      );
      assert.equal((one as { code: number }).code, 1);
      assert.match((one as { stdout: string }).stdout, /bad\.yml: alert A \(group g\): rate\(x_total\[30s\]\)/);
      const broken = join(dir, 'broken.yml');
      await writeFile(broken, "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: 'up == 0\n");
      const two = await run('npx', ['tsx', CLI, 'lint', '--foreign', broken]).catch(
        (e: { code: number; stderr: string }) => e,
      );
      assert.equal((two as { code: number }).code, 2);
      assert.match((two as { stderr: string }).stderr, /broken\.yml: not valid YAML/);
      assert.ok(!(two as { stderr: string }).stderr.includes('    at '));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
