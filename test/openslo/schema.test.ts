// The OpenSLO v1 schema: it accepts every v1 example the OpenSLO Go SDK publishes, and our export;
// it rejects what the specification rules out (each case here would otherwise be written or read).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { app } from '../../src/definitions.js';
import { openSloDocuments } from '../../src/openslo/export.js';
import { parseOpenSlo } from '../../src/openslo/parse.js';
import { documentSchema } from '../../src/openslo/schema.js';
import { ROOT } from '../helpers.js';

const FIXTURES = join(ROOT, 'test/fixtures/openslo');

// A parsed YAML document the cases edit freely.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Doc = any;

describe('OpenSLO v1 schema', () => {
  it("accepts every v1 example of the OpenSLO Go SDK, each kind's", () => {
    const files = readdirSync(FIXTURES).filter((f) => f.startsWith('go-sdk-v1-'));
    assert.equal(files.length, 7);
    const kinds = new Set<string>();
    for (const f of files) {
      const { documents } = parseOpenSlo(readFileSync(join(FIXTURES, f), 'utf8'), f);
      for (const d of documents) kinds.add(d.kind);
    }
    assert.deepEqual([...kinds].sort(), [
      'AlertCondition',
      'AlertNotificationTarget',
      'AlertPolicy',
      'DataSource',
      'SLI',
      'SLO',
      'Service',
    ]);
  });

  it('accepts the export: a Service, two notification targets, four alert policies and the five SLOs', () => {
    const docs = openSloDocuments(app);
    assert.deepEqual(
      docs.map((d) => d.kind),
      [
        'Service',
        'AlertNotificationTarget',
        'AlertNotificationTarget',
        ...Array(4).fill('AlertPolicy'),
        ...Array(5).fill('SLO'),
      ],
    );
    for (const d of docs) assert.ok(documentSchema.safeParse(d).success, `${d.kind} ${d.metadata.name}`);
  });

  const slo = () =>
    parse(`
apiVersion: openslo/v1
kind: SLO
metadata: { name: checkout-availability }
spec:
  service: shop
  indicator:
    metadata: { name: checkout-errors }
    spec:
      ratioMetric:
        counter: true
        bad: { metricSource: { type: Prometheus, spec: { query: sum(errors_total) } } }
        total: { metricSource: { type: Prometheus, spec: { query: sum(requests_total) } } }
  timeWindow: [{ duration: 30d, isRolling: true }]
  budgetingMethod: Occurrences
  objectives: [{ target: 0.999 }]
`) as Doc;

  it('accepts the minimal SLO the cases below break', () => assert.ok(documentSchema.safeParse(slo()).success));

  const cases: Array<[string, (d: Doc) => void, RegExp]> = [
    ['a misspelt field', (d) => (d.spec.budgetMethod = 'Occurrences'), /budgetMethod/],
    ['a target of 1 or more', (d) => (d.spec.objectives[0].target = 1), /target is in \[0, 1\)/],
    ['target and targetPercent together', (d) => (d.spec.objectives[0].targetPercent = 99.9), /not both/],
    ['two time windows', (d) => d.spec.timeWindow.push({ duration: '7d', isRolling: true }), /exactly one time window/],
    ['a duration that is no shorthand', (d) => (d.spec.timeWindow[0].duration = '30 days'), /duration shorthand/],
    ['no indicator', (d) => delete d.spec.indicator, /indicator or indicatorRef/],
    [
      'good and bad together',
      (d) => (d.spec.indicator.spec.ratioMetric.good = d.spec.indicator.spec.ratioMetric.bad),
      /good or bad \(not both\)/,
    ],
    ['a name that is not RFC 1123', (d) => (d.metadata.name = 'Checkout_Availability'), /lower-case letters/],
    ['an unknown budgeting method', (d) => (d.spec.budgetingMethod = 'Events'), /budgetingMethod|Invalid option/],
    ['Timeslices without a slice window', (d) => (d.spec.budgetingMethod = 'Timeslices'), /timeSliceWindow/],
    ['another apiVersion', (d) => (d.apiVersion = 'openslo/v1alpha'), /openslo\/v1/],
  ];
  for (const [what, mutate, message] of cases) {
    it(`rejects ${what}`, () => {
      const doc = slo();
      mutate(doc);
      const result = documentSchema.safeParse(doc);
      assert.ok(!result.success, 'accepted');
      assert.match(JSON.stringify(result.error.issues), message);
    });
  }
});
