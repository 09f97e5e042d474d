// The real promtool, run on the committed files: what Prometheus will load is what gets checked.
import { execFile } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Finding } from './findings.js';
import { PROMETHEUS_CONFIG } from '../synth/prometheus-config.js';
import { RULE_DIR, RULE_FILES } from '../synth/prometheus-rules.js';

const run = promisify(execFile);

export const PROMTOOL_MISSING_FIX =
  'install it: `make deps` (runs `apt-get install prometheus` as root), or put promtool from a Prometheus release on PATH';

async function promtool(root: string, args: string[], file: string, object: string, fix: string): Promise<Finding[]> {
  try {
    await run('promtool', args, { cwd: root, maxBuffer: 16 * 1024 * 1024 });
    return [];
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stdout?: string; stderr?: string };
    if (e.code === 'ENOENT') return [{ rule: 'promtool', file, object: 'promtool', message: 'promtool is not installed.', fix: PROMTOOL_MISSING_FIX }];
    const output = `${e.stdout ?? ''}${e.stderr ?? ''}`.trim();
    return [{ rule: 'promtool', file, object, message: `promtool ${args.slice(0, 2).join(' ')} failed:\n${output}`, fix }];
  }
}

export const checkConfig = (root: string) =>
  promtool(root, ['check', 'config', PROMETHEUS_CONFIG], PROMETHEUS_CONFIG, 'prometheus config', 'fix src/synth/prometheus-config.ts and run `make synth`');

/** The YAML files of a directory, sorted, project-relative (the generated rule files and their tests). */
async function yamlFiles(root: string, dir: string, skip: RegExp = /^$/): Promise<string[]> {
  const names = await readdir(join(root, dir)).catch(() => [] as string[]);
  return names.filter((n) => /\.ya?ml$/.test(n) && !skip.test(n)).sort().map((n) => `${dir}/${n}`);
}

export const checkRules = async (root: string) =>
  promtool(
    root,
    ['check', 'rules', '--lint=all', '--lint-fatal', ...(await yamlFiles(root, RULE_DIR, /^prometheus\.ya?ml$/))],
    RULE_FILES.alerts,
    'rule files',
    'fix the rule named above in src/recording-rules/ or src/alerts/ and run `make synth`',
  );

export const testRules = async (root: string) =>
  promtool(
    root,
    ['test', 'rules', ...(await yamlFiles(root, `${RULE_DIR}/tests`))],
    RULE_FILES.tests,
    'alert unit tests',
    'the named alert did not behave as its test case says: fix the alert expression or its `tests` in src/alerts/, then `make synth`',
  );
