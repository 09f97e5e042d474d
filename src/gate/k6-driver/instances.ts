// `stressgate load --runner k6 --instances N`: N k6 processes on this machine, each running its own
// execution segment of the one test (./segments.ts, the split k6-operator makes), each tagged
// instance_id=i with its own summary and log, all remote-writing to one Prometheus under one testid.
// The verdict judges their union: summed counts and rates from the summaries, and every percentile
// from the union's native histograms in Prometheus (../verdict/k6-prometheus.ts).
import { existsSync } from 'node:fs';
import { PromClient } from '../../kernel/prometheus-client.js';
import { versionText } from '../../k6-script/generations.js';
import { runK6, type K6RunOptions } from './run.js';
import { segments } from './segments.js';
import { sloLoadMap } from '../../slos/load-thresholds.js';
import { runScope, sloThresholds } from '../../load-contract/thresholds.js';
import { queryBaseOf } from '../verdict/evidence.js';
import { unionPercentiles } from '../verdict/k6-prometheus.js';
import { readSummary, type RunSummary } from '../verdict/load-summary.js';
import { mergeSummaries, missingPercentiles, withPercentiles } from '../verdict/merge-summaries.js';
import type { JudgeInput } from '../verdict/index.js';

/** One k6 run's options, for N instances: each gets its segment; remote write is required. */
export interface InstancesOptions extends Omit<K6RunOptions, 'segment' | 'remoteWriteUrl' | 'echo'> {
  readonly instances: number;
  /** Required: the union's percentiles are computed in the Prometheus behind it. */
  readonly remoteWriteUrl: string;
  readonly echo: (text: string) => void;
}

export interface InstancesRun {
  readonly input: JudgeInput;
  /** Each instance's own summary, by instance_id. */
  readonly summaries: readonly RunSummary[];
  readonly summaryFiles: readonly string[];
}

export async function runInstances(o: InstancesOptions): Promise<InstancesRun> {
  const { profile, only, testid, remoteWriteUrl } = o;
  const runs = await Promise.all(
    segments(o.instances).map((segment) =>
      runK6({
        root: o.root,
        k6: o.k6,
        profile,
        target: o.target,
        ...(only ? { only: [...only] } : {}),
        out: o.out,
        allowedHosts: o.allowedHosts,
        testid,
        remoteWriteUrl,
        segment,
        echo: o.echo,
      }),
    ),
  );
  const missing = runs.filter((r) => !existsSync(r.summaryFile));
  if (missing.length)
    throw new Error(
      `k6 wrote no summary (${missing.flatMap((r) => r.failures.map((f) => f.reason)).join('; ')}); see ${missing.map((r) => r.logFile).join(', ')}`,
    );
  const summaries = await Promise.all(runs.map((r) => readSummary(r.summaryFile)));
  const slos = sloLoadMap();
  const trends = sloThresholds(profile, slos, runScope(profile, slos, only))
    .filter((t) => t.stat === 'p(95)')
    .map((t) => t.metric);
  const end = new Date(Math.max(...runs.map((r) => r.end.getTime())));
  const p95 = await unionPercentiles(
    new PromClient(queryBaseOf(remoteWriteUrl)),
    { label: 'testid', value: testid },
    trends,
    end,
  );
  const merged = mergeSummaries(summaries);
  const firstErrors: Record<string, string> = {};
  for (const r of runs) for (const [s, e] of Object.entries(r.log.iterationErrors)) firstErrors[s] ??= e;
  return {
    summaries,
    summaryFiles: runs.map((r) => r.summaryFile),
    input: {
      profile,
      summary: withPercentiles(merged, p95),
      ...(only ? { only } : {}),
      runner: { kind: 'k6', version: versionText(o.k6.version), generation: o.k6.generation, instances: o.instances },
      start: new Date(Math.min(...runs.map((r) => r.start.getTime()))),
      end,
      firstErrors,
      runFailures: [
        ...runs.flatMap((r, i) => r.failures.map((f) => ({ ...f, subject: `instance ${i}: ${f.subject}` }))),
        ...missingPercentiles(merged, p95),
      ],
      remoteWrite: { url: remoteWriteUrl, testid, errors: runs.flatMap((r) => r.log.remoteWriteErrors) },
      // The instances share this machine's cores: the sum of their peaks (an upper bound of the peak of the sum).
      ...(runs.every((r) => r.cpu)
        ? {
            loadGenerator: {
              cpu: {
                cores: runs[0]!.cpu!.cores,
                peakCores: runs.reduce((t, r) => t + r.cpu!.peakCores, 0),
              },
            },
          }
        : {}),
    },
  };
}
