// Choosing the baseline: the run archive's naming (artifacts/runs/<ISO start with dashes>-<profile>/),
// `latest-pass` taking the newest PASS release verdicts of the same profile (never a FAIL, a PARTIAL,
// another profile's, or an unreadable file), and a --baseline FILE refused before any load runs when
// it is unreadable, not a verdict, another profile's or not a passing release verdict (exit 2, naming
// the file and the field).
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BASELINE_RUNS, resolveBaseline } from '../../src/gate/baseline-file.js';
import { loadProfile } from '../../src/gate/profile-file.js';
import { archiveFile, listRuns, runDir, runDirName } from '../../src/gate/run-archive.js';
import { runGate } from '../../src/gate/run.js';
import type { Verdict } from '../../src/gate/verdict/index.js';
import { UsageError } from '../../src/usage-error.js';
import { parseProfile } from '../../src/load-contract/profile.js';
import { healthySummary, verdictOf } from '../fixtures/verdicts.js';
import { readFile } from 'node:fs/promises';
import { ROOT } from '../helpers.js';

const smoke = await loadProfile(join(ROOT, 'load/profiles/smoke.json'));
const moderate = await loadProfile(join(ROOT, 'load/profiles/moderate.json'));
const pass = (start: string, profile = smoke): Verdict => ({
  ...verdictOf(profile),
  window: { start, end: start.replace(/Z$/, '9Z') },
});
const failing = (start: string): Verdict => ({ ...pass(start), verdict: 'FAIL', release: false });

describe('run archive', () => {
  it('names a run by its start (no colons) and profile, and lists runs newest first, ignoring other names', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'stressgate-runs-'));
    try {
      assert.equal(runDirName(new Date('2026-12-07T02:10:00.123Z'), 'smoke'), '2026-12-07T02-10-00Z-smoke');
      assert.equal(
        runDir(dir, new Date('2026-12-07T02:10:00Z'), 'smoke'),
        join(dir, 'runs/2026-12-07T02-10-00Z-smoke'),
      );
      await archiveFile(dir, new Date('2026-12-07T02:10:00Z'), 'smoke', 'verdict.json', '{}');
      await archiveFile(dir, new Date('2026-12-08T01:00:00Z'), 'soak', 'verdict.json', '{}');
      await mkdir(join(dir, 'runs/not-a-run'), { recursive: true });
      const runs = await listRuns(dir);
      assert.deepEqual(
        runs.map((r) => [r.name, r.profile, r.start.toISOString()]),
        [
          ['2026-12-08T01-00-00Z-soak', 'soak', '2026-12-08T01:00:00.000Z'],
          ['2026-12-07T02-10-00Z-smoke', 'smoke', '2026-12-07T02:10:00.000Z'],
        ],
      );
      assert.deepEqual(await listRuns(join(dir, 'nowhere')), []);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('profile regression policy', () => {
  it('takes "fail" or "warn", and names the field for anything else', () => {
    const { $schema: _s, ...body } = smoke as typeof smoke & { $schema?: string };
    assert.equal(parseProfile('load/profiles/smoke.json', { ...body, regression: 'warn' }).regression, 'warn');
    assert.throws(
      () => parseProfile('load/profiles/smoke.json', { ...body, regression: 'maybe' }),
      /load\/profiles\/smoke\.json: field "regression": regression must be "fail" or "warn"/,
    );
  });
});

describe('--baseline', () => {
  let dir: string;
  const keep = (v: Verdict, body?: string) =>
    archiveFile(dir, new Date(v.window.start), v.profile, 'verdict.json', body ?? JSON.stringify(v));
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'stressgate-baseline-file-'));
    await keep(pass('2026-12-01T10:00:00Z'));
    await keep(pass('2026-12-02T10:00:00Z'));
    await keep(failing('2026-12-03T10:00:00Z'));
    await keep(pass('2026-12-04T10:00:00Z', moderate));
    await keep(pass('2026-12-05T10:00:00Z'), '{ broken');
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('latest-pass: the newest PASS release verdicts of this profile, newest first, skipping FAIL, other profiles and broken files', async () => {
    const b = await resolveBaseline('latest-pass', dir, 'smoke');
    assert.deepEqual(
      b.runs.map((r) => r.verdict.window.start),
      ['2026-12-02T10:00:00Z', '2026-12-01T10:00:00Z'],
    );
    assert.equal(b.file, join(dir, 'runs/2026-12-02T10-00-00Z-smoke/verdict.json'));
    assert.ok(BASELINE_RUNS >= 3, 'enough runs for their spread');
  });

  it('latest-pass with no passing run of the profile says so: no baseline, relative criteria not judged', async () => {
    const b = await resolveBaseline('latest-pass', dir, 'stress');
    assert.equal(b.verdict, null);
    assert.match(
      b.note,
      /^no baseline: relative criteria not judged \(latest-pass: no PASS release verdict of profile stress in .*runs\)$/,
    );
    assert.match((await resolveBaseline('', dir, 'smoke')).note, /no --baseline given/);
  });

  it('a FILE that is unreadable, not JSON, not a verdict, another profile or a failing run is a usage error naming file and field', async () => {
    const file = (name: string, body: unknown) => {
      const f = join(dir, name);
      return writeFile(f, typeof body === 'string' ? body : JSON.stringify(body)).then(() => f);
    };
    const cases: [string, RegExp][] = [
      [join(dir, 'none.json'), /none\.json: cannot read it \(ENOENT\)/],
      [await file('text.json', 'nope'), /text\.json: not valid JSON/],
      [await file('shape.json', { ...pass('2026-12-01T10:00:00Z'), slos: 'x' }), /shape\.json: field "slos"/],
      [
        await file('moderate.json', pass('2026-12-01T10:00:00Z', moderate)),
        /moderate\.json: field "profile": the baseline ran profile "moderate", this run "smoke"/,
      ],
      [
        await file('fail.json', failing('2026-12-01T10:00:00Z')),
        /fail\.json: field "verdict": FAIL \(release: false\): a baseline must be a passing release verdict/,
      ],
    ];
    for (const [f, msg] of cases)
      await assert.rejects(
        resolveBaseline(f, dir, 'smoke'),
        (e: Error) => e instanceof UsageError && msg.test(e.message),
        f,
      );
    const two = await resolveBaseline(
      `${await file('a.json', pass('2026-12-01T10:00:00Z'))},${await file('b.json', pass('2026-12-02T10:00:00Z'))}`,
      dir,
      'smoke',
    );
    assert.equal(two.runs.length, 2, 'FILE,FILE pools both');
  });

  it('stressgate gate archives its verdict under runs/ and says when there was no baseline to compare with', async () => {
    const out = join(dir, 'gate-archive');
    const summary = join(dir, 'summary.json');
    await writeFile(summary, JSON.stringify(healthySummary()));
    const args = ['--summary', summary, '--profile', 'smoke', '--baseline', 'latest-pass', '--out', out];
    const saved = process.stdout.write.bind(process.stdout);
    process.stdout.write = () => true;
    try {
      assert.equal(
        await runGate([...args, '--start', '2026-12-06T10:00:00Z', '--end', '2026-12-06T10:00:21Z'], ROOT),
        3,
      );
    } finally {
      process.stdout.write = saved;
    }
    const [run] = await listRuns(out);
    assert.equal(run?.name, '2026-12-06T10-00-00Z-smoke');
    const v = JSON.parse(await readFile(join(run!.dir, 'verdict.json'), 'utf8')) as Verdict;
    assert.equal(v.baseline?.status, 'none');
    assert.match(v.baseline!.note, /latest-pass: no PASS release verdict of profile smoke/);
    assert.match(
      await readFile(join(out, 'verdict.md'), 'utf8'),
      /## Baseline\n\n\*\*no baseline: relative criteria not judged/,
    );
  });

  it('stressgate gate refuses a bad --baseline before judging anything (nothing written)', async () => {
    const out = join(dir, 'gate-out');
    await assert.rejects(
      runGate(
        [
          '--summary',
          join(ROOT, 'package.json'),
          '--profile',
          'smoke',
          '--baseline',
          join(dir, 'none.json'),
          '--out',
          out,
        ],
        ROOT,
      ),
      (e: Error) => e instanceof UsageError && /--baseline .*none\.json: cannot read it/.test(e.message),
    );
    assert.deepEqual(await listRuns(out), []);
  });
});
