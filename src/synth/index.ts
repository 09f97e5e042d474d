// Synthesis: the construct tree in, a complete set of generated files out. Everything is rendered
// in memory first, so a definition that fails leaves every file on disk as it was.
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { validateTree, type Construct } from '../constructs/construct.js';
import { renderAlertmanager } from './alertmanager.js';
import { FileClaims } from './claims.js';
import { renderDashboards, renderGrafanaProvisioning } from './grafana.js';
import { KUBERNETES_DIRS, renderKubernetes } from './kubernetes.js';
import { renderLoadSchema } from './load-schema.js';
import { renderPrometheusConfig } from './prometheus-config.js';
import { renderRuleFiles } from './prometheus-rules.js';
import { renderOpenSloFiles } from '../openslo/export.js';
import { fillBlocks } from './runbook-blocks.js';
import { runbookFacts } from './runbook-facts.js';
import { fillLinks, grafanaUrls, linkDefinitions } from './runbook-links.js';
import type { GrafanaUrls } from '../platform.js';

/** Generated files by project-relative path, sorted by path. */
export type FileSet = ReadonlyMap<string, string>;

/**
 * Validates the tree once, then renders it. Throws DefinitionErrors listing every problem of every
 * construct (two dashboards with one uid among them), or a DefinitionError naming both constructs
 * when two claim one file, before anything is written. Async because the k6 script for infra/kubernetes/ is bundled
 * with esbuild. Given `projectRoot`, the set also holds each runbook with its generated facts blocks
 * and its dashboard links on `grafana` (default: the setting, overridden by the environment, grafanaUrls())
 * (the rest of the runbook as it is on disk there).
 */
export async function synthesize(
  root: Construct,
  opts: { projectRoot?: string; grafana?: GrafanaUrls } = {},
): Promise<FileSet> {
  validateTree(root);
  const claims = new FileClaims();
  claims.addAll('src/synth/prometheus-config.ts', renderPrometheusConfig(root));
  claims.addAll('the rule groups (src/synth/prometheus-rules.ts)', renderRuleFiles(root));
  claims.addAll('the alert routing (src/alerts/routing.ts)', renderAlertmanager(root));
  for (const file of renderDashboards(root)) claims.add(file);
  claims.addAll('src/synth/grafana.ts', renderGrafanaProvisioning());
  claims.addAll('src/synth/load-schema.ts', renderLoadSchema());
  claims.addAll('the SLOs as OpenSLO (src/openslo/export.ts)', renderOpenSloFiles(root));
  claims.addAll('the cluster settings (src/cluster/index.ts)', await renderKubernetes(root));
  if (opts.projectRoot !== undefined)
    claims.addAll(
      'src/synth/runbook-facts.ts',
      await renderRunbooks(root, opts.projectRoot, opts.grafana ?? grafanaUrls()),
    );
  return claims.toMap();
}

/** The runbooks with their facts blocks and dashboard links filled in; a runbook not on disk is the lint's finding (runbook-section). */
async function renderRunbooks(
  root: Construct,
  projectRoot: string,
  grafana: GrafanaUrls,
): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const links = linkDefinitions(root, grafana);
  for (const [path, blocks] of runbookFacts(root)) {
    const text = await readFile(join(projectRoot, path), 'utf8').catch(() => undefined);
    if (text !== undefined) files.set(path, fillLinks(path, fillBlocks(path, text, blocks), links));
  }
  return files;
}

/** Directories whose `.json`/`.yml` files synth owns: anything there that synth no longer writes is stale. */
const OWNED_DIRS = [
  'infra/alertmanager',
  'infra/prometheus',
  'infra/prometheus/tests',
  'infra/grafana/provisioning/dashboards',
  'infra/grafana/provisioning/datasources',
  'infra/openslo',
  ...Object.values(KUBERNETES_DIRS),
];

async function ownedFiles(projectRoot: string): Promise<string[]> {
  const found: string[] = [];
  for (const dir of OWNED_DIRS) {
    const entries = await readdir(join(projectRoot, dir), { withFileTypes: true }).catch(() => []);
    for (const e of entries) if (e.isFile() && /\.(json|ya?ml)$/.test(e.name)) found.push(`${dir}/${e.name}`);
  }
  return found.sort();
}

/**
 * Writes each file via a temporary sibling and rename, so readers never see half a file. Only files
 * no construct claims are removed: `files` comes from `synthesize`, where every path has one owner.
 */
export async function writeFileSet(
  projectRoot: string,
  files: FileSet,
): Promise<{ written: string[]; removed: string[] }> {
  const written: string[] = [];
  for (const [path, content] of files) {
    const target = join(projectRoot, path);
    const current = await readFile(target, 'utf8').catch(() => undefined);
    if (current === content) continue;
    await mkdir(dirname(target), { recursive: true });
    const tmp = `${target}.tmp-${process.pid}`;
    await writeFile(tmp, content);
    await rename(tmp, target);
    written.push(path);
  }
  const removed = (await ownedFiles(projectRoot)).filter((p) => !files.has(p));
  for (const path of removed) await rm(join(projectRoot, path));
  return { written, removed };
}

export interface Drift {
  readonly path: string;
  readonly kind: 'changed' | 'missing' | 'stale';
}

/** Compares what synth would write with what is on disk. */
export async function findDrift(projectRoot: string, files: FileSet): Promise<Drift[]> {
  const drift: Drift[] = [];
  for (const [path, content] of files) {
    const current = await readFile(join(projectRoot, path), 'utf8').catch(() => undefined);
    if (current === undefined) drift.push({ path, kind: 'missing' });
    else if (current !== content) drift.push({ path, kind: 'changed' });
  }
  for (const path of await ownedFiles(projectRoot)) if (!files.has(path)) drift.push({ path, kind: 'stale' });
  return drift.sort((a, b) => a.path.localeCompare(b.path));
}

export const relativeTo = (root: string, p: string) => relative(root, p) || '.';
