// The real promtool's `check config` and `check rules`, run on the committed files: what Prometheus
// will load is what gets checked. A failure is traced to where the fault is: a broken rule (even when
// `check config` finds it, since it loads the rule files too) to the rule's definition, and only a
// fault in prometheus.yml itself to the config generator. The unit tests are in rule-tests/.
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Construct } from '../constructs/construct.js';
import { ContentStore, digest } from './content-store.js';
import type { Finding } from '../kernel/findings.js';
import { promtoolIdentity } from './rule-tests/results.js';
import { PROMETHEUS_CONFIG } from '../synth/prometheus-config.js';
import { RULE_DIR, RULE_FILES } from '../synth/prometheus-rules.js';

const run = promisify(execFile);

export const PROMTOOL_MISSING_FIX =
  'install it: `make deps` (runs `apt-get install prometheus` as root), or put promtool from a Prometheus release on PATH';

type App = () => Promise<Construct>;

/** promtool's rule errors: `file: line:col: group "g", rule n, "name": message`. */
const RULE_ERROR = /^\s*(\S+\.ya?ml): (\d+):\d+: group "([^"]*)", rule \d+, "([^"]*)": (.*)$/;

/** Where an alert or recording rule is defined (`src/alerts/realtime.ts:50`), if the tree has it. */
export async function definitionOf(app: App, name: string): Promise<string | undefined> {
  try {
    const { Alert, RecordingRule } = await import('../constructs/rules.js');
    const tree = await app();
    return (
      tree.findAll(Alert).find((a) => a.name === name) ?? tree.findAll(RecordingRule).find((r) => r.record === name)
    )?.source;
  } catch {
    return undefined; // the tree does not load: the definition error is reported on its own
  }
}

/**
 * promtool with `args`, whose verdict depends on the `inputs` (project-relative) alone: a pass is
 * remembered for byte-identical inputs and the same promtool; a failure always runs again.
 */
async function promtool(
  root: string,
  args: string[],
  inputs: readonly string[],
): Promise<{ ok: true } | { ok: false; output: string } | { ok: false; missing: true }> {
  const identity = promtoolIdentity();
  if (!identity) return { ok: false, missing: true };
  const contents = await Promise.all(inputs.map((f) => readFile(join(root, f)).catch(() => 'missing')));
  const key = digest(identity, ...args, ...inputs.flatMap((f, i) => [f, contents[i]!]));
  const passes = new ContentStore<true>('promtool-checks', 256);
  if (passes.get(key)) return { ok: true };
  try {
    await run('promtool', args, { cwd: root, maxBuffer: 16 * 1024 * 1024 });
    passes.set(key, true);
    await passes.save();
    return { ok: true };
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stdout?: string; stderr?: string };
    if (e.code === 'ENOENT') return { ok: false, missing: true };
    return { ok: false, output: `${e.stdout ?? ''}${e.stderr ?? ''}`.trim() };
  }
}

/** The YAML files of a directory, sorted, project-relative (the generated rule files and their tests). */
async function yamlFiles(root: string, dir: string, skip: RegExp = /^$/): Promise<string[]> {
  const names = await readdir(join(root, dir)).catch(() => [] as string[]);
  return names
    .filter((n) => /\.ya?ml$/.test(n) && !skip.test(n))
    .sort()
    .map((n) => `${dir}/${n}`);
}

const missing = (file: string): Finding[] => [
  { rule: 'promtool', file, object: 'promtool', message: 'promtool is not installed.', fix: PROMTOOL_MISSING_FIX },
];

/** One finding per rule promtool names, pointing at the rule's definition; undefined if it names none. */
async function ruleFindings(app: App, command: string, output: string): Promise<Finding[] | undefined> {
  const errors = output
    .split('\n')
    .map((l) => RULE_ERROR.exec(l))
    .filter((m): m is RegExpExecArray => !!m);
  if (!errors.length) return undefined;
  const seen = new Set<string>();
  const findings: Finding[] = [];
  for (const [, file, line, group, name, message] of errors) {
    if (seen.has(`${file}|${name}|${message}`)) continue;
    seen.add(`${file}|${name}|${message}`);
    const where = await definitionOf(app, name!);
    findings.push({
      rule: 'promtool',
      file: file!,
      line: Number(line),
      object: `rule group "${group}" / ${/^[A-Z]/.test(name!) ? 'alert' : 'recording rule'} ${name}`,
      message: `promtool ${command}: ${message}`,
      fix: `fix ${name} where it is defined (${where ?? 'src/alerts/ or src/recording-rules/'}) and run \`make synth\``,
    });
  }
  return findings;
}

export async function checkConfig(root: string, app: App): Promise<Finding[]> {
  // It reads prometheus.yml and the rule files that it lists, all in the rule directory.
  const r = await promtool(
    root,
    ['check', 'config', PROMETHEUS_CONFIG],
    [PROMETHEUS_CONFIG, ...(await yamlFiles(root, RULE_DIR))],
  );
  if (r.ok) return [];
  if ('missing' in r) return missing(PROMETHEUS_CONFIG);
  // check config also loads every rule file it lists: a broken rule is the rule's fault.
  return (
    (await ruleFindings(app, 'check config', r.output)) ?? [
      {
        rule: 'promtool',
        file: PROMETHEUS_CONFIG,
        object: 'prometheus config',
        message: `promtool check config failed:\n${r.output}`,
        fix: 'fix src/synth/prometheus-config.ts and run `make synth`',
      },
    ]
  );
}

export async function checkRules(root: string, app: App): Promise<Finding[]> {
  const files = await yamlFiles(root, RULE_DIR, /^prometheus\.ya?ml$/);
  const r = await promtool(root, ['check', 'rules', '--lint=all', '--lint-fatal', ...files], files);
  if (r.ok) return [];
  if ('missing' in r) return missing(RULE_FILES.alerts);
  return (
    (await ruleFindings(app, 'check rules', r.output)) ?? [
      {
        rule: 'promtool',
        file: RULE_FILES.alerts,
        object: 'rule files',
        message: `promtool check rules failed:\n${r.output}`,
        fix: 'fix the rule named above in src/recording-rules/ or src/alerts/ and run `make synth`',
      },
    ]
  );
}
