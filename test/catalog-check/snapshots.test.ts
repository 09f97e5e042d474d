// Offline catalog conformance: the committed snapshot of what the service exposes against the
// catalog, with no service running. A metric renamed in the catalog alone (every query and the
// reference app follow it) fails; so does a missing snapshot.
import assert from 'node:assert/strict';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { catalog, counter, metrics } from '../../src/catalog/index.js';
import { checkSnapshots, recordSnapshot, snapshotPath } from '../../src/catalog-check/snapshots.js';
import { projectCopy, ROOT, runCli } from '../helpers.js';

const SNAPSHOT = snapshotPath('api');

describe('catalog snapshots', () => {
  it('the committed snapshot conforms to the catalog', async () => {
    assert.deepEqual(await checkSnapshots(ROOT), []);
  });

  it('a metric renamed in the catalog but not in the service fails, naming the metric and the likely rename', async () => {
    const renamed = catalog.map((m) =>
      m === metrics.chatMessagesSent ? counter({ ...metrics.chatMessagesSent.spec, name: 'chat_messages_total' }) : m,
    );
    const findings = await checkSnapshots(ROOT, renamed);
    assert.deepEqual(
      findings.map((f) => [f.rule, f.file, f.object]),
      [
        ['catalog-missing', 'src/catalog/metrics.ts', 'metric chat_messages_total'],
        ['catalog-extra', 'src/catalog/metrics.ts', 'metric chat_messages_sent_total'],
      ],
    );
    assert.match(
      findings[0]!.message,
      /in the catalog but not exposed by the service \(catalog\/snapshots\/api\.prom\)/,
    );
    assert.match(findings[1]!.message, /possibly a rename of chat_messages_total/);
    assert.match(
      findings[0]!.fix,
      /re-record the snapshot \(make catalog-snapshot from the reference app, or make catalog-check METRICS_URL=.* WRITE=catalog\/snapshots\/api\.prom\)/,
    );
  });

  it('verify fails on a service that renamed a metric, and on a missing snapshot', async () => {
    const { dir, cleanup } = await projectCopy();
    try {
      const file = join(dir, SNAPSHOT);
      await writeFile(
        file,
        (await readFile(file, 'utf8')).replaceAll('chat_messages_sent_total', 'chat_messages_total'),
      );
      const renamed = await runCli(['verify', '--root', dir]);
      assert.equal(renamed.code, 1, renamed.stdout);
      assert.match(renamed.stdout, /^FAIL catalog vs committed service snapshots/m);
      assert.match(
        renamed.stdout,
        /src\/catalog\/metrics\.ts: metric chat_messages_sent_total: in the catalog but not exposed by the service/,
      );
      await rm(file);
      const missing = await runCli(['verify', '--root', dir]);
      assert.equal(missing.code, 1);
      assert.match(missing.stdout, /catalog\/snapshots\/api\.prom: service api: is missing/);
    } finally {
      await cleanup();
    }
  });

  it('records a family with an open label as one series, whatever traffic made, and leaves out uncatalogued runtime families', () => {
    const scrape = (requests: string[], gc: boolean) =>
      [
        '# TYPE http_requests_total counter',
        ...requests.map((labels, i) => `http_requests_total{${labels}} ${i + 1}`),
        '# TYPE auth_operations_total counter',
        'auth_operations_total{operation="login",outcome="success"} 3',
        ...(gc
          ? ['# TYPE nodejs_gc_duration_seconds histogram', 'nodejs_gc_duration_seconds_count{kind="minor"} 1']
          : []),
      ].join('\n');
    const quiet = recordSnapshot(scrape(['method="GET",route="/readyz",status="200"'], false), 'x');
    const busy = recordSnapshot(
      scrape(
        [
          'method="GET",route="/readyz",status="200"',
          'method="DELETE",route="/api/posts/:id",status="204"',
          'method="POST",route="/api/auth/login",status="401"',
        ],
        true,
      ),
      'x',
    );
    assert.equal(busy, quiet);
    assert.match(quiet, /^http_requests_total\{method="\*",route="\*",status="\*"\} 0$/m);
    assert.match(quiet, /^auth_operations_total\{operation="login",outcome="success"\} 0$/m, 'enum-only kept whole');
    assert.doesNotMatch(quiet, /nodejs_gc/);
  });

  it('the offline check still proves label names and enum values of a recorded snapshot', async () => {
    const { dir, cleanup } = await projectCopy();
    try {
      const file = join(dir, SNAPSHOT);
      const text = await readFile(file, 'utf8');
      await writeFile(
        file,
        text
          .replace(/^(http_requests_total\{method="\*",route="\*"),status="\*"\}/m, '$1}')
          .replace(
            'auth_operations_total{operation="login",outcome="success"}',
            'auth_operations_total{operation="login",outcome="ok"}',
          ),
      );
      assert.deepEqual(
        (await checkSnapshots(dir)).map((f) => `${f.rule} ${f.object}: ${f.message}`),
        [
          'catalog-labels metric http_requests_total: labels differ: missing status (catalog/snapshots/api.prom)',
          `catalog-label-value metric auth_operations_total: label outcome="ok" is outside the catalog's values (success, failure, throttled) (catalog/snapshots/api.prom)`,
        ].sort(),
      );
    } finally {
      await cleanup();
    }
  });

  it('records a scrape as a stable snapshot: sorted, de-duplicated, values zeroed, escapes kept', () => {
    const scrape = [
      '# HELP b_total B "things" with a \\\\ backslash.',
      '# TYPE b_total counter',
      'b_total{z="1",a="x\\"y"} 17',
      'b_total{a="x\\"y",z="1"} 18',
      '# TYPE a gauge',
      'a 3.5',
    ].join('\n');
    assert.equal(
      recordSnapshot(scrape, 'host:1/metrics'),
      [
        '# Exposition snapshot of host:1/metrics, recorded by `stressgate catalog-check --snapshot`. Values are zeroed;',
        '# a family with an open label (route, status) is one series with every label "*" (docs/catalog-snapshots.md).',
        '# TYPE a gauge',
        'a 0',
        '# HELP b_total B "things" with a \\\\ backslash.',
        '# TYPE b_total counter',
        'b_total{a="x\\"y",z="1"} 0',
        '',
      ].join('\n'),
    );
  });
});
