// The project tree: every provisioned dashboard, rule file and rule-test file, parsed and validated.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseDocument } from 'yaml';
import type { Finding } from '../../kernel/findings.js';
import { validateDashboard } from './dashboard.js';
import { validateKubernetesFiles } from './kubernetes.js';
import { SCHEMA_RULES } from './registry.js';
import { validateRuleFile, validateRuleTestFile } from './rules.js';

/** Sorts findings by file, then object, rule and message (plain code-unit order, independent of locale). */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...findings].sort(
    (a, b) => cmp(a.file, b.file) || cmp(a.object, b.object) || cmp(a.rule, b.rule) || cmp(a.message, b.message),
  );
}

async function listFiles(root: string, dir: string, exts: readonly string[]): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(path.join(root, dir));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return [];
    throw e;
  }
  return names
    .filter((n) => exts.some((x) => n.endsWith(x)))
    .sort()
    .map((n) => `${dir}/${n}`);
}

/** Like listFiles, in `dir` and every folder below it. */
async function listTree(root: string, dir: string, exts: readonly string[]): Promise<string[]> {
  const entries = await readdir(path.join(root, dir), { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile() && exts.some((x) => e.name.endsWith(x)))
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
}

type Parsed = { ok: true; value: unknown } | { ok: false; finding: Finding };

async function parseFile(root: string, file: string, kind: 'json' | 'yaml'): Promise<Parsed> {
  return parseText(file, await readFile(path.join(root, file), 'utf8'), kind);
}

function parseText(file: string, text: string, kind: 'json' | 'yaml'): Parsed {
  const parseError = (message: string): Parsed => ({
    ok: false,
    finding: {
      rule: SCHEMA_RULES.parse,
      file,
      object: kind === 'json' ? 'JSON document' : 'YAML document',
      message: `does not parse: ${message}`,
      fix: `Fix the ${kind === 'json' ? 'JSON' : 'YAML'} syntax (or regenerate the file).`,
    },
  });
  if (kind === 'json') {
    try {
      return { ok: true, value: JSON.parse(text) as unknown };
    } catch (e) {
      return parseError((e as Error).message);
    }
  }
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0)
    return parseError(doc.errors.map((e) => (e.message.split('\n')[0] ?? '').replace(/:\s*$/, '')).join('; '));
  return { ok: true, value: doc.toJS() as unknown };
}

/**
 * Validates the project's provisioned artefacts under `root`:
 * - `infra/grafana/provisioning/dashboards/*.json` as dashboards,
 * - `infra/prometheus/*.yml|*.yaml` that have a top-level `groups:` as rule files (never `prometheus.yml`),
 * - `infra/prometheus/tests/*.yml|*.yaml` as promtool rule-test files,
 * - `infra/kubernetes/**` `*.yml|*.yaml` as Kubernetes manifests (custom resources against their CRDs).
 * Files are read in sorted order; the findings are sorted with `sortFindings`. Paths are relative to `root`.
 */
export async function validateProjectSchemas(root: string): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const file of await listFiles(root, 'infra/grafana/provisioning/dashboards', ['.json'])) {
    const parsed = await parseFile(root, file, 'json');
    findings.push(...(parsed.ok ? validateDashboard(file, parsed.value) : [parsed.finding]));
  }
  for (const file of await listFiles(root, 'infra/prometheus', ['.yml', '.yaml'])) {
    if (/^prometheus\.ya?ml$/.test(path.posix.basename(file))) continue;
    const text = await readFile(path.join(root, file), 'utf8');
    if (!/^groups\s*:/m.test(text)) continue; // alertmanager.yml, web config, ...
    const parsed = parseText(file, text, 'yaml');
    findings.push(...(parsed.ok ? validateRuleFile(file, parsed.value) : [parsed.finding]));
  }
  for (const file of await listFiles(root, 'infra/prometheus/tests', ['.yml', '.yaml'])) {
    const parsed = await parseFile(root, file, 'yaml');
    findings.push(...(parsed.ok ? validateRuleTestFile(file, parsed.value) : [parsed.finding]));
  }
  const manifests = await listTree(root, 'infra/kubernetes', ['.yml', '.yaml']);
  findings.push(
    ...validateKubernetesFiles(
      await Promise.all(manifests.map(async (file) => ({ file, text: await readFile(path.join(root, file), 'utf8') }))),
    ),
  );
  return sortFindings(findings);
}
