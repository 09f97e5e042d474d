// Backtest timings on a real recording: one smoke run of the real k6 against the reference app (5xx
// injected, so Http5xxRatioHigh goes pending and the run fails the gate), recorded by the gate, then
// `backtest` of a loosened Http5xxRatioHigh over that one run and over ten (the same recording copied
// ten times under ten names: each is replayed on its own, as distinct runs would be), and of a changed
// recording rule (base and head then need a replay each). Run: npx tsx bench/backtest.ts
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { nodeRunner } from '../load/node/runner.js';
import { backtest } from '../src/backtest/index.js';
import { setFaults } from '../src/drills/alerts.js';
import { runLoad } from '../src/gate/run.js';
import { listRuns } from '../src/gate/run-archive.js';
import { startLocalStack } from '../src/live/stack.js';

const ROOT = join(import.meta.dirname, '..');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const git = (cwd: string, ...args: string[]) =>
  promisify(execFile)('git', ['-c', 'user.name=b', '-c', 'user.email=b@example.com', ...args], { cwd });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const work = await mkdtemp(join(tmpdir(), 'stressgate-bench-backtest-'));
/** BENCH_RECORDING=DIR: reuse the run recorded there (recorded and kept there when absent). */
async function recordedRun(): Promise<string> {
  const kept = process.env.BENCH_RECORDING;
  if (kept && existsSync(join(kept, 'run.json'))) return (console.log(`reusing the recording in ${kept}`), kept);
  const stack = await startLocalStack({ root: ROOT, faults: true });
  try {
    const artifacts = join(work, 'artifacts');
    let printed = '';
    await setFaults(stack.app.base, { http5xxRatio: 0.2 });
    const t0 = performance.now();
    await runLoad(
      ['--runner', 'k6', '--profile', 'smoke', '--target', stack.app.base, '--prometheus', stack.prometheus.url].concat(
        ['--out', artifacts],
      ),
      nodeRunner,
      ROOT,
      (t) => void (printed += t),
    ).finally(() => setFaults(stack.app.base, 'clear'));
    const [one] = (await listRuns(artifacts)).map((r) => r.dir);
    if (!one) throw new Error(`no run recorded:\n${printed.slice(-2000)}`);
    console.log(`recorded one smoke run in ${Math.round(performance.now() - t0)} ms (load + verdict + record)`);
    console.log(`  ${/Recorded for backtests: .*/.exec(printed)?.[0] ?? 'no record line'}`);
    if (kept) await cp(one, kept, { recursive: true });
    return one;
  } finally {
    await stack.stop();
  }
}
try {
  const one = await recordedRun();
  const runs1 = join(work, 'runs-1');
  const runs10 = join(work, 'runs-10');
  await mkdir(runs1, { recursive: true });
  await cp(one, join(runs1, 'run'), { recursive: true });
  for (let i = 0; i < 10; i++) await cp(one, join(runs10, `copy-${String(i).padStart(2, '0')}`), { recursive: true });

  const project = join(work, 'project');
  for (const part of ['infra', 'docs', 'load/profiles', 'catalog'])
    await cp(join(ROOT, part), join(project, part), { recursive: true });
  await git(project, 'init', '-q');
  await git(project, 'add', '.');
  await git(project, 'commit', '-qm', 'base');
  const alerts = join(project, 'infra/prometheus/alerts.yml');
  const recording = join(project, 'infra/prometheus/recording-rules.yml');
  const [alertsText, recordingText] = await Promise.all([readFile(alerts, 'utf8'), readFile(recording, 'utf8')]);

  const cases: Array<[string, () => Promise<void>]> = [
    [
      'alert threshold (one replay a run)',
      () => writeFile(alerts, alertsText.replace('ratio_rate5m > 0.005', 'ratio_rate5m > 0.5')),
    ],
    [
      'recording rule window (a replay per side)',
      async () => {
        await writeFile(alerts, alertsText);
        await writeFile(recording, recordingText.replace(/status=~"5.."}\[5m\]/, 'status=~"5.."}[1m]'));
      },
    ],
  ];
  for (const [name, edit] of cases) {
    await edit();
    const times: Record<string, number[]> = { 1: [], 10: [], serial: [] };
    let summary = '';
    let phases: Record<string, number> = {};
    await backtest(project, 'HEAD', runs1); // warm-up: module loading, git, the first Prometheus start
    for (let round = 0; round < ROUNDS; round++) {
      for (const [n, dir, concurrency] of [
        ['1', runs1, 2],
        ['10', runs10, 2],
        ['serial', runs10, 1],
      ] as const) {
        const t = performance.now();
        const r = await backtest(project, 'HEAD', dir, concurrency);
        times[n]!.push(performance.now() - t);
        summary = `${r.alerts.length} alert(s), ${r.weaker.length} weaker, ${r.stricter.length} stricter over ${r.runs.length} runs`;
        phases = {};
        for (const run of Object.values(r.timing.runs))
          for (const [k, v] of Object.entries(run)) phases[k] = (phases[k] ?? 0) + v / r.runs.length;
      }
    }
    const [a, b, c] = [median(times[1]!), median(times[10]!), median(times.serial!)];
    console.log(`${name}: ${summary}`);
    console.log(
      `  1 run: ${Math.round(a)} ms · 10 runs: ${Math.round(b)} ms (${(b / a).toFixed(1)}×, 2 at a time; ${Math.round(c)} ms one at a time) · median of ${ROUNDS}`,
    );
    console.log(
      `  a run's replay, on average (ms): ${Object.entries(phases)
        .map(([k, v]) => `${k} ${Math.round(v)}`)
        .join(', ')}`,
    );
  }
} finally {
  await rm(work, { recursive: true, force: true });
}
