// Results of the steps that are pure functions of the project's files, this package's code and
// promtool, reused whole while none of them has changed. The key: the project's input files (generated
// config, runbooks, profiles, snapshots, the vendored schemas), byte for byte, the digest of every file
// the last clean type-check read (this package's sources, its tsconfigs and lock file), and the promtool
// binary. After any change the steps run, and those that can reuse finer results do so by their own
// content keys (rule-tests/, mutation/).
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { Finding } from '../kernel/findings.js';
import { promtoolIdentity } from './rule-tests/results.js';
import { CACHE_DIR, codeDigest, PACKAGE_ROOT } from './typecheck.js';

/** Project directories whose files the cached steps read. */
export const INPUT_DIRS = ['infra', 'docs', 'load/profiles', 'catalog'] as const;
const FILE = join(CACHE_DIR, 'verify-steps.json');
/** Results kept for this many keys (a few project roots, e.g. the tests' scratch copies). */
const KEEP = 8;

function addTree(hash: ReturnType<typeof createHash>, base: string, dir: string): void {
  let entries;
  try {
    entries = readdirSync(join(base, dir), { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) addTree(hash, base, rel);
    else if (e.isFile())
      hash
        .update(rel)
        .update('\0')
        .update(readFileSync(join(base, rel)))
        .update('\0');
  }
}

/** The cache key for a project root, or undefined while the code has no clean type-check to vouch for it. */
export function resultKey(root: string): string | undefined {
  const code = codeDigest();
  if (!code) return undefined;
  const hash = createHash('sha256')
    .update(code)
    .update(relative(PACKAGE_ROOT, root))
    .update('\0')
    .update(promtoolIdentity() ?? 'no promtool');
  for (const dir of INPUT_DIRS) addTree(hash, root, dir);
  addTree(hash, PACKAGE_ROOT, 'schemas');
  return hash.digest('hex');
}

export interface StoredStep {
  readonly findings: Finding[];
  readonly summary: string;
}

type Stored = Record<string, Record<string, StoredStep>>;

export async function loadResults(key: string): Promise<Record<string, StoredStep> | undefined> {
  const stored = JSON.parse(await readFile(FILE, 'utf8').catch(() => '{}')) as Stored;
  return stored[key];
}

export async function saveResults(key: string, results: Record<string, StoredStep>): Promise<void> {
  const stored = JSON.parse(await readFile(FILE, 'utf8').catch(() => '{}')) as Stored;
  const entries = Object.entries(stored)
    .filter(([k]) => k !== key)
    .slice(-(KEEP - 1));
  await mkdir(CACHE_DIR, { recursive: true });
  await writeFile(FILE, JSON.stringify(Object.fromEntries([...entries, [key, results]])));
}
