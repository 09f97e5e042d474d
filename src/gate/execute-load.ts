// Runs a load profile against a target already through the interlock, with k6 (one process, or
// several on execution segments) or with the Node runner, and gathers what the verdict needs. The
// Node runner is passed in (src/cli.ts composes it from load/), so the gate imports nothing of load/.
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '../usage-error.js';
import { allowedHosts } from './interlock.js';
import { findK6, K6_MISSING } from './k6-driver/binary.js';
import { versionText } from '../k6-script/generations.js';
import { runInstances } from './k6-driver/instances.js';
import { runK6 } from './k6-driver/run.js';
import type { Profile, ScenarioName } from '../load-contract/profile.js';
import { readSummary, type JudgeInput, type RunSummary } from './verdict/index.js';

/** What the gate needs of the Node runner (load/node/runner.ts nodeRunner is one). */
export type NodeRunner = (o: {
  readonly profile: Profile;
  readonly target: URL;
  readonly allowedHosts: readonly string[];
  readonly scenarios?: readonly ScenarioName[];
  readonly log: (line: string) => void;
}) => Promise<{
  readonly summary: RunSummary;
  readonly start: Date;
  readonly end: Date;
  readonly peakVus: number;
  /** First message per scenario whose iterations threw. */
  readonly iterationErrors: Readonly<Partial<Record<ScenarioName, { readonly first: string }>>>;
}>;

export interface LoadOptions {
  readonly root: string;
  readonly profile: Profile;
  readonly runner: 'node' | 'k6';
  /** Runs `--runner node`. */
  readonly nodeRunner: NodeRunner;
  /** Already through the interlock. */
  readonly target: URL;
  readonly only?: readonly ScenarioName[];
  /** Absolute artifacts directory. */
  readonly out: string;
  /** k6 writes its own metrics here (remote write), tagged with the run's testid. */
  readonly remoteWriteUrl?: string;
  /** Several k6 processes on execution segments, judged as one (./k6-driver/instances.ts); needs remoteWriteUrl. */
  readonly instances?: number;
  readonly echo?: (text: string) => void;
}

/** Runs the profile with k6 or the Node runner; what the verdict needs, or null when k6 is asked for but missing. */
export async function executeLoad(opts: LoadOptions): Promise<JudgeInput | null> {
  const { root, profile, target, only, out, remoteWriteUrl } = opts;
  const echo = opts.echo ?? ((t: string) => void process.stdout.write(t));
  const allowed = allowedHosts();
  await mkdir(out, { recursive: true });
  if (opts.runner === 'k6') {
    const k6 = await findK6(root);
    if (!k6) {
      console.error(K6_MISSING);
      return null;
    }
    const testid = `${profile.name}-${Date.now().toString(36)}`;
    echo(
      `load: profile ${profile.name} against ${target.origin} with k6 ${versionText(k6.version)} (${k6.generation} bundle, ${k6.path})${opts.instances ? ` × ${opts.instances} instances` : ''}${remoteWriteUrl ? `, remote write to ${remoteWriteUrl}` : ''}\n`,
    );
    if (opts.instances) {
      if (!remoteWriteUrl)
        throw new UsageError("--instances needs a remote-write URL: the union's percentiles come from Prometheus");
      return (
        await runInstances({
          root,
          k6,
          profile,
          target,
          ...(only ? { only } : {}),
          out,
          allowedHosts: allowed,
          instances: opts.instances,
          remoteWriteUrl,
          testid,
          echo,
        })
      ).input;
    }
    const run = await runK6({
      root,
      k6,
      profile,
      target,
      ...(only ? { only: [...only] } : {}),
      out,
      allowedHosts: allowed,
      testid,
      ...(remoteWriteUrl ? { remoteWriteUrl } : {}),
      echo,
    });
    if (!existsSync(run.summaryFile))
      throw new Error(`k6 wrote no summary (${run.failures.map((f) => f.reason).join('; ')}); see ${run.logFile}`);
    return {
      profile,
      summary: await readSummary(run.summaryFile),
      ...(only ? { only } : {}),
      runner: { kind: 'k6', version: versionText(k6.version), generation: k6.generation },
      start: run.start,
      end: run.end,
      firstErrors: run.log.iterationErrors,
      runFailures: run.failures,
      remoteWrite: remoteWriteUrl ? { url: remoteWriteUrl, testid, errors: run.log.remoteWriteErrors } : null,
      ...(run.cpu ? { loadGenerator: { cpu: run.cpu } } : {}),
    };
  }
  echo(
    `load: profile ${profile.name} against ${target.origin} with the Node runner (bounded by ${profile.maxDuration})\n`,
  );
  const result = await opts.nodeRunner({
    profile,
    target,
    allowedHosts: allowed,
    ...(only ? { scenarios: [...only] } : {}),
    log: (l) => process.env.LOAD_VERBOSE && console.error(l),
  });
  const summaryFile = join(out, `${profile.name}-summary.json`);
  await writeFile(summaryFile, `${JSON.stringify(result.summary, null, 2)}\n`);
  echo(
    `load: ${result.summary.metrics.iterations?.count ?? 0} iterations, peak ${result.peakVus} VUs, ${Math.round((result.end.getTime() - result.start.getTime()) / 1000)} s\n`,
  );
  const firstErrors = Object.fromEntries(Object.entries(result.iterationErrors).map(([s, e]) => [s, e!.first]));
  return {
    profile,
    summary: result.summary,
    ...(only ? { only } : {}),
    runner: { kind: 'node' },
    start: result.start,
    end: result.end,
    firstErrors,
  };
}
