// The report against a baseline: each SLO side by side (baseline, this run, change, confidence,
// outcome) and an overlay chart per SLO with the baseline run dashed beside this one; the comparison
// from the verdict's own section or made afresh from --baseline FILE; a bad or foreign baseline file
// is refused naming file and field; without a baseline the report says the relative part was not judged.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { httpRequestDuration } from '../../src/catalog/metrics.js';
import { loadProfile } from '../../src/gate/profile-file.js';
import type { SliDistribution } from '../../src/gate/verdict/baseline/schema.js';
import { compareToBaseline, withBaseline, type Verdict } from '../../src/gate/verdict/index.js';
import { baselineChartsSvg, baselineOf, baselineReportMarkdown } from '../../src/report/baseline.js';
import { ReportInputError } from '../../src/report/inputs.js';
import { verdictOf } from '../fixtures/verdicts.js';
import { ROOT } from '../helpers.js';

const LE = [...httpRequestDuration.spec.buckets];
const smoke = await loadProfile(join(ROOT, 'load/profiles/smoke.json'));
const moderate = await loadProfile(join(ROOT, 'load/profiles/moderate.json'));

function api(p95: number, n: number): SliDistribution {
  const counts = new Array<number>(LE.length + 1).fill(0);
  for (let i = 0; i < n; i++) {
    const x = (-p95 / Math.log(20)) * Math.log(1 - (i + 0.5) / n);
    const b = LE.findIndex((le) => x <= le);
    counts[b === -1 ? LE.length : b]!++;
  }
  const points = Array.from({ length: 20 }, (_, t) => [t, p95 * (0.9 + 0.01 * t)] as [number, number]);
  return {
    kind: 'histogram',
    query: 'q',
    le: LE,
    counts,
    series: { stepSeconds: 1, windowSeconds: 4, expr: 'e', points },
  };
}
const run = (p95: number, profile = smoke): Verdict => ({
  ...verdictOf(profile),
  distributions: { 'api-latency-p95': api(p95, 3000) },
});

describe('report: the run against its baseline', () => {
  let dir: string;
  before(async () => void (dir = await mkdtemp(join(tmpdir(), 'stressgate-report-baseline-'))));
  after(() => rm(dir, { recursive: true, force: true }));

  it('shows every SLO side by side, REGRESSED in bold with its reason, and overlays the baseline dashed', async () => {
    const current = run(0.28);
    const v = withBaseline(
      current,
      compareToBaseline(
        current,
        ['a', 'b', 'c'].map((r) => ({ verdict: run(0.09), file: `runs/${r}/verdict.json` })),
        'fail',
      ),
    );
    const section = await baselineOf({ file: 'verdict.json', data: v });
    const md = baselineReportMarkdown(section);
    assert.match(
      md,
      /^Against 3 baseline runs, newest runs\/a\/verdict\.json \(profile smoke, PASS, .*\)\. \*\*REGRESSED: api-latency-p95\*\* \(the profile fails on it\)/,
    );
    assert.match(
      md,
      /\| api-latency-p95 \| 9\d.* ms \| 2\d\d.* ms \| \+1\d\d.* ms \(\+\d+\.\d%\) \| worse by more than 10% and 20ms \| 100\.00% .*\| \*\*REGRESSED\*\* \|/,
    );
    assert.match(md, /\| http-5xx-ratio \| 0% \| 0% \| — \| .* \| NOT COMPARABLE \|/, 'no counts kept: not compared');
    const svgs = baselineChartsSvg(section, { file: 'verdict.json', data: v });
    assert.equal(svgs.length, v.slos.length);
    const overlay = svgs.find((s) => s.includes('data-slo="api-latency-p95-baseline"'))!;
    assert.match(overlay, /data-current="20" data-baseline="20"/);
    assert.match(
      overlay,
      /class="series baseline" d="M[^"]+" fill="none" stroke="#7f7f7f" stroke-width="1.8" stroke-dasharray="6 4"/,
    );
    assert.match(overlay, /class="series current" d="M[^"]+"/);
    assert.match(overlay, /REGRESSED: 9\d.* ms → 2\d\d.* ms/);
  });

  it('compares afresh with --baseline FILE, and refuses a foreign, broken or unreadable one naming file and field', async () => {
    const base = join(dir, 'base.json');
    await writeFile(base, JSON.stringify(run(0.09)));
    const section = await baselineOf({ file: 'verdict.json', data: run(0.28) }, base);
    // One baseline file: worse beyond the tolerance and the run's noise, but the noise between runs is unknown.
    assert.deepEqual(
      [section!.regressed, section!.slos.find((s) => s.slo === 'api-latency-p95')!.outcome],
      [[], 'WORSE'],
    );
    const foreign = join(dir, 'moderate.json');
    await writeFile(foreign, JSON.stringify(run(0.09, moderate)));
    await assert.rejects(
      baselineOf({ file: 'verdict.json', data: run(0.28) }, foreign),
      (e: Error) =>
        e instanceof ReportInputError && /moderate\.json: field "profile": .*"moderate".*"smoke"/.test(e.message),
    );
    const broken = join(dir, 'broken.json');
    await writeFile(broken, JSON.stringify({ ...run(0.09), verdict: 'GREAT' }));
    await assert.rejects(
      baselineOf({ file: 'verdict.json', data: run(0.28) }, broken),
      /broken\.json: field "verdict"/,
    );
    await assert.rejects(
      baselineOf({ file: 'verdict.json', data: run(0.28) }, join(dir, 'none.json')),
      /none\.json: cannot read/,
    );
  });

  it('without a baseline says the relative criteria were not judged, and draws no overlay', async () => {
    const section = await baselineOf({ file: 'verdict.json', data: run(0.28) });
    assert.match(baselineReportMarkdown(section), /^\*\*No baseline: relative criteria not judged\*\*/);
    assert.deepEqual(baselineChartsSvg(section, { file: 'verdict.json', data: run(0.28) }), []);
  });
});
