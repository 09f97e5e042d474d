// Synth timings: the real project, and generated projects at 1x and 10x scale so the growth ratio
// shows whether synthesis stays linear. Prints ratios measured in this one run. Verify's timings
// against its floor are bench/verify.ts.
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { metrics, re } from '../src/catalog/index.js';
import { ramp, seriesLiteral } from '../src/constructs/alert-cases.js';
import { captureCallSite } from '../src/constructs/call-site.js';
import { App, Construct, Stack } from '../src/constructs/construct.js';
import { Dashboard, Panel, Row } from '../src/constructs/dashboard.js';
import { Alert, RecordingRule, RuleGroup } from '../src/constructs/rules.js';
import { promql } from '../src/promql/expr.js';
import { JOB, quantile, sumRate } from '../src/promql/functions.js';
import { synthesize } from '../src/synth/index.js';

const ROOT = resolve(import.meta.dirname, '..');

function largeProject(dashboards: number, panelsPerDashboard: number, rules: number): App {
  const app = new App('bench');
  const stack = new Stack(app, 'platform');
  for (let d = 0; d < dashboards; d++) {
    const dash = new Dashboard(stack, `bench-${d}`, {
      title: `Bench ${d}`,
      description: 'generated for the benchmark',
      tags: ['bench'],
    });
    let row = new Row(dash, 'r0', { title: 'Row 0' });
    for (let p = 0; p < panelsPerDashboard; p++) {
      if (p > 0 && p % 10 === 0) row = new Row(dash, `r${p / 10}`, { title: `Row ${p / 10}` });
      new Panel(row, `p${p}`, {
        title: `Panel ${p}`,
        description: 'generated panel for the benchmark',
        unit: p % 2 ? 's' : 'reqps',
        width: 6,
        queries: [
          p % 2
            ? { expr: quantile(0.95, metrics.httpRequestDuration, ['route']), legend: '{{route}}' }
            : {
                expr: sumRate(metrics.httpRequests.select({ ...JOB, status: re('5..') }), ['route']),
                legend: '{{route}}',
              },
        ],
      });
    }
  }
  // A quarter alerts, the rest recording rules, 100 rules per group (a group holds one kind).
  const alertCount = Math.floor(rules / 4);
  for (let r = 0; r < rules; r++) {
    const kind = r < alertCount ? 'alerts' : 'records';
    const index = r < alertCount ? r : r - alertCount;
    const groupId = `${kind}-${Math.floor(index / 100)}`;
    const group =
      (stack.children.find((c) => c.id === groupId) as RuleGroup | undefined) ?? new RuleGroup(stack, groupId);
    if (kind === 'alerts') {
      const series = seriesLiteral(metrics.up.name, {});
      new Alert(group, {
        name: `BenchAlert${r}`,
        expr: promql`${metrics.up} == 0`,
        for: '1m',
        severity: 'warning',
        gate: false,
        summary: 'Generated alert.',
        description: 'up is {{ $value | humanize }}.',
        tests: {
          fires: { title: 'down', inputs: [{ series, values: '0x10' }], evalTime: '5m', value: 0 },
          quiet: { title: 'up', inputs: [{ series, values: ramp(0) }], evalTime: '5m' },
        },
      });
    } else {
      new RecordingRule(group, `r${r}`, {
        record: `job:bench_${r}:rate5m`,
        unit: 'count',
        expr: sumRate(metrics.httpRequests.select({ route: `/bench/${r}` }), ['job'], '5m'),
      });
    }
  }
  return app;
}

async function timeMs(fn: () => unknown, runs = 3): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  return samples.sort((a, b) => a - b)[Math.floor(runs / 2)]!; // median
}

async function wallMs(args: string[]): Promise<number> {
  const t0 = performance.now();
  await promisify(execFile)(process.execPath, ['--import', 'tsx', resolve(ROOT, 'src/cli.ts'), ...args], {
    cwd: ROOT,
    maxBuffer: 64 << 20,
  });
  return performance.now() - t0;
}

const { app } = await import('../src/definitions.js');
const real = await timeMs(() => synthesize(app));
const realCli = await wallMs(['synth']);

const small = largeProject(10, 50, 200);
const large = largeProject(100, 50, 2000);
// Every construct captures where it was defined (a stack trace, formatted only for an error): its
// share of building the tree.
const constructs = large.findAll(Construct).length + 1;
const buildMs = await timeMs(() => largeProject(100, 50, 2000));
const sitesMs = await timeMs(() => {
  for (let i = 0; i < constructs; i++) captureCallSite();
});
const smallMs = await timeMs(() => synthesize(small));
const largeMs = await timeMs(() => synthesize(large));
const files = await synthesize(large);
const bytes = [...files.values()].reduce((n, s) => n + s.length, 0);

const fmt = (ms: number) => `${ms.toFixed(0).padStart(6)} ms`;
console.log('stressgate synth benchmark (median of 3 in-process runs; CLI runs include tsx start-up)');
console.log(`real project   synth in-process ${fmt(real)}   synth CLI ${fmt(realCli)}`);
console.log(`generated 1x   10 dashboards x 50 panels, 200 rules     synth ${fmt(smallMs)}`);
console.log(
  `generated 10x  100 dashboards x 50 panels, 2000 rules   synth ${fmt(largeMs)} (goal < 1000 ms: ${largeMs < 1000 ? 'met' : 'MISSED'}); ${files.size} files, ${(bytes / 1e6).toFixed(1)} MB`,
);
console.log(`growth 1x -> 10x: ${(largeMs / smallMs).toFixed(1)}x time for 10x definitions`);
console.log(
  `generated 10x  building the tree (${constructs} constructs) ${fmt(buildMs)}, of which capturing call sites ${fmt(sitesMs)} (${((sitesMs / buildMs) * 100).toFixed(0)}%)`,
);
