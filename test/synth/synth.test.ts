import assert from 'node:assert/strict';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { app } from '../../src/definitions.js';
import { FileClaims } from '../../src/synth/claims.js';
import { findDrift, synthesize, writeFileSet } from '../../src/synth/index.js';
import { projectCopy, ROOT, runCli } from '../helpers.js';
import { slos, thresholdEdit } from '../slo-values.js';

/** Every file under `dir` with its content and modification time: what a failed synth must not touch. */
async function snapshot(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(path, `${(await stat(path)).mtimeMs} ${await readFile(path, 'utf8')}`);
  }
  return files;
}

describe('synth', () => {
  it('is deterministic: two runs give the same bytes', async () => {
    const a = await synthesize(app);
    const b = await synthesize(app);
    assert.deepEqual([...a.keys()], [...b.keys()]);
    for (const [path, content] of a) assert.equal(b.get(path), content, path);
    for (const content of a.values()) assert.ok(content.endsWith('\n'), 'every file ends with a newline');
  });

  it('matches the committed files (no drift)', async () => {
    assert.deepEqual(await findDrift(ROOT, await synthesize(app)), []);
  });

  it('rewrites nothing when up to date, and removes stale generated files', async () => {
    const { dir, cleanup } = await projectCopy();
    try {
      await writeFile(join(dir, 'infra/grafana/provisioning/dashboards/old.json'), '{}\n');
      const { written, removed } = await writeFileSet(dir, await synthesize(app));
      assert.deepEqual(written, []);
      assert.deepEqual(removed, ['infra/grafana/provisioning/dashboards/old.json']);
    } finally {
      await cleanup();
    }
  });

  it('reports a hand-edited generated file as drift, naming it', async () => {
    const { dir, cleanup } = await projectCopy();
    try {
      const file = 'infra/prometheus/alerts.yml';
      const text = await readFile(join(dir, file), 'utf8');
      await writeFile(join(dir, file), text.replace(...thresholdEdit(slos.http5xxRatio, 10)));
      assert.deepEqual(await findDrift(dir, await synthesize(app)), [{ path: file, kind: 'changed' }]);
    } finally {
      await cleanup();
    }
  });

  it('refuses two constructs rendering one dashboard uid anywhere in the tree: exit 2, both paths named, nothing written or removed', async () => {
    const { dir, cleanup } = await projectCopy();
    try {
      const dashboards = join(dir, 'infra/grafana/provisioning/dashboards');
      const before = await readdir(dashboards);
      const overview = await readFile(join(dashboards, 'api-overview.json'), 'utf8');
      const result = await runCli([
        'synth',
        '--root',
        dir,
        '--app',
        join(ROOT, 'test/fixtures/apps/duplicate-dashboard.ts'),
      ]);
      assert.equal(result.code, 2, result.stderr);
      assert.match(
        result.stderr,
        /dup\/platform\/realtime-team\/api-overview: field "id": dashboard uid "api-overview" is also used by dup\/platform\/api-team\/api-overview/,
      );
      assert.match(result.stderr, /Nothing was written/);
      assert.deepEqual(await readdir(dashboards), before);
      assert.equal(await readFile(join(dashboards, 'api-overview.json'), 'utf8'), overview);
    } finally {
      await cleanup();
    }
  });

  it('validates the tree once and reports every mistake of every construct in one run, writing nothing', async () => {
    const { dir, cleanup } = await projectCopy();
    try {
      const before = await snapshot(join(dir, 'infra'));
      const result = await runCli([
        'synth',
        '--root',
        dir,
        '--app',
        join(ROOT, 'test/fixtures/apps/three-mistakes.ts'),
      ]);
      assert.equal(result.code, 2, result.stderr);
      const fixture = 'test/fixtures/apps/three-mistakes.ts';
      assert.equal(
        result.stderr,
        [
          'error: 3 definition errors:',
          `  ${fixture}:10 bad/platform/slow-rules: field "interval": got "5 minutes" — fix: write a Prometheus duration longer than 0, such as 30s, 5m, 1h`,
          `  ${fixture}:11 bad/platform/overview: field "tags": got [] — fix: give at least one tag`,
          `  ${fixture}:12 bad/platform/overview/r/up: field "width": got 30 — fix: give a width of 1 to 24 grid columns`,
          'Nothing was written.',
          '',
        ].join('\n'),
      );
      assert.equal(result.stdout, '');
      assert.deepEqual(await snapshot(join(dir, 'infra')), before);
    } finally {
      await cleanup();
    }
  });

  it('refuses two owners of one generated path, naming both', () => {
    const claims = new FileClaims();
    claims.add({ path: 'infra/x.json', content: '{}', owner: 'app/a/x' });
    assert.throws(
      () => claims.add({ path: 'infra/x.json', content: '{}', owner: 'app/b/x' }),
      /app\/b\/x: field "id": renders infra\/x\.json, which app\/a\/x renders too/,
    );
  });

  it('refuses a bad definition with a clear message and leaves the files untouched', async () => {
    const { dir, cleanup } = await projectCopy();
    try {
      const before = await readFile(join(dir, 'infra/prometheus/alerts.yml'), 'utf8');
      const result = await runCli(['synth', '--root', dir, '--app', join(ROOT, 'test/fixtures/apps/bad-alert.ts')]);
      assert.equal(result.code, 2);
      assert.match(
        result.stderr,
        /^error: 1 definition error:\n {2}test\/fixtures\/apps\/bad-alert\.ts:9 bad\/platform\/alerts\/Target_Down: field "name": got "Target_Down" — fix: name alerts in CamelCase/m,
      );
      assert.match(result.stderr, /Nothing was written/);
      assert.equal(await readFile(join(dir, 'infra/prometheus/alerts.yml'), 'utf8'), before);
    } finally {
      await cleanup();
    }
  });

  it('verify names the same source line but does not claim to have written nothing: it never writes', async () => {
    const result = await runCli(['verify', '--app', join(ROOT, 'test/fixtures/apps/bad-alert.ts')]);
    assert.equal(result.code, 2);
    assert.match(
      result.stderr,
      /^ {2}test\/fixtures\/apps\/bad-alert\.ts:9 bad\/platform\/alerts\/Target_Down: field "name"/m,
    );
    assert.doesNotMatch(result.stderr, /Nothing was written/);
  });
});
