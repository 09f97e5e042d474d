// Shared by the diff tests: the fixture pairs, a scratch git repository holding the base pair, a
// re-synthesised project copy (a real before/after generated tree), and reading one Markdown section.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { projectCopy, ROOT } from '../helpers.js';

export const FIXTURES = resolve(import.meta.dirname, '../fixtures/diff');
export const ALERTS = 'infra/prometheus/alerts.yml';
export const DASH = 'infra/grafana/provisioning/dashboards/api-overview.json';

/** The Markdown section under a `### heading`, up to the next heading. */
export function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(`### ${heading}`);
  assert.ok(start >= 0, `no "### ${heading}" section in:\n${markdown}`);
  const next = markdown.indexOf('\n### ', start + 4);
  return markdown.slice(start, next < 0 ? undefined : next);
}

export const run = promisify(execFile);
const git = (cwd: string, ...args: string[]) =>
  run('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false', ...args], {
    cwd,
  });

/** A git repository whose one commit holds the base rule file and dashboard. */
export async function gitRepo(): Promise<{ root: string; cleanup: () => Promise<void> }> {
  const root = await mkdtemp(join(tmpdir(), 'stressgate-diff-'));
  await git(root, 'init', '-q');
  await mkdir(join(root, 'infra/prometheus'), { recursive: true });
  await mkdir(join(root, 'infra/grafana/provisioning/dashboards'), { recursive: true });
  await writeFile(join(root, ALERTS), await readFile(join(FIXTURES, 'rules-base.yml')));
  await writeFile(join(root, DASH), await readFile(join(FIXTURES, 'dashboard-base.json')));
  await git(root, 'add', '-A');
  await git(root, 'commit', '-q', '-m', 'base');
  return { root, cleanup: () => rm(root, { recursive: true, force: true }) };
}

/**
 * A scratch copy of the project as a git repository whose one commit holds today's generated files:
 * `edit` changes the definitions (src/, load/profiles/) and the copy's own synth regenerates infra/,
 * so the working tree against HEAD is a real before/after generated tree.
 */
export async function resynthesized(
  edit: (dir: string) => Promise<void>,
): Promise<{ root: string; cleanup: () => Promise<void> }> {
  const { dir, cleanup } = await projectCopy();
  try {
    for (const part of ['src', 'load', 'package.json', 'tsconfig.json'])
      await cp(join(ROOT, part), join(dir, part), { recursive: true });
    await symlink(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
    await git(dir, 'init', '-q');
    await git(dir, 'add', '-A');
    await git(dir, 'commit', '-q', '-m', 'base');
    await edit(dir);
    await run(process.execPath, ['--import', 'tsx', join(dir, 'src/cli.ts'), 'synth', '--root', dir], { cwd: dir });
    return { root: dir, cleanup };
  } catch (err) {
    await cleanup();
    throw err;
  }
}

/** Replaces `old` (which must occur exactly once) in a file of the copy. */
export async function replaceOnce(file: string, old: string, now: string): Promise<void> {
  const text = await readFile(file, 'utf8');
  assert.equal(text.split(old).length, 2, `${file} holds "${old}" once`);
  await writeFile(file, text.replace(old, now));
}
