// SLO objectives, gate thresholds and k6 thresholds in the diff, on real before/after generated
// trees: a project copy whose definitions are edited and re-synthesised (helpers.ts, resynthesized).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  DIFF_OPENSLO_FILE,
  DiffInputError,
  k6Verdict,
  parseK6Threshold,
  profilesOf,
  runDiff,
  type DiffReport,
} from '../../src/diff/index.js';
import { OPENSLO_FILE } from '../../src/openslo/export.js';
import { replaceOnce, resynthesized, section } from './helpers.js';

async function diffOf(root: string, format: 'json' | 'markdown', failOn = 'weaker') {
  let out = '';
  let err = '';
  const code = await runDiff(['--base', 'HEAD', '--format', format, '--fail-on', failOn], {
    root,
    out: (s) => (out += s),
    err: (s) => (err += s),
  });
  return { code, out, err };
}

describe('diff: SLO objectives and k6 thresholds', () => {
  it('reads the OpenSLO export synth writes', () => assert.equal(DIFF_OPENSLO_FILE, OPENSLO_FILE));

  it('a production objective lowered is one weaker SLO item, listed first, with the burn-rate rules it changes under it; raised, stricter', async () => {
    const { root, cleanup } = await resynthesized(async (dir) => {
      const slos = join(dir, 'src/slos/index.ts');
      await replaceOnce(slos, "production: { objective: '99.5%'", "production: { objective: '99%!'");
      await replaceOnce(slos, "production: { objective: '99%'", "production: { objective: '99.5%'");
      await replaceOnce(slos, "production: { objective: '99%!'", "production: { objective: '99%'");
    });
    try {
      const json = await diffOf(root, 'json');
      const report = JSON.parse(json.out) as DiffReport;
      assert.deepEqual(report.weaker, [
        {
          name: 'http-5xx-ratio',
          kind: 'slo',
          verdict: 'weaker',
          reasons: [
            'production objective 99.5% → 99% — weaker: error budget ×2 (0.5% → 1%), every burn-rate alert fires later',
          ],
        },
      ]);
      assert.equal(json.code, 1, '--fail-on weaker fails on a weaker SLO');
      const auth = report.slos.find((s) => s.name === 'auth-failure-ratio')!;
      assert.deepEqual(auth.flags, [
        {
          verdict: 'stricter',
          reason:
            'production objective 99% → 99.5% — stricter: error budget ×0.5 (1% → 0.5%), every burn-rate alert fires sooner',
        },
      ]);
      // The seven burn-rate records and the 30d budget record, and the alerts' texts: all follow from it.
      const http = report.slos.find((s) => s.name === 'http-5xx-ratio')!;
      const records = http.derived.filter((k) => k.startsWith('job:slo_http_5xx_ratio:'));
      assert.equal(records.length, 8, http.derived.join(', '));
      assert.ok(http.derived.includes('Http5xxRatioBudgetBurn1h'), http.derived.join(', '));
      const derived = new Set(report.slos.flatMap((s) => s.derived));
      assert.deepEqual(
        report.rules.changed.filter((c) => !derived.has(c.key)).map((c) => c.key),
        [],
        'every rule change is explained by an SLO',
      );

      const md = (await diffOf(root, 'markdown', 'never')).out;
      const weaker = section(md, '⚠ Weaker');
      assert.ok(
        weaker.includes(
          '- SLO **http-5xx-ratio**: production objective 99.5% → 99% — weaker: error budget ×2 (0.5% → 1%), every burn-rate alert fires later',
        ),
        weaker,
      );
      assert.ok(md.indexOf('### ⚠ Weaker') < md.indexOf('### SLOs'), 'weaker first');
      const slo = section(md, 'SLOs');
      assert.match(slo, /8 recording rules now divide by the new error budget \(`0\.005` → `0\.01`\)/);
      assert.ok(!md.includes('### Recording rules'), 'no rule listed on its own, unexplained');
      assert.ok(!md.includes('### Alerts'), md);
    } finally {
      await cleanup();
    }
  });

  it('k6 thresholds: an SLO gate threshold raised, a profile check rate lowered, a stricter profile bound', async () => {
    const { root, cleanup } = await resynthesized(async (dir) => {
      await replaceOnce(join(dir, 'src/slos/index.ts'), 'threshold: ms(300),', 'threshold: ms(500),');
      await replaceOnce(join(dir, 'load/profiles/moderate.json'), '"minPassRate": 0.99', '"minPassRate": 0.9');
      await replaceOnce(
        join(dir, 'load/profiles/smoke.json'),
        '"checks": {',
        '"stricter": [{ "slo": "http-5xx-ratio", "max": 0.002 }],\n  "checks": {',
      );
    });
    try {
      const report = JSON.parse((await diffOf(root, 'json')).out) as DiffReport;
      assert.deepEqual(
        report.k6Thresholds.map(({ metric, old, new: now, verdict, profiles, slo }) => [
          metric,
          old,
          now,
          verdict,
          profiles,
          slo,
        ]),
        [
          [
            'http_req_duration',
            'p(95)<300',
            'p(95)<500',
            'weaker',
            ['moderate', 'smoke', 'soak', 'stress'],
            'api-latency-p95',
          ],
          ['checks', 'rate>=0.99', 'rate>=0.9', 'weaker', ['moderate'], undefined],
          ['http_5xx', 'rate<0.005', 'rate<0.002', 'stricter', ['smoke'], undefined],
        ],
      );
      assert.deepEqual(
        report.weaker.map((f) => [f.kind, f.name, f.reasons]),
        [
          [
            'slo',
            'api-latency-p95',
            ["gate threshold 300ms → 500ms — weaker: the gate alert and the load runs' k6 thresholds let more through"],
          ],
          ['alert', 'ApiLatencyP95High', ['threshold > 0.3 → > 0.5 (fires later)']],
          ['k6-threshold', 'checks', ['rate>=0.99 → rate>=0.9: weaker (more runs pass; profiles: moderate)']],
        ],
      );
      const md = (await diffOf(root, 'markdown', 'never')).out;
      assert.ok(
        section(md, 'k6 thresholds').includes(
          '- k6 threshold `checks`: `rate>=0.99` → `rate>=0.9` **⚠ weaker** (profiles: moderate)',
        ),
        md,
      );
      assert.ok(
        section(md, 'SLOs').includes(
          '  - k6 threshold `http_req_duration`: `p(95)<300` → `p(95)<500` **⚠ weaker** (profiles: moderate, smoke, soak, stress)',
        ),
        md,
      );
    } finally {
      await cleanup();
    }
  });
});

describe('diff: k6 threshold expressions', () => {
  it('parses k6 syntax and judges a change as a pass condition', () => {
    assert.deepEqual(parseK6Threshold('p(95) < 300'), { aggregation: 'p(95)', op: '<', value: 300 });
    assert.deepEqual(parseK6Threshold('count===0'), { aggregation: 'count', op: '==', value: 0 });
    assert.equal(parseK6Threshold('p95<300ms'), undefined);
    const table: [string, string, string | undefined][] = [
      ['p(95)<300', 'p(95)<400', 'weaker'],
      ['p(95)<300', 'p(95)<250', 'stricter'],
      ['rate>0.99', 'rate>0.95', 'weaker'],
      ['rate<0.01', 'rate<=0.01', 'weaker'],
      ['rate>=0.99', 'rate>0.99', 'stricter'],
      ['count==0', 'count<=1', 'review'],
      ['p(95)<300', 'p(99)<300', 'review'],
      ['p(95)<300', 'p(95) < 300', undefined],
    ];
    for (const [old, now, verdict] of table) assert.equal(k6Verdict(old, now), verdict, `${old} → ${now}`);
  });

  it('a bad load profile in a ConfigMap is an error naming the file, the key and the field', () => {
    const doc = {
      kind: 'ConfigMap',
      metadata: { name: 'k6' },
      data: { 'smoke.json': JSON.stringify({ name: 'smoke', scenarios: {}, checks: { minPassRate: 2 } }) },
    };
    assert.throws(
      () => profilesOf({ 'infra/kubernetes/base/configmap-stressgate-k6.yaml': [doc] }),
      (e: Error) =>
        e instanceof DiffInputError &&
        /^infra\/kubernetes\/base\/configmap-stressgate-k6\.yaml: ConfigMap data "smoke\.json": a load profile whose field "/.test(
          e.message,
        ),
    );
  });
});
