// Records a finished gate run for later backtests (src/backtest/): the raw samples its rules read
// over the judged window and the lookback the gate alerts need, as OpenMetrics (./export.ts), and
// run.json (./run-file.ts), in the run's archive directory (../run-archive.ts). Files are written
// under temporary names and renamed, run.json last: a directory with run.json is a complete record.
import { execFile } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { createGzip } from 'node:zlib';
import { PromClient } from '../../kernel/prometheus-client.js';
import type { Verdict } from '../verdict/schema.js';
import { runDir } from '../run-archive.js';
import { exportRun } from './export.js';
import { gateLookbackSeconds, rawMetricsRead, type LoadedRule } from './lookback.js';
import { OM_EOF } from './openmetrics.js';
import { RUN_SCHEMA_ID, type RunRecord } from './run-file.js';

export { parseRunRecord, RUN_SCHEMA_ID, type RunRecord } from './run-file.js';
export { omDocument, omFamily, omTimestamp, type OmSeries } from './openmetrics.js';

export interface RecordOptions {
  /** The artifacts directory; the run goes to <artifacts>/runs/<id>/. */
  readonly artifacts: string;
  readonly verdict: Verdict;
  /** Jobs whose every series is kept (default: the target's, `api`). */
  readonly jobs?: readonly string[];
  /** Where git is asked for the rules' commit (default: the current directory, the project root for the CLI). */
  readonly root?: string;
  /** metrics.om above this many bytes is gzipped (default 1 MiB). */
  readonly gzipAboveBytes?: number;
}

export interface Recorded {
  readonly dir: string;
  readonly record: RunRecord;
  readonly bytes: number;
  readonly ms: number;
}

const run = promisify(execFile);

/** The commit the rules came from, and whether infra/prometheus has uncommitted edits. */
async function rulesCommit(cwd: string): Promise<RunRecord['rules']> {
  try {
    const commit = (await run('git', ['rev-parse', 'HEAD'], { cwd })).stdout.trim();
    const dirty = (await run('git', ['status', '--porcelain', '--', ':/infra/prometheus'], { cwd })).stdout.trim();
    return { commit, dirty: dirty !== '' };
  } catch {
    return { commit: null, dirty: null };
  }
}

/** Records the run behind `verdict`; null when it was judged without Prometheus (nothing to keep). */
export async function recordRun(opts: RecordOptions): Promise<Recorded | null> {
  const evidence = opts.verdict.prometheus;
  if (!evidence) return null;
  const t0 = performance.now();
  const prom = new PromClient(evidence.url);
  const jobs = opts.jobs ?? ['api'];
  const rules = (await prom.rules()).flatMap((g) => g.rules) as unknown as LoadedRule[];
  const intervals = await prom.intervals(jobs[0]);
  const lookback = gateLookbackSeconds(rules);
  const start = new Date(opts.verdict.window.start);
  const to = new Date(evidence.window.end);
  const from = new Date(start.getTime() - lookback * 1000);
  const dir = runDir(opts.artifacts, start, opts.verdict.profile);
  await mkdir(dir, { recursive: true });

  const partial = join(dir, `.metrics.om.${process.pid}.tmp`);
  const file = await open(partial, 'w');
  let exported;
  try {
    exported = await exportRun(
      {
        url: evidence.url,
        jobs,
        ruleMetrics: rawMetricsRead(rules),
        excluded: new Set([
          'ALERTS',
          'ALERTS_FOR_STATE',
          ...rules.filter((r) => r.type === 'recording').map((r) => r.name),
        ]),
        from,
        to,
      },
      async (text) => void (await file.write(text)),
    );
    await file.write(OM_EOF);
  } finally {
    await file.close();
  }
  let bytes = (await stat(partial)).size;
  const gzip = bytes > (opts.gzipAboveBytes ?? 1 << 20);
  const metricsFile = gzip ? 'metrics.om.gz' : 'metrics.om';
  if (gzip) {
    const zipped = `${partial}.gz`;
    await pipeline(createReadStream(partial), createGzip(), createWriteStream(zipped));
    await rm(partial);
    bytes = (await stat(zipped)).size;
    await rename(zipped, join(dir, metricsFile));
  } else await rename(partial, join(dir, metricsFile));

  const failures = opts.verdict.failures;
  const record: RunRecord = {
    schema: RUN_SCHEMA_ID,
    profile: opts.verdict.profile,
    window: { start: start.toISOString(), end: to.toISOString() },
    verdict: opts.verdict.verdict,
    failingGateAlerts: [...new Set(failures.filter((f) => f.source === 'gate-alert').map((f) => f.subject))].sort(),
    failedSources: [...new Set(failures.map((f) => f.source))].sort(),
    recorded: {
      prometheus: evidence.url,
      from: from.toISOString(),
      to: to.toISOString(),
      lookbackSeconds: lookback,
      scrapeIntervalSeconds: intervals.scrape,
      evaluationIntervalSeconds: intervals.evaluation,
      jobs: [...jobs],
      metricsFile,
      series: exported.series,
      samples: exported.samples,
      skippedNativeHistograms: [...exported.skippedNativeHistograms],
    },
    rules: await rulesCommit(opts.root ?? process.cwd()),
  };
  const tmp = join(dir, `.run.json.${process.pid}.tmp`);
  await writeFile(tmp, `${JSON.stringify(record, null, 2)}\n`);
  await rename(tmp, join(dir, 'run.json'));
  return { dir, record, bytes, ms: Math.round(performance.now() - t0) };
}

/** recordRun for the end of a gate run: a failure to record is reported, never a changed verdict. */
export async function recordRunReported(opts: RecordOptions, echo: (text: string) => void): Promise<void> {
  try {
    const r = await recordRun(opts);
    if (r)
      echo(
        `\nRecorded for backtests: ${r.dir} (${r.record.recorded.series} series, ${r.record.recorded.samples} samples, ${Math.round(r.bytes / 1024)} KiB, ${r.ms} ms)\n`,
      );
  } catch (err) {
    echo(`\nThis run was not recorded for backtests: ${(err as Error).message}\n`);
  }
}
