// `stressgate diff OLD NEW`: any two rule files, dashboards or Kubernetes manifests (other teams'
// too), told apart by their content, not their names. Every alert is judged (other teams' files
// have no `gate: release` label), with the same report, formats and exit codes as the ref mode.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { diffDashboards } from './dashboards.js';
import { unwrapDashboard } from './dashboard-model.js';
import { diffKubernetes } from './kubernetes.js';
import { parseFile, parseManifestFile } from './load.js';
import { buildReport } from './report.js';
import { diffRuleFiles } from './rules.js';
import type { DiffReport } from './types.js';
import { DiffInputError, isRecord } from './util.js';

export type FileKind = 'rules' | 'dashboard' | 'manifests';

const EMPTY_RULES = { added: [], removed: [], changed: [], groups: [] };
const EMPTY_DASHBOARDS = { added: [], removed: [], changed: [] };

/** What a file holds, from its content: a dashboard (JSON), manifests (`apiVersion` + `kind`), a rule file (`groups`). */
export function detectKind(path: string, text: string): { kind: FileKind; content: unknown } {
  if (/^\s*\{/.test(text)) {
    const doc = unwrapDashboard(parseFile(path, text, 'json'));
    if (isRecord(doc) && (Array.isArray(doc.panels) || Array.isArray(doc.rows)))
      return { kind: 'dashboard', content: doc };
    if (isRecord(doc) && Array.isArray(doc.groups)) return { kind: 'rules', content: doc };
    throw new DiffInputError(`${path}: JSON, but neither a Grafana dashboard ("panels" or "rows") nor a rule file`);
  }
  const docs = parseManifestFile(path, text);
  if (docs.length && docs.every((d) => isRecord(d) && typeof d.kind === 'string' && d.apiVersion !== undefined))
    return { kind: 'manifests', content: docs };
  if (docs.length === 1 && isRecord(docs[0]) && (Array.isArray(docs[0].groups) || docs[0].groups === null))
    return { kind: 'rules', content: docs[0] };
  if (!docs.length) return { kind: 'rules', content: null };
  throw new DiffInputError(
    `${path}: not a Prometheus rule file (a top-level "groups" list), Kubernetes manifests ("apiVersion" and "kind") or a Grafana dashboard`,
  );
}

async function read(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new DiffInputError(
      `${path}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
    );
  }
}

/**
 * Compares two files of the same kind (paths as given, read relative to `root`). Throws
 * DiffInputError on unreadable or mismatched files.
 */
export async function diffFiles(oldPath: string, newPath: string, root = process.cwd()): Promise<DiffReport> {
  const [a, b] = await Promise.all([read(resolve(root, oldPath)), read(resolve(root, newPath))]);
  const old = detectKind(oldPath, a);
  const now = detectKind(newPath, b);
  if (old.kind !== now.kind)
    throw new DiffInputError(`${oldPath} holds ${old.kind}, ${newPath} holds ${now.kind}: compare files of one kind`);
  // Both sides under one name, so the file's own name change is not reported as a move.
  const key = newPath;
  const base = { ref: oldPath };
  if (old.kind === 'rules')
    return buildReport({
      base,
      head: newPath,
      judgeAll: true,
      rules: diffRuleFiles({ [key]: old.content }, { [key]: now.content }, { judgeAll: true }),
      dashboards: EMPTY_DASHBOARDS,
    });
  if (old.kind === 'dashboard')
    return buildReport({
      base,
      head: newPath,
      judgeAll: true,
      rules: EMPTY_RULES,
      dashboards: diffDashboards({ [key]: old.content }, { [key]: now.content }),
    });
  return buildReport({
    base,
    head: newPath,
    judgeAll: true,
    rules: EMPTY_RULES,
    dashboards: EMPTY_DASHBOARDS,
    kubernetes: diffKubernetes(
      { [key]: old.content as unknown[] },
      { [key]: now.content as unknown[] },
      { judgeAll: true },
    ),
  });
}
