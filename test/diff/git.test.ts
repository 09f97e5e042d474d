// runDiff and `make alerts-diff` on real git repositories: refs, exit codes, --fail-on.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runDiff, type DiffReport } from '../../src/diff/index.js';
import { ALERTS, DASH, FIXTURES, gitRepo, run, section } from './helpers.js';
import { ROOT } from '../helpers.js';

async function capture(argv: string[], root: string) {
  let out = '';
  let err = '';
  const code = await runDiff(argv, { root, out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

describe('diff: runDiff on a git repository', () => {
  it('exit 1 and Markdown for a raised threshold and a changed query in the working tree', async () => {
    const { root, cleanup } = await gitRepo();
    try {
      await writeFile(join(root, ALERTS), await readFile(join(FIXTURES, 'rules-threshold-raised.yml')));
      await writeFile(join(root, DASH), await readFile(join(FIXTURES, 'dashboard-query-changed.json')));
      const { code, out, err } = await capture(['--base', 'HEAD'], root);
      assert.equal(
        err,
        'diff: changes found (1 weaker gate alert, 0 gate changes to review); exit 1 (--fail-on changes)\n',
      );
      assert.equal(code, 1);
      assert.match(out, /^## Alert and dashboard changes: `HEAD` \([0-9a-f]{7}\) → working tree\n/);
      assert.match(
        section(out, '⚠ Weaker gate alerts'),
        /- \*\*Http5xxRatioHigh\*\*: threshold > 0\.005 → > 0\.05 \(fires later\)/,
      );
      assert.ok(section(out, 'Alerts').includes('threshold: `> 0.005` → `> 0.05` **⚠ weaker**'));
      assert.ok(section(out, 'Dashboards').includes('panel **Request rate by status** (id 3, timeseries)'));

      const json = await capture(['--base', 'HEAD', '--format', 'json'], root);
      assert.equal(json.code, 1);
      const report = JSON.parse(json.out) as DiffReport;
      assert.equal(report.changed, true);
      assert.equal(report.base.ref, 'HEAD');
      assert.deepEqual(
        report.weaker.map((f) => f.name),
        ['Http5xxRatioHigh'],
      );
      assert.equal(report.dashboards.changed[0]?.panelsChanged[0]?.queries[0]?.refId, 'A');
    } finally {
      await cleanup();
    }
  });

  it('exit 0 and "no changes" when the working tree matches the base; base defaults to HEAD without origin/main', async () => {
    const { root, cleanup } = await gitRepo();
    try {
      const { code, out } = await capture([], root);
      assert.equal(code, 0);
      assert.match(out, /^no changes .*`HEAD`/);
    } finally {
      await cleanup();
    }
  });

  it('a file deleted in the working tree: its alerts are removed', async () => {
    const { root, cleanup } = await gitRepo();
    try {
      await rm(join(root, ALERTS));
      const { code, out } = await capture(['--root', root, '--base', 'HEAD', '--format', 'json'], '/nonexistent');
      assert.equal(code, 1);
      const report = JSON.parse(out) as DiffReport;
      assert.deepEqual(
        report.weaker.map((f) => f.name),
        ['Http5xxRatioHigh', 'ApiLatencyP95High', 'TargetDown'],
      );
    } finally {
      await cleanup();
    }
  });

  it('exit 2 with a clear message: unknown ref, bad format, not a repository', async () => {
    const { root, cleanup } = await gitRepo();
    try {
      const unknown = await capture(['--base', 'no-such-branch'], root);
      assert.equal(unknown.code, 2);
      assert.match(unknown.err, /unknown git ref "no-such-branch"/);
      assert.equal(unknown.out, '');
      const format = await capture(['--format', 'xml'], root);
      assert.equal(format.code, 2);
      assert.match(format.err, /--format must be markdown or json/);
      const option = await capture(['--nope'], root);
      assert.equal(option.code, 2);
      const notRepo = await mkdtemp(join(tmpdir(), 'stressgate-norepo-'));
      try {
        const r = await capture(['--base', 'HEAD'], notRepo);
        assert.equal(r.code, 2);
        assert.match(r.err, /not inside a git repository/);
      } finally {
        await rm(notRepo, { recursive: true, force: true });
      }
    } finally {
      await cleanup();
    }
  });
});

describe('diff: --fail-on tells changes from failure', () => {
  it('never: exit 0 with changes, and stderr says so', async () => {
    const { root, cleanup } = await gitRepo();
    try {
      await writeFile(join(root, ALERTS), await readFile(join(FIXTURES, 'rules-threshold-raised.yml')));
      const r = await capture(['--base', 'HEAD', '--fail-on', 'never'], root);
      assert.equal(r.code, 0);
      assert.match(r.out, /Weaker gate alerts/);
      assert.equal(
        r.err,
        'diff: changes found (1 weaker gate alert, 0 gate changes to review); not a failure (--fail-on never)\n',
      );
    } finally {
      await cleanup();
    }
  });

  it('weaker: exit 1 on a weaker gate alert, exit 0 on a change that weakens nothing', async () => {
    const { root, cleanup } = await gitRepo();
    try {
      await writeFile(join(root, DASH), await readFile(join(FIXTURES, 'dashboard-query-changed.json')));
      const dashboardOnly = await capture(['--base', 'HEAD', '--fail-on', 'weaker'], root);
      assert.equal(dashboardOnly.code, 0);
      assert.match(
        dashboardOnly.err,
        /^diff: changes found \(0 weaker gate alerts, 0 gate changes to review\); not a failure \(--fail-on weaker\)$/m,
      );
      await writeFile(join(root, ALERTS), await readFile(join(FIXTURES, 'rules-threshold-raised.yml')));
      const weaker = await capture(['--base', 'HEAD', '--fail-on', 'weaker'], root);
      assert.equal(weaker.code, 1);
      assert.equal(weaker.err, 'diff: FAILED: 1 gate alert got weaker: Http5xxRatioHigh (--fail-on weaker)\n');
      const bad = await capture(['--fail-on', 'sometimes'], root);
      assert.equal(bad.code, 2);
      assert.match(bad.err, /--fail-on must be changes, weaker, never, not "sometimes"/);
    } finally {
      await cleanup();
    }
  });

  it('make alerts-diff: exit 0 on changes (the last line says so), non-zero on an error or with FAIL_ON_WEAKER=1 on weaker', async () => {
    const { root, cleanup } = await gitRepo();
    try {
      // The repository's own Makefile and CLI, run in the scratch repository (links stay untracked).
      for (const part of ['Makefile', 'mk', 'src', 'node_modules', 'package.json', 'package-lock.json'])
        await symlink(join(ROOT, part), join(root, part));
      await writeFile(join(root, ALERTS), await readFile(join(FIXTURES, 'rules-threshold-raised.yml')));
      const make = async (...vars: string[]) => {
        try {
          const { stdout, stderr } = await run(
            'make',
            ['-s', '--no-print-directory', '-o', 'node_modules/.package-lock.json', 'alerts-diff', ...vars],
            { cwd: root },
          );
          return { code: 0, stdout, stderr };
        } catch (e) {
          const x = e as { code: number; stdout: string; stderr: string };
          return { code: x.code, stdout: x.stdout, stderr: x.stderr };
        }
      };
      const changes = await make('BASE=HEAD');
      assert.equal(changes.code, 0, changes.stderr);
      assert.match(changes.stdout, /^## Alert and dashboard changes: `HEAD`/);
      assert.match(
        changes.stderr,
        /^diff: changes found \(1 weaker gate alert, 0 gate changes to review\); not a failure \(--fail-on never\)$/m,
      );
      const strict = await make('BASE=HEAD', 'FAIL_ON_WEAKER=1');
      assert.notEqual(strict.code, 0);
      assert.match(strict.stderr, /^diff: FAILED: 1 gate alert got weaker: Http5xxRatioHigh/m);
      const broken = await make('BASE=no-such-ref');
      assert.notEqual(broken.code, 0);
      assert.match(broken.stderr, /unknown git ref "no-such-ref"/);
      // Without BASE, make passes no --base and the CLI's default applies (HEAD here: no origin/main).
      const defaultBase = await make();
      assert.equal(defaultBase.code, 0, defaultBase.stderr);
      assert.match(defaultBase.stdout, /^## Alert and dashboard changes: `HEAD`/);
    } finally {
      await cleanup();
    }
  });
});
