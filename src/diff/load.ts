// Reading the generated files: at a git ref (`git ls-tree` / `git show`, no checkout) and in the
// working tree. Only the generated rule files, dashboards, manifests and the OpenSLO export are read.
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { promisify } from 'node:util';
import { DASHBOARD_DIR } from '../synth/grafana.js';
import { RULE_DIR, RULE_FILES } from '../synth/prometheus-rules.js';
import type { DashboardSet } from './dashboards.js';
import type { ManifestSet } from './kubernetes.js';
import type { RuleFileSet } from './rules.js';
import { DiffInputError } from './util.js';
import { parseYamlDocuments, parseYamlText } from './yaml-text.js';

/** The rule files the diff compares (not the promtool tests: they follow the alerts). */
export const DIFF_RULE_FILES: readonly string[] = [
  RULE_FILES.recording,
  RULE_FILES.alerts,
  `${RULE_DIR}/slo-burn-rate.yml`,
  `${RULE_DIR}/slo-burn-rate-alerts.yml`,
];
export const DIFF_DASHBOARD_DIR: string = DASHBOARD_DIR;
/** Kubernetes manifests: every `.yaml`/`.yml` below this folder. */
export const DIFF_KUBERNETES_DIR = 'infra/kubernetes';
/** The OpenSLO export (OPENSLO_FILE of src/openslo/export.ts): the SLOs' objectives and gate settings as data. */
export const DIFF_OPENSLO_FILE = 'infra/openslo/slos.yaml';
const isManifest = (p: string) => p.startsWith(`${DIFF_KUBERNETES_DIR}/`) && /\.ya?ml$/.test(p);

/** git is missing, the root is not a repository, or the ref does not exist; exit code 2. */
export class GitError extends Error {
  override readonly name = 'GitError';
}

export interface LoadedFiles {
  readonly rules: RuleFileSet;
  readonly dashboards: DashboardSet;
  readonly kubernetes: ManifestSet;
  /** The OpenSLO export's documents; absent when there is no such file. */
  readonly openslo?: readonly unknown[];
}

const run = promisify(execFile);

async function git(root: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await run('git', args, { cwd: root, maxBuffer: 256 << 20, encoding: 'utf8' });
    return stdout;
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT') throw new GitError('git is not installed (or not on PATH)');
    throw new GitError(`git ${args.join(' ')}: ${(e.stderr ?? e.message).trim()}`);
  }
}

async function isRepository(root: string): Promise<boolean> {
  try {
    return (await git(root, ['rev-parse', '--is-inside-work-tree'])).trim() === 'true';
  } catch (err) {
    if (err instanceof GitError && /not installed/.test(err.message)) throw err;
    return false;
  }
}

async function commitOf(root: string, ref: string): Promise<string | undefined> {
  try {
    return (
      (await git(root, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`])).trim() || undefined
    );
  } catch {
    return undefined;
  }
}

export const DEFAULT_BASE = 'origin/main';

/**
 * The base commit. Without `ref`, `origin/main`, or `HEAD` when there is no `origin/main` (a clone
 * without that remote branch: the diff is then of the uncommitted changes).
 */
export async function resolveBase(root: string, ref?: string): Promise<{ ref: string; commit: string }> {
  if (!(await isRepository(root)))
    throw new GitError(`${root} is not inside a git repository (the diff reads the base with git)`);
  if (ref !== undefined) {
    if (ref === '' || ref.startsWith('-')) throw new GitError(`--base: "${ref}" is not a git ref`);
    const commit = await commitOf(root, ref);
    if (!commit)
      throw new GitError(`unknown git ref "${ref}": no such branch, tag or commit (try \`git fetch\`, or --base HEAD)`);
    return { ref, commit };
  }
  for (const candidate of [DEFAULT_BASE, 'HEAD']) {
    const commit = await commitOf(root, candidate);
    if (commit) return { ref: candidate, commit };
  }
  throw new GitError(`neither ${DEFAULT_BASE} nor HEAD exists (a repository without commits?): pass --base REF`);
}

/** Every document of a (possibly multi-document) manifest file. */
export function parseManifestFile(where: string, text: string): unknown[] {
  try {
    return parseYamlDocuments(text).filter((d) => d !== null && d !== undefined);
  } catch (err) {
    throw new DiffInputError(`${where}: not valid YAML: ${(err as Error).message}`);
  }
}

export function parseFile(where: string, text: string, kind: 'yaml' | 'json'): unknown {
  try {
    return kind === 'json' ? (JSON.parse(text) as unknown) : parseYamlText(text);
  } catch (err) {
    throw new DiffInputError(`${where}: not valid ${kind.toUpperCase()}: ${(err as Error).message.split('\n')[0]}`);
  }
}

/** The generated files at a commit, read with git (paths relative to `root`). */
export async function loadFromGit(root: string, commit: string): Promise<LoadedFiles> {
  // ls-tree prints paths relative to the current directory, as we ask for them.
  const listed = new Set(
    (
      await git(root, [
        'ls-tree',
        '-r',
        '--name-only',
        commit,
        '--',
        ...DIFF_RULE_FILES,
        DIFF_DASHBOARD_DIR,
        DIFF_KUBERNETES_DIR,
        DIFF_OPENSLO_FILE,
      ])
    )
      .split('\n')
      .filter(Boolean),
  );
  const show = (path: string) => git(root, ['show', `${commit}:./${path}`]);
  const rules: Record<string, unknown> = {};
  for (const path of DIFF_RULE_FILES) {
    rules[path] = listed.has(path) ? parseFile(`${commit.slice(0, 12)}:${path}`, await show(path), 'yaml') : undefined;
  }
  const dashboards: Record<string, unknown> = {};
  const inDir = (p: string) =>
    p.startsWith(`${DIFF_DASHBOARD_DIR}/`) && !p.slice(DIFF_DASHBOARD_DIR.length + 1).includes('/');
  for (const path of [...listed].filter((p) => inDir(p) && p.endsWith('.json')).sort()) {
    dashboards[path] = parseFile(`${commit.slice(0, 12)}:${path}`, await show(path), 'json');
  }
  const kubernetes: Record<string, unknown[]> = {};
  for (const path of [...listed].filter(isManifest).sort())
    kubernetes[path] = parseManifestFile(`${commit.slice(0, 12)}:${path}`, await show(path));
  const openslo = listed.has(DIFF_OPENSLO_FILE)
    ? parseManifestFile(`${commit.slice(0, 12)}:${DIFF_OPENSLO_FILE}`, await show(DIFF_OPENSLO_FILE))
    : undefined;
  return { rules, dashboards, kubernetes, ...(openslo ? { openslo } : {}) };
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** The generated files as they are on disk under `root`. */
export async function loadFromWorkingTree(root: string): Promise<LoadedFiles> {
  const rules: Record<string, unknown> = {};
  for (const path of DIFF_RULE_FILES) {
    const text = await readIfExists(join(root, path));
    rules[path] = text === undefined ? undefined : parseFile(path, text, 'yaml');
  }
  const dashboards: Record<string, unknown> = {};
  let names: string[] = [];
  try {
    names = await readdir(join(root, DIFF_DASHBOARD_DIR));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  for (const name of names.filter((n) => n.endsWith('.json')).sort()) {
    const path = `${DIFF_DASHBOARD_DIR}/${name}`;
    const text = await readIfExists(join(root, path));
    if (text !== undefined) dashboards[path] = parseFile(path, text, 'json');
  }
  const kubernetes: Record<string, unknown[]> = {};
  const entries = await readdir(join(root, DIFF_KUBERNETES_DIR), { recursive: true, withFileTypes: true }).catch(
    () => [],
  );
  const manifests = entries
    .filter((e) => e.isFile())
    .map((e) => relative(root, join(e.parentPath, e.name)).split(sep).join('/'));
  for (const path of manifests.filter(isManifest).sort())
    kubernetes[path] = parseManifestFile(path, await readFile(join(root, path), 'utf8'));
  const text = await readIfExists(join(root, DIFF_OPENSLO_FILE));
  const openslo = text === undefined ? undefined : parseManifestFile(DIFF_OPENSLO_FILE, text);
  return { rules, dashboards, kubernetes, ...(openslo ? { openslo } : {}) };
}
