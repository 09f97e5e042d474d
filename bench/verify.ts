// Verify in an SRE's edit loop, against its floor, measured side by side in one run (the machine is
// shared and noisy, so every ratio is taken within a round and the median over rounds is printed).
//
//   edit   one SLO threshold changed in src/slos/index.ts, `synth`, then verify. Its floor: one
//          `stressgate synth` (tsx start + synthesis) and the promtool calls the changed files need
//          (check config, check rules, test rules of each changed test file, side by side).
//   warm   nothing changed since the last verify. Its floor: one `stressgate synth`.
//   fresh  no cache at all (a new clone): every unit-test group and every mutant runs.
//
// Each round's threshold is new to the cache (a value no earlier round used), so the edited verify
// really re-runs what the edit touched. The bench keeps its cache in a temporary directory and leaves
// src/ and infra/ as it found them.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { PROMETHEUS_CONFIG } from '../src/synth/prometheus-config.js';
import { RULE_DIR } from '../src/synth/prometheus-rules.js';

const ROOT = resolve(import.meta.dirname, '..');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SLO_FILE = join(ROOT, 'src/slos/index.ts');
/** The definition the edit changes: the first SLO's gate threshold. */
const THRESHOLD = /threshold: percent\(([\d.]+)\)/;
const run = promisify(execFile);

const cache = await mkdtemp(join(tmpdir(), 'stressgate-bench-cache-'));
const env = { ...process.env, STRESSGATE_CACHE_DIR: cache };
const cli = (args: string[]) =>
  run(process.execPath, ['--import', 'tsx', resolve(ROOT, 'src/cli.ts'), ...args], {
    cwd: ROOT,
    env,
    maxBuffer: 64 << 20,
  });
const promtool = (args: string[]) => run('promtool', args, { cwd: ROOT, maxBuffer: 64 << 20 });

async function wall<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t0 = performance.now();
  const out = await fn();
  return [performance.now() - t0, out];
}

async function generatedFiles(): Promise<Map<string, string>> {
  const { stdout } = await run('git', ['ls-files', 'infra'], { cwd: ROOT });
  const files = stdout.split('\n').filter(Boolean);
  return new Map(await Promise.all(files.map(async (f) => [f, await readFile(join(ROOT, f), 'utf8')] as const)));
}

/** The promtool calls the files changed since `before` need, side by side as verify runs them. */
async function promtoolFloor(before: Map<string, string>): Promise<number> {
  const after = await generatedFiles();
  const changed = [...after].filter(([f, text]) => before.get(f) !== text).map(([f]) => f);
  const ruleFiles = [...after.keys()].filter(
    (f) => f.startsWith(`${RULE_DIR}/`) && /\.ya?ml$/.test(f) && !f.includes('/tests/') && f !== PROMETHEUS_CONFIG,
  );
  const tests = changed.filter((f) => f.startsWith(`${RULE_DIR}/tests/`));
  const calls: string[][] = [];
  if (changed.some((f) => f.startsWith(`${RULE_DIR}/`)))
    calls.push(['check', 'config', PROMETHEUS_CONFIG], ['check', 'rules', '--lint=all', '--lint-fatal', ...ruleFiles]);
  for (const t of tests) calls.push(['test', 'rules', t]);
  const [ms] = await wall(() => Promise.all(calls.map(promtool)));
  return ms;
}

/** Step name → its time in ms, from verify's output. */
const stepTimes = (stdout: string) =>
  new Map(
    [...stdout.matchAll(/^(?:ok  |FAIL) (.*) \((\d+) ms\)$/gm)].map((m) => [
      m[1]!.replace(/ \(.*\)$/, ''),
      Number(m[2]),
    ]),
  );

const original = await readFile(SLO_FILE, 'utf8');
const base = Number(THRESHOLD.exec(original)![1]);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (x: number) => `${x.toFixed(0).padStart(6)} ms`;

interface Round {
  editFloor: number;
  edit: number;
  warmFloor: number;
  warm: number;
  steps: Map<string, number>;
  editLine: string;
}
const rounds: Round[] = [];
let fresh = 0;
let freshLine = '';
try {
  await cli(['synth']);
  [fresh, { stdout: freshLine }] = await wall(() => cli(['verify']));
  for (let i = 0; i < ROUNDS; i++) {
    const before = await generatedFiles();
    // A threshold no earlier round used: 0.5 → 0.41, 0.42, ... (the tests are generated from it).
    const value = Number((base - 0.09 + i * 0.01).toFixed(3));
    await writeFile(SLO_FILE, original.replace(THRESHOLD, `threshold: percent(${value})`));
    const [synth] = await wall(() => cli(['synth']));
    const editFloor = synth + (await promtoolFloor(before));
    const [edit, { stdout }] = await wall(() => cli(['verify']));
    const [warmFloor] = await wall(() => cli(['synth']));
    const [warm] = await wall(() => cli(['verify']));
    rounds.push({
      editFloor,
      edit,
      warmFloor,
      warm,
      steps: stepTimes(stdout),
      editLine: stdout.split('\n').find((l) => l.includes('mutants')) ?? '',
    });
  }
} finally {
  await writeFile(SLO_FILE, original);
  await cli(['synth']);
  await rm(cache, { recursive: true, force: true });
}

const ratio = (k: 'edit' | 'warm') => median(rounds.map((r) => r[k] / r[k === 'edit' ? 'editFloor' : 'warmFloor']));
const medianOf = (k: keyof Omit<Round, 'steps' | 'editLine'>) => median(rounds.map((r) => r[k]));
const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
console.log(
  `stressgate verify benchmark: ${ROUNDS} rounds of (edit an SLO threshold + synth, floor, verify; synth, warm verify); medians, ratios per round`,
);
console.log(
  `edit:  floor ${ms(medianOf('editFloor'))}  verify ${ms(medianOf('edit'))}  = ${ratio('edit').toFixed(2)}x floor   (goal <= 5000 ms: ${verdict(medianOf('edit') <= 5000)}; <= 1.50x: ${verdict(ratio('edit') <= 1.5)})`,
);
console.log(`       ${rounds.at(-1)!.editLine.trim()}`);
console.log(
  `warm:  floor ${ms(medianOf('warmFloor'))}  verify ${ms(medianOf('warm'))}  = ${ratio('warm').toFixed(2)}x floor   (goal <= 1.30x: ${verdict(ratio('warm') <= 1.3)})`,
);
console.log(`fresh: verify ${ms(fresh)}, no cache   (goal <= 15000 ms: ${verdict(fresh <= 15000)})`);
console.log(
  `       ${freshLine
    .split('\n')
    .find((l) => l.includes('mutants'))
    ?.trim()}`,
);
console.log('where the edited verify spends its time (median per step; steps run side by side):');
for (const step of rounds[0]!.steps.keys())
  console.log(`  ${ms(median(rounds.map((r) => r.steps.get(step) ?? 0)))}  ${step}`);
