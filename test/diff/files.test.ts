// `stressgate diff OLD NEW`: two files of any team, of one kind, told apart by content; the same
// formats and exit codes as the ref mode.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { runDiff, type DiffReport } from '../../src/diff/index.js';
import { FIXTURES, run } from './helpers.js';

const REAL = join(FIXTURES, 'real');
const CLI = resolve(import.meta.dirname, '../../src/cli.ts');

async function diff(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await runDiff(argv, { root: REAL, out: (s) => void (out += s), err: (s) => void (err += s) });
  return { code, out, err };
}

describe('diff OLD NEW', () => {
  it('two rule files: every alert judged; exit 1 on changes, --fail-on weaker on the weaker one', async () => {
    const r = await diff('samber-jenkins-base.yml', 'samber-jenkins-head.yml', '--format', 'json');
    assert.equal(r.code, 1);
    const report = JSON.parse(r.out) as DiffReport;
    assert.equal(report.judged, 'all alerts');
    assert.deepEqual(report.base, { ref: 'samber-jenkins-base.yml' });
    assert.equal(report.head, 'samber-jenkins-head.yml');
    assert.deepEqual(
      report.weaker.map((f) => f.name),
      ['JenkinsNodeOffline'],
    );
    assert.equal(report.rules.changed[0]?.base.file, 'samber-jenkins-head.yml', 'one name for both sides: no move');
    const weaker = await diff('samber-jenkins-base.yml', 'samber-jenkins-head.yml', '--fail-on', 'weaker');
    assert.equal(weaker.code, 1);
    assert.match(weaker.err, /^diff: FAILED: 1 alert got weaker: JenkinsNodeOffline \(--fail-on weaker\)\n$/);
    assert.match(weaker.out, /### ⚠ Weaker alerts/);
  });

  it('a rename only: nothing weaker, exit 0 with --fail-on weaker; the same file twice: no changes', async () => {
    const r = await diff(
      'samber-node-exporter-rename-base.yml',
      'samber-node-exporter-rename-head.yml',
      '--fail-on',
      'weaker',
    );
    assert.equal(r.code, 0);
    assert.match(r.err, /0 weaker alerts, 1 change to review/);
    const same = await diff('samber-node-exporter-column0.yml', 'samber-node-exporter-column0.yml');
    assert.equal(same.code, 0);
    assert.equal(same.err, 'diff: no changes\n');
  });

  it('two dashboards, and two manifest files, are told apart by content', async () => {
    const d = await diff('rfmoz-apache-rows-base.json', 'rfmoz-apache-rows-head.json', '--format', 'json');
    assert.equal(d.code, 1);
    assert.equal((JSON.parse(d.out) as DiffReport).dashboards.changed.length, 1);
    const k = await diff(
      'kube-prometheus-node-exporter-rule-base.yaml',
      'kube-prometheus-node-exporter-rule-head.yaml',
      '--fail-on',
      'weaker',
    );
    assert.equal(k.code, 1);
    assert.match(k.out, /threshold: `< 20` → `< 15` \*\*⚠ weaker\*\*/, 'the manifest rules are shown in detail');
  });

  it('files of two kinds, a missing file, --base with paths, one path: exit 2 naming the file', async () => {
    const mixed = await diff('samber-jenkins-base.yml', 'rfmoz-apache-rows-base.json');
    assert.equal(mixed.code, 2);
    assert.match(mixed.err, /samber-jenkins-base\.yml holds rules, rfmoz-apache-rows-base\.json holds dashboard/);
    const missing = await diff('samber-jenkins-base.yml', 'nope.yml');
    assert.equal(missing.code, 2);
    assert.match(missing.err, /nope\.yml: cannot read it \(ENOENT\)/);
    assert.equal((await diff('a.yml', 'b.yml', '--base', 'HEAD')).code, 2);
    assert.equal((await diff('a.yml')).code, 2);
  });

  it('a file that is neither: exit 2 from the real CLI, the message without a stack trace', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'stressgate-diff-files-'));
    try {
      await writeFile(join(dir, 'a.yml'), 'scrape_configs: []\n');
      await writeFile(join(dir, 'b.yml'), 'scrape_configs: []\n');
      const err = await run('npx', ['tsx', CLI, 'diff', join(dir, 'a.yml'), join(dir, 'b.yml')]).then(
        () => assert.fail('exit 0'),
        (e: { code: number; stderr: string }) => e,
      );
      assert.equal(err.code, 2);
      assert.match(err.stderr, /a\.yml: not a Prometheus rule file/);
      assert.ok(!err.stderr.includes('    at '), err.stderr);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
