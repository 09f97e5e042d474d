// One closed-loop k6 run: N VUs, each sending GET <url> back to back for a fixed time (no think
// time), every VU with a bearer token from the list. Returns k6's own throughput and percentiles.
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface ClosedLoopOptions {
  url: string;
  vus: number;
  seconds: number;
  tokens: readonly string[];
  /** Where the script and the summary go. */
  dir: string;
  label: string;
}

export interface ClosedLoopResult {
  requests: number;
  rps: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  /** Share of requests that were not 200. */
  failed: number;
}

// ES module for k6 v0.48's Babel: no object spread, no `?.`, no `??`.
const SCRIPT = `
import http from 'k6/http';
import { check } from 'k6';
const tokens = __ENV.TOKENS ? __ENV.TOKENS.split(',') : [];
export const options = {
  vus: Number(__ENV.VUS),
  duration: __ENV.DURATION,
  discardResponseBodies: true,
  summaryTrendStats: ['avg', 'med', 'p(95)', 'p(99)', 'max'],
};
export default function () {
  const params = tokens.length ? { headers: { Authorization: 'Bearer ' + tokens[__VU % tokens.length] } } : {};
  const res = http.get(__ENV.URL, params);
  check(res, { 'status 200': (r) => r.status === 200 });
}
`;

export async function closedLoop(opts: ClosedLoopOptions): Promise<ClosedLoopResult> {
  const script = join(opts.dir, 'closed-loop.js');
  const summary = join(opts.dir, `${opts.label}-summary.json`);
  await writeFile(script, SCRIPT);
  const args = [
    'run',
    '--quiet',
    '--no-usage-report',
    '--summary-export',
    summary,
    '-e',
    `URL=${opts.url}`,
    '-e',
    `VUS=${opts.vus}`,
    '-e',
    `DURATION=${opts.seconds}s`,
  ];
  args.push('-e', `TOKENS=${opts.tokens.join(',')}`, script);
  await new Promise<void>((resolve, reject) => {
    const child = spawn('k6', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => void (stderr = (stderr + b.toString()).slice(-4000)));
    // k6 stops VUs 30 s past the duration at the latest; a minute more and it is killed.
    const bound = setTimeout(() => child.kill('SIGKILL'), (opts.seconds + 90) * 1000);
    child.once('error', (e) =>
      reject(new Error(`k6 could not start (${e.message}): put k6 on PATH (make bench-feed adds ../shared/tools/k6)`)),
    );
    child.once('exit', (code) => {
      clearTimeout(bound);
      code === 0 ? resolve() : reject(new Error(`k6 against ${opts.label} exited with ${code}:\n${stderr}`));
    });
  });
  const m = JSON.parse(await readFile(summary, 'utf8')).metrics;
  const d = m.http_req_duration;
  return {
    requests: m.http_reqs.count,
    rps: m.http_reqs.rate,
    p50Ms: d.med,
    p95Ms: d['p(95)'],
    p99Ms: d['p(99)'],
    failed: m.checks ? m.checks.fails / (m.checks.passes + m.checks.fails) : 1,
  };
}
