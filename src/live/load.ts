// The load a live check runs: the smoke profile on k6 with remote write into the live Prometheus when
// k6 is found (so the release-gate dashboard's k6 panels are proven too), else on the Node runner.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { flows } from '../../load/flows/index.js';
import { runProfile } from '../../load/node/runner.js';
import { allowedHosts } from '../gate/interlock.js';
import { findK6, K6_MISSING } from '../gate/k6-driver/binary.js';
import { versionText } from '../k6-script/generations.js';
import { runK6 } from '../gate/k6-driver/run.js';
import type { Profile } from '../load-contract/profile.js';
import type { Finding } from '../kernel/findings.js';

export type K6Mode = 'auto' | 'require' | 'off';

export interface SmokeLoad {
  readonly runner: string;
  readonly start: Date;
  readonly end: Date;
  readonly checksRate: number | null;
  readonly iterations: number;
  /** k6 ran and wrote its metrics into Prometheus: its panels and series must be live. */
  readonly k6Ran: boolean;
  readonly findings: Finding[];
}

export async function runSmokeLoad(opts: {
  root: string;
  profile: Profile;
  target: URL;
  remoteWriteUrl?: string;
  k6: K6Mode;
  log: (l: string) => void;
}): Promise<SmokeLoad> {
  const k6 = opts.k6 === 'off' ? undefined : await findK6(opts.root);
  if (!k6 || !opts.remoteWriteUrl) {
    const findings: Finding[] =
      opts.k6 === 'require'
        ? [
            {
              rule: 'live-k6-missing',
              file: 'src/live/load.ts',
              object: 'k6',
              message: k6
                ? 'no remote-write URL for k6 (an external Prometheus without K6_PROMETHEUS_RW_SERVER_URL)'
                : K6_MISSING,
              fix: 'install k6 (or set K6_BIN), and give k6 a Prometheus remote-write endpoint',
            },
          ]
        : [];
    const run = await runProfile({ profile: opts.profile, flows, target: opts.target, allowedHosts: allowedHosts() });
    const c = run.summary.metrics.checks;
    return {
      runner: 'node',
      start: run.start,
      end: run.end,
      checksRate: c?.value ?? null,
      iterations: run.summary.metrics.iterations?.count ?? 0,
      k6Ran: false,
      findings,
    };
  }
  const out = await mkdtemp(join(tmpdir(), 'stressgate-live-k6-'));
  try {
    opts.log(`k6 ${versionText(k6.version)} (${k6.generation} bundle) writing to ${opts.remoteWriteUrl}`);
    const run = await runK6({
      root: opts.root,
      k6,
      profile: opts.profile,
      target: opts.target,
      out,
      allowedHosts: allowedHosts(),
      testid: `live-${Date.now().toString(36)}`,
      remoteWriteUrl: opts.remoteWriteUrl,
      echo: () => {},
    });
    const summary = JSON.parse(await readFile(run.summaryFile, 'utf8')) as {
      metrics: Record<string, Record<string, number>>;
    };
    const c = summary.metrics.checks;
    const findings: Finding[] = [
      ...run.failures,
      ...run.log.remoteWriteErrors.map((e) => ({ source: 'k6', subject: 'remote write', reason: e })),
    ].map((f) => ({
      rule: 'live-k6-run',
      file: 'load/k6/main.ts',
      object: `k6 ${f.subject}`,
      message: f.reason,
      fix: 'run `stressgate load --runner k6 --profile smoke` against the same target and read artifacts/verdict.md',
    }));
    const rate = c ? (c.passes ?? 0) / Math.max(1, (c.passes ?? 0) + (c.fails ?? 0)) : null;
    return {
      runner: `k6 ${versionText(k6.version)}`,
      start: run.start,
      end: run.end,
      checksRate: rate,
      iterations: summary.metrics.iterations?.count ?? 0,
      k6Ran: true,
      findings,
    };
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}
