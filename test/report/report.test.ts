// The stress report without a live stack: chart ranges, the go/no-go evaluation and badge over
// artifact files, bad input, the template and the Markdown rendering. The real run, Prometheus,
// Chromium and PDF are in report-live.test.ts.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { slos } from '../../src/slos/index.js';
import { metrics, re } from '../../src/catalog/index.js';
import { App, Stack } from '../../src/constructs/construct.js';
import { RuleGroup } from '../../src/constructs/rules.js';
import { ratioRule } from '../../src/constructs/sli-rules.js';
import type { Slo } from '../../src/constructs/slo.js';
import { lineChartSvg, niceMax } from '../../src/report/chart.js';
import { badgeOf, COMMAND, DRILLS, evaluateChecklist, type ChecklistContext } from '../../src/report/checklist.js';
import { markdownToHtml } from '../../src/report/html.js';
import { runReport } from '../../src/report/index.js';
import { readInputs } from '../../src/report/inputs.js';
import { fillTemplate } from '../../src/report/markdown.js';
import { planRange } from '../../src/report/range.js';
import { parsePromDuration } from '../../src/kernel/duration.js';
import { REPORT_SLOS, sliQuery, type MeasuredSlo } from '../../src/report/slo-charts.js';
import { loadProfile } from '../../src/gate/profile-file.js';
import type { Verdict } from '../../src/gate/verdict/index.js';
import { healthySummary, verdictOf } from '../fixtures/verdicts.js';
import { ROOT } from '../helpers.js';
import { millis } from '../slo-values.js';

const WINDOW = { start: '2026-11-24T10:00:00.000Z', end: '2026-11-24T10:20:00.000Z' };
const PROFILES = Object.fromEntries(
  await Promise.all(
    ['moderate', 'soak', 'smoke', 'stress'].map(
      async (n) => [n, await loadProfile(join(ROOT, `load/profiles/${n}.json`))] as const,
    ),
  ),
);

/** A verdict as the gate writes it (the real judging code, test/fixtures/verdicts.ts), with `extra` fields laid over it. */
/** A full moderate run whose chat delivery has no samples: NOT MEASURED, so FAIL. */
const notMeasured = (): Verdict => {
  const { chat_delivery: _dropped, ...metrics } = healthySummary().metrics;
  return { ...verdictOf(PROFILES.moderate!, { summary: { metrics } }), window: WINDOW };
};

const verdict = (
  profile: string,
  word: 'PASS' | 'FAIL' | 'PARTIAL' = 'PASS',
  extra: Record<string, unknown> = {},
): Verdict => {
  const summary = healthySummary();
  const failing = {
    metrics: { ...summary.metrics, http_req_duration: { 'p(95)': millis(slos.apiLatencyP95) * 3, count: 3710 } },
  };
  const v = verdictOf(
    PROFILES[profile]!,
    word === 'PARTIAL' ? { prometheus: false } : word === 'FAIL' ? { summary: failing } : {},
  );
  assert.equal(v.verdict, word, `fixture ${profile} ${word}`);
  return { ...v, window: WINDOW, ...extra };
};

/** A journeys.json as journeys/journeys-reporter.ts writes it: one journey, one budgeted step. */
const journeysFile = (
  status: 'passed' | 'failed',
  samples = [Math.round(millis(slos.notificationDeliveryP95) * 0.36)],
) => ({
  version: 1,
  baseUrl: 'http://127.0.0.1:18080',
  grep: '@preprod',
  startedAt: WINDOW.start,
  finishedAt: WINDOW.end,
  report: 'report/index.html',
  journeys: [
    {
      id: 'notification',
      title: 'login → post → comment → notification',
      tags: ['@preprod'],
      status,
      pass: status === 'passed',
      durationMs: 2100,
      steps: [
        {
          name: 'notification badge after comment',
          slo: slos.notificationDeliveryP95.id,
          budgetMs: millis(slos.notificationDeliveryP95),
          samples,
          ms: Math.max(...samples),
          pass: status === 'passed',
        },
      ],
      error: status === 'passed' ? null : 'badge not seen within 5000 ms',
      traces: [],
    },
  ],
});
const UNDER_LOAD = {
  sections: {
    journeys: {
      title: 'Browser journeys',
      pass: true,
      failures: [],
      details: {
        underLoad: {
          profile: 'moderate',
          loadStart: WINDOW.start,
          loadEnd: WINDOW.end,
          journeysStart: WINDOW.start,
          journeysEnd: WINDOW.end,
        },
      },
    },
  },
};

/** A soak's stability judgement whose memory rose `rise` bytes over the profile (the bound: 25% of 80 MB). */
function stabilityJudgement(rise: number): Record<string, unknown> {
  const pass = rise <= 20e6;
  const metric = (id: string, unit: string, outcome: string) => ({
    id,
    title: id,
    unit,
    windows: 30,
    worst: 1,
    start: id === 'resident-memory' ? 80e6 : 0.001,
    slopePerHour: id === 'resident-memory' ? rise / 2 : 0,
    rise: id === 'resident-memory' ? rise : 0,
    endLevel: 1,
    p: id === 'resident-memory' && !pass ? 0.001 : 0.5,
    significant: id === 'resident-memory' && !pass,
    bound: { maxRiseRatio: 0.25 },
    limit: 20e6,
    outcome,
    reason: outcome === 'PASS' ? 'no significant rise' : 'rises 143 MiB/h: 286 MiB over the profile, above the bound',
  });
  return {
    judged: true,
    reason: 'a soak profile',
    span: { start: WINDOW.start, end: WINDOW.end, seconds: 7000 },
    warmupSeconds: 600,
    windowSeconds: 240,
    durationSeconds: 7200,
    alpha: 0.05,
    metrics: [metric('resident-memory', 'bytes', pass ? 'PASS' : 'FAIL'), metric('error-ratio', 'ratio', 'PASS')],
    pass,
  };
}

/** Every input a release needs, each passing. */
const COMPLETE: Record<string, unknown> = {
  'verdicts/moderate.json': verdict('moderate', 'PASS', UNDER_LOAD),
  'verdicts/soak.json': verdict('soak', 'PASS', {
    stability: stabilityJudgement(4e6),
  }),
  'signal-coverage.json': { pass: true, findings: [] },
  ...Object.fromEntries(
    Object.keys(DRILLS).map((d) => [`drills/${d}.json`, { drill: d, pass: true, messages: { lost: 0 }, failures: [] }]),
  ),
  'playwright/journeys.json': journeysFile('passed'),
  'alerts-diff.json': {
    version: 1,
    base: { ref: 'v1.3.0' },
    head: 'working tree',
    changed: false,
    weaker: [],
    review: [],
  },
};

async function artifacts(files: Record<string, unknown>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'stressgate-report-'));
  for (const [f, body] of Object.entries(files)) {
    if (body === undefined) continue;
    await mkdir(dirname(join(dir, f)), { recursive: true });
    await writeFile(join(dir, f), typeof body === 'string' ? body : JSON.stringify(body));
  }
  return dir;
}

const measured = (points: number): { measured: MeasuredSlo[] } => ({
  measured: REPORT_SLOS.map((slo) => ({
    slo,
    series: points ? [{ name: 'all', points: [[1, 0.1] as const] }] : [],
    points,
    ...(points ? {} : { reason: 'no samples' }),
  })),
});

async function evaluate(files: Record<string, unknown>, charts: ChecklistContext['charts'] = measured(10)) {
  const dir = await artifacts(files);
  try {
    const lines = evaluateChecklist({ inputs: await readInputs(dir), charts });
    return {
      lines,
      badge: badgeOf(lines),
      gaps: lines.flatMap((l) => l.gaps),
      state: Object.fromEntries(lines.map((l) => [l.id, l.state])),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('report chart ranges', () => {
  it('fits a 20 s run scraped every 15 s: a window of 4 scrapes, the range past the run by scrape + evaluation', () => {
    const run = { start: new Date('2026-11-24T10:00:00Z'), end: new Date('2026-11-24T10:00:20Z') };
    const p = planRange(run, { scrapeSeconds: 15, evaluationSeconds: 15, source: 'test' });
    assert.equal(p.windowSeconds, 60);
    assert.equal(p.stepSeconds, 1);
    assert.equal(p.end.toISOString(), '2026-11-24T10:00:50.000Z');
    assert.equal(p.start.toISOString(), run.start.toISOString());
  });
  it('fits a 2 h soak with a step that keeps the chart to a few hundred points', () => {
    const p = planRange(
      { start: new Date(0), end: new Date(7200_000) },
      { scrapeSeconds: 15, evaluationSeconds: 30, source: 'test' },
    );
    assert.equal(p.stepSeconds, 30);
    assert.equal(p.windowSeconds, 60);
    assert.ok((p.end.getTime() - p.start.getTime()) / 1000 / p.stepSeconds < 250);
  });
  it('resizes each SLI to the chosen window and breaks it down by a label', () => {
    const q = sliQuery(slos.apiLatencyP95, 60);
    assert.match(q, /\[60s\]/);
    assert.doesNotMatch(q, /\[10m\]/);
    assert.match(
      sliQuery(slos.chatDeliveryP95, 4, 'conversation_type'),
      /sum by \(job, conversation_type, le\) \(rate\(chat_message_delivery_seconds_bucket\{job="api"\}\[4s\]\)\)/,
    );
    // Every gate SLO has a chart: a new SLO cannot be left out of the report.
    assert.deepEqual(
      REPORT_SLOS.map((s) => s.id).sort(),
      Object.values(slos)
        .map((s) => s.id)
        .sort(),
    );
  });
  it('rebuilds each SLI from its template: over its own window it is the rule exactly, and text that looks like the window is left alone', () => {
    for (const slo of REPORT_SLOS) {
      const seconds = parsePromDuration(slo.window)!;
      assert.equal(sliQuery(slo, seconds), slo.sli.expr.text.split(`[${slo.window}]`).join(`[${seconds}s]`), slo.id);
    }
    // A route regex holding "[5m]": editing the expression as a string rewrote the selector too.
    const rule = ratioRule(new RuleGroup(new Stack(new App(), 'test'), 'g'), 'r', {
      record: 'job:x:ratio_rate5m',
      errors: metrics.httpRequests.select({ route: re('/api/x[5m]'), status: re('5..') }),
      total: metrics.httpRequests.select({ route: re('/api/x[5m]') }),
      window: '5m',
      examples: {
        error: { method: 'GET', route: '/api/x5', status: '503' },
        ok: { method: 'GET', route: '/api/x5', status: '200' },
      },
    });
    const q = sliQuery({ id: 'x', window: '5m', sli: rule } as unknown as Slo, 60, 'instance');
    assert.equal(
      q,
      '(sum by (job, instance) (rate(http_requests_total{route=~"/api/x[5m]", status=~"5.."}[60s])) or sum by (job, instance) (rate(http_requests_total{route=~"/api/x[5m]"}[60s])) * 0) / sum by (job, instance) (rate(http_requests_total{route=~"/api/x[5m]"}[60s]))',
    );
  });
});

describe('report go/no-go and badge', () => {
  it('reads PASS only when every line has its evidence and it holds', async () => {
    const r = await evaluate(COMPLETE);
    assert.deepEqual(r.gaps, []);
    assert.equal(r.badge, 'PASS', JSON.stringify(r.lines, null, 1));
  });

  it('reads INCOMPLETE with no inputs, and lists the command for each missing one', async () => {
    const r = await evaluate({ 'verdict.json': verdict('smoke') }, { unavailable: 'no PROMETHEUS_URL given' });
    assert.equal(r.badge, 'INCOMPLETE');
    const commands = r.gaps.map((g) => g.command);
    for (const c of [
      COMMAND.moderate,
      COMMAND.charts,
      COMMAND.live,
      COMMAND.journeys,
      COMMAND.soak,
      COMMAND.alertsDiff,
      ...Object.values(DRILLS),
    ])
      assert.ok(commands.includes(c), `${c} listed`);
    assert.match(
      r.lines.find((l) => l.id === 'gate')!.evidence,
      /No moderate-profile verdict \(only smoke in verdict\.json\)/,
    );
  });

  const defects: [string, Record<string, unknown>, string, 'FAIL' | 'INCOMPLETE'][] = [
    ['a moderate FAIL', { 'verdicts/moderate.json': verdict('moderate', 'FAIL') }, 'gate', 'FAIL'],
    ['a smoke FAIL in verdict.json', { 'verdict.json': verdict('smoke', 'FAIL') }, 'gate', 'FAIL'],
    [
      'a PARTIAL verdict (no Prometheus: not a release verdict)',
      { 'verdicts/moderate.json': verdict('moderate', 'PARTIAL') },
      'gate',
      'INCOMPLETE',
    ],
    ['a full run with an SLO NOT MEASURED (FAIL)', { 'verdicts/moderate.json': notMeasured() }, 'gate', 'FAIL'],
    ['a failed drill', { 'drills/db.json': { pass: false, failures: ['3 messages lost'] } }, 'drills', 'FAIL'],
    ['a missing drill', { 'drills/alerts.json': undefined }, 'drills', 'INCOMPLETE'],
    ['live verification FAIL', { 'signal-coverage.json': { pass: false, findings: [{}] } }, 'live', 'FAIL'],
    ['a failed journey', { 'playwright/journeys.json': journeysFile('failed') }, 'journeys', 'FAIL'],
    [
      'a journey step over its SLO budget, though the file says passed',
      { 'playwright/journeys.json': journeysFile('passed', [millis(slos.notificationDeliveryP95) + 120]) },
      'journeys',
      'FAIL',
    ],
    [
      'a journeys file not written by the reporter',
      { 'playwright/journeys.json': { journeys: [{ name: 'dm', status: 'passed' }] } },
      'journeys',
      'FAIL',
    ],
    ['journeys that ran without load', { 'verdicts/moderate.json': verdict('moderate') }, 'journeys', 'INCOMPLETE'],
    [
      'soak memory rising significantly past its bound',
      {
        'verdicts/soak.json': verdict('soak', 'PASS', {
          stability: stabilityJudgement(300e6),
        }),
      },
      'soak',
      'FAIL',
    ],
    ['a soak without stability numbers', { 'verdicts/soak.json': verdict('soak') }, 'soak', 'INCOMPLETE'],
    [
      'a weaker gate alert',
      {
        'alerts-diff.json': {
          base: { ref: 'v1.3.0' },
          weaker: [{ name: 'Http5xxRatioHigh', reasons: ['threshold > 0.005 → > 0.05'] }],
          review: [],
        },
      },
      'weaker',
      'INCOMPLETE',
    ],
  ];
  for (const [name, change, id, badge] of defects) {
    it(`reads ${badge} on ${name}`, async () => {
      const r = await evaluate({ ...COMPLETE, ...change });
      assert.equal(r.badge, badge);
      assert.equal(r.state[id], badge === 'FAIL' ? 'failed' : 'missing');
    });
  }
  it('judges the latest verdict of a profile: a kept FAIL superseded by a newer PASS in verdict.json', async () => {
    const r = await evaluate({
      ...COMPLETE,
      'verdicts/moderate.json': verdict('moderate', 'FAIL'),
      'verdict.json': verdict('moderate', 'PASS', UNDER_LOAD),
    });
    assert.equal(r.badge, 'PASS');
  });
  it('a failed smoke run still lists the missing moderate verdict', async () => {
    const r = await evaluate({ 'verdict.json': verdict('smoke', 'FAIL') });
    assert.equal(r.badge, 'FAIL');
    assert.ok(r.gaps.some((g) => g.command === COMMAND.moderate));
  });
  it('a stress-profile FAIL (finding the knee) does not fail the report', async () => {
    assert.equal((await evaluate({ ...COMPLETE, 'verdict.json': verdict('stress', 'FAIL') })).badge, 'PASS');
  });
  it('a NOT MEASURED chart counts against the report', async () => {
    const r = await evaluate(COMPLETE, measured(0));
    assert.equal(r.badge, 'INCOMPLETE');
    assert.equal(r.state.charts, 'missing');
    assert.equal(r.gaps.length, REPORT_SLOS.length);
  });
});

describe('report inputs, template and rendering', () => {
  const io = () => {
    const out = { out: '', err: '' };
    return { out, io: { out: (t: string) => void (out.out += t), err: (t: string) => void (out.err += t) } };
  };

  it('refuses a verdict with a wrongly typed field, naming file and field, and writes nothing', async () => {
    const bad = verdict('moderate');
    (bad.slos[0]!.load as Record<string, unknown>).value = 'fast';
    const dir = await artifacts({ 'verdict.json': bad });
    try {
      const c = io();
      assert.equal(await runReport(['--artifacts', dir, '--prometheus', ''], ROOT, c.io), 2);
      assert.match(c.out.err, new RegExp(`${join(dir, 'verdict.json')}: field "slos\\.0\\.load\\.value"`));
      for (const ext of ['md', 'html', 'pdf'])
        assert.ok(!existsSync(join(dir, `stress-report.${ext}`)), `no stress-report.${ext}`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a drill result that is not JSON, and one without its pass field', async () => {
    for (const [body, msg] of [
      ['{', /drills\/redis\.json: not valid JSON/],
      [{ drill: 'redis' }, /drills\/redis\.json: field "pass"/],
    ] as const) {
      const dir = await artifacts({ 'drills/redis.json': body });
      try {
        const c = io();
        assert.equal(await runReport(['--artifacts', dir, '--prometheus', ''], ROOT, c.io), 2);
        assert.match(c.out.err, msg);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    }
  });

  it('without a Chromium to print the PDF, says so and writes none of the three files', async () => {
    const dir = await artifacts({ 'verdict.json': verdict('moderate') });
    const saved = process.env.CHROMIUM_PATH;
    process.env.CHROMIUM_PATH = join(dir, 'no-such-chromium');
    try {
      const c = io();
      assert.equal(await runReport(['--artifacts', dir, '--prometheus', ''], ROOT, c.io), 2);
      assert.match(c.out.err, /cannot start Chromium at .*no-such-chromium .*nothing was written/);
      for (const ext of ['md', 'html', 'pdf'])
        assert.ok(!existsSync(join(dir, `stress-report.${ext}`)), `no stress-report.${ext}`);
    } finally {
      if (saved === undefined) delete process.env.CHROMIUM_PATH;
      else process.env.CHROMIUM_PATH = saved;
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a scrape interval that is not a duration', async () => {
    const dir = await artifacts({ 'verdict.json': verdict('moderate') });
    try {
      const c = io();
      assert.equal(
        await runReport(
          ['--artifacts', dir, '--prometheus', 'http://127.0.0.1:1', '--scrape-interval', 'fast'],
          ROOT,
          c.io,
        ),
        2,
      );
      assert.match(c.out.err, /--scrape-interval: "fast" is not a Prometheus duration/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('with every other input complete, an unreachable Prometheus gives NOT MEASURED charts and no PASS', async () => {
    const dir = await artifacts(COMPLETE);
    try {
      const c = io();
      assert.equal(
        await runReport(['--artifacts', dir, '--prometheus', 'http://127.0.0.1:1'], ROOT, c.io),
        0,
        c.out.err,
      );
      assert.match(c.out.out, /^report: INCOMPLETE \(gate verdict PASS, profile moderate\)/);
      assert.match(
        c.out.out,
        /missing: data for the HTTP 5xx ratio chart \(Prometheus at http:\/\/127\.0\.0\.1:1 unreachable/,
      );
      const html = await readFile(join(dir, 'stress-report.html'), 'utf8');
      assert.equal(html.match(/class="chart not-measured"/g)?.length, REPORT_SLOS.length);
      assert.ok(existsSync(join(dir, 'stress-report.pdf')));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('fills the committed template completely, and refuses one that drops what is missing or names an unknown field', async () => {
    const template = await readFile(join(ROOT, 'docs/final-testing/stress-test-report-template.md'), 'utf8');
    const keys = [...template.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]!);
    const filled = fillTemplate(template, Object.fromEntries(keys.map((k) => [k, `<${k}>`])));
    assert.doesNotMatch(filled, /\{\{\w+\}\}/);
    assert.ok(filled.indexOf('<missing>') < filled.indexOf('## Summary'), 'what is missing comes first');
    assert.throws(
      () => fillTemplate(template.replace('{{missing}}', ''), {}),
      /\{\{missing\}\} placeholder is required/,
    );
    assert.throws(
      () => fillTemplate('{{status}} {{missing}} {{checklist}} {{colour}}', { status: '', missing: '', checklist: '' }),
      /unknown placeholder \{\{colour\}\}/,
    );
  });

  it('renders Markdown to HTML: headings, tables with coloured status cells, task lists; no Markdown syntax left', () => {
    const html = markdownToHtml(
      '# Title\n\n| SLO | result |\n|---|---|\n| a | PASS |\n| b | FAIL |\n| c | NOT MEASURED |\n\n- [x] done\n- [ ] **MISSING** open\n',
    );
    assert.match(html, /<h1 id="title">Title<\/h1>/);
    assert.match(html, /<td class="status pass">PASS<\/td>/);
    assert.match(html, /<td class="status fail">FAIL<\/td>/);
    assert.match(html, /<td class="status fail">NOT MEASURED<\/td>/);
    assert.match(html, /<input checked="" disabled="" type="checkbox">/);
    assert.match(html, /<strong class="status warn">MISSING<\/strong>/);
    assert.doesNotMatch(html.replace(/<[^>]+>/g, ''), /#|\|---\||\*\*/);
  });

  it('draws a chart without data as a red NOT MEASURED panel, and a lone sample as a visible dot', () => {
    const base = {
      id: 'x',
      title: 'X',
      format: String,
      threshold: 1,
      range: [0, 100] as const,
      run: [0, 50] as const,
      note: '',
    };
    const blank = lineChartSvg({ ...base, series: [], reason: 'the SLI query returned no samples' });
    assert.match(blank, /class="chart not-measured"/);
    assert.match(blank, />NOT MEASURED</);
    const one = lineChartSvg({ ...base, series: [{ name: 'all', points: [[10, 0.5]] }] });
    assert.match(one, /class="chart measured" data-slo="x" data-points="1"/);
    assert.match(one, /<circle /);
    assert.match(one, /class="run-window"/);
    assert.match(one, /class="threshold"/);
    assert.deepEqual([0.0055, 0.33, 0.5, 0.62, 1.6, 7].map(niceMax), [0.01, 0.5, 0.5, 1, 2, 10]);
  });
});
