// Running the k6 bundle: bundled for the binary's generation, bounded by the profile's maxDuration,
// logs as JSON so exceptions, iteration errors and remote-write failures can be read back, every
// series tagged with the run's testid so its remote-written metrics can be found afterwards.
import { spawn } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Failure } from '../verdict/schema.js';
import { checkBundle } from '../../k6-script/bundle-check.js';
import { bundleK6, bundlePath } from '../../k6-script/bundle.js';
import type { K6Binary } from './binary.js';
import { sampleCpu, type CpuUsage } from './cpu.js';
import { readK6Log, type K6LogFindings } from './output.js';
import { versionText } from '../../k6-script/generations.js';
import { durationMs, type Profile, type ScenarioName } from '../../load-contract/profile.js';
import { segmentArgs, type Segment } from './segments.js';

export interface K6RunOptions {
  readonly root: string;
  readonly k6: K6Binary;
  readonly profile: Profile;
  readonly target: URL;
  readonly only?: readonly ScenarioName[];
  readonly out: string;
  readonly allowedHosts: readonly string[];
  readonly testid: string;
  /** Prometheus remote-write endpoint (K6_PROMETHEUS_RW_SERVER_URL); no -o output without it. */
  readonly remoteWriteUrl?: string;
  /** One of several instances (src/gate/k6-driver/instances.ts): its execution segment, `instance_id` tag, own files. */
  readonly segment?: Segment;
  /** Where k6's own output goes besides artifacts/k6/k6.log (default: this process's stdout/stderr). */
  readonly echo?: (chunk: string) => void;
}

export interface K6RunResult {
  readonly summaryFile: string;
  readonly exitCode: number | null;
  readonly log: K6LogFindings;
  readonly logFile: string;
  readonly start: Date;
  readonly end: Date;
  /** Failures the summary cannot show: exceptions, an exit other than 0/99. */
  readonly failures: Failure[];
  /** k6's own CPU from /proc (./cpu.ts), for the verdict's run validity; null where it cannot be read. */
  readonly cpu: CpuUsage | null;
}

export async function runK6(o: K6RunOptions): Promise<K6RunResult> {
  const dir = join(o.out, 'k6');
  await mkdir(dir, { recursive: true });
  // Instances run side by side: each its own bundle and profile file, so none reads another's half-written one.
  const suffix = o.segment ? `.${o.segment.index}` : '';
  const bundle = await bundleK6({
    generation: o.k6.generation,
    outfile: bundlePath(o.k6.generation, dir).replace(/\.js$/, `${suffix}.js`),
  });
  const problems = checkBundle(await readFile(bundle, 'utf8'), o.k6.generation);
  if (problems.length)
    throw new Error(`${bundle} would not run on k6 ${versionText(o.k6.version)}:\n  ${problems.join('\n  ')}`);
  const profileFile = join(dir, `${o.profile.name}.profile${suffix}.json`);
  await writeFile(profileFile, JSON.stringify(o.profile));
  const summaryFile = join(o.out, `${o.profile.name}-summary${suffix}.json`);
  const logFile = join(dir, `k6${suffix}.log`);
  const env = (k: string, v: string) => ['-e', `${k}=${v}`];
  const args = [
    // --address '': no REST API server (its fixed port collides when two runs share a machine).
    'run',
    '--summary-export',
    summaryFile,
    '--log-format=json',
    '--no-usage-report',
    '--address',
    '',
    '--tag',
    `testid=${o.testid}`,
    // The run's name as k6-operator tags a TestRun's samples, so the dashboards pick runs by one label.
    '--tag',
    `testrun_name=${o.testid}`,
    ...env('PROFILE_FILE', profileFile),
    ...env('TARGET_URL', o.target.origin),
    ...env('STRESS_ALLOWED_HOSTS', o.allowedHosts.join(',')),
    ...(o.only ? env('SCENARIOS', o.only.join(',')) : []),
    ...(o.segment ? segmentArgs(o.segment) : []),
    ...(o.remoteWriteUrl ? ['-o', 'experimental-prometheus-rw'] : []),
    bundle,
  ];
  const childEnv = { ...process.env, K6_NO_USAGE_REPORT: 'true' } as NodeJS.ProcessEnv;
  if (o.remoteWriteUrl) {
    childEnv.K6_PROMETHEUS_RW_SERVER_URL = o.remoteWriteUrl;
    // Trends as native histograms, as the TestRuns write them: percentiles (the release-gate dashboard's,
    // the verdict's over several instances) are taken in PromQL over the whole distribution.
    childEnv.K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM = 'true';
  } else delete childEnv.K6_PROMETHEUS_RW_SERVER_URL;
  const echo = o.echo ?? ((c: string) => process.stdout.write(c));
  const output: string[] = [];
  const start = new Date();
  let cpu: CpuUsage | null = null;
  const exitCode = await new Promise<number | null>((resolveRun, reject) => {
    const child = spawn(o.k6.path, args, { cwd: o.root, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    const sampler = child.pid ? sampleCpu(child.pid) : null;
    const take = (b: Buffer) => {
      const text = b.toString();
      output.push(text);
      echo(text);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    // The profile bounds the run; k6 gets a minute past it, then SIGINT, then SIGKILL.
    const bound = setTimeout(
      () => {
        child.kill('SIGINT');
        setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
      },
      durationMs(o.profile.maxDuration) + 60_000,
    );
    child.on('error', (err) => {
      clearTimeout(bound);
      reject(err);
    });
    child.on('exit', (code) => {
      clearTimeout(bound);
      cpu = sampler?.stop() ?? null;
      resolveRun(code);
    });
  });
  const end = new Date();
  const text = output.join('');
  await writeFile(logFile, text);
  const log = readK6Log(text);
  const failures: Failure[] = log.exceptions.map((e) => ({ source: 'k6', subject: 'JavaScript exception', reason: e }));
  // 99 = thresholds crossed: the verdict says which. Anything else is a run that did not complete.
  if (exitCode !== 0 && exitCode !== 99)
    failures.push({
      source: 'k6',
      subject: `k6 ${versionText(o.k6.version)}`,
      reason: `exited with ${exitCode ?? 'a signal'} (see ${logFile})`,
    });
  return { summaryFile, exitCode, log, logFile, start, end, failures, cpu };
}
