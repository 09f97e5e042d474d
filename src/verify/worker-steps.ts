// The verify steps that run on a worker thread (in-worker.ts): pure functions of the project root.
import type { Finding } from '../kernel/findings.js';

export async function schemas(root: string): Promise<Finding[]> {
  return (await import('./schema-checks/index.js')).validateProjectSchemas(root);
}

/** `sites`: [alert name, where it is defined] pairs, so findings on runbooks name the source the user edits. */
export async function lint(root: string, sites: readonly [string, string][] = []): Promise<Finding[]> {
  const { lintProject, loadProject } = await import('../lint/index.js');
  return lintProject(await loadProject(root), undefined, new Map(sites));
}
