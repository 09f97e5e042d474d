// What the importer refuses to type, each on the input it exists for: every case ends as a note
// naming the SLO, and the SLI falls back to raw PromQL or is left out, never silently mistyped.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { stringify } from 'yaml';
import { importSlos } from '../../src/openslo/import-model.js';
import { parseOpenSlo } from '../../src/openslo/parse.js';

const source = (query: string, type = 'Prometheus') => ({ metricSource: { type, spec: { query } } });

function slo(ratioMetric: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const doc = {
    apiVersion: 'openslo/v1',
    kind: 'SLO',
    metadata: { name: 'case' },
    spec: {
      description: 'A case the importer must not type as written.',
      service: 'api',
      indicator: { metadata: { name: 'case-sli' }, spec: { ratioMetric: { counter: true, ...ratioMetric } } },
      timeWindow: [{ duration: '30d', isRolling: true }],
      budgetingMethod: 'Occurrences',
      objectives: [{ target: 0.99 }],
      ...extra,
    },
  };
  return importSlos(parseOpenSlo(stringify(doc), 'case.yaml'));
}

describe('import slos: what is not typed', () => {
  it('types the plain case the others vary', () => {
    const r = slo({
      bad: source('sum(http_requests_total{status=~"5.."})'),
      total: source('sum(http_requests_total)'),
    });
    assert.equal(r.slos[0]!.sli.kind, 'ratio');
    assert.deepEqual(
      r.notes.filter((n) => !n.includes('defaults written')),
      [],
    );
  });

  const cases: Array<[string, ReturnType<typeof slo>, RegExp, 'raw' | 'none']> = [
    [
      'good and total differing in two matchers',
      slo({
        good: source('sum(http_requests_total{status!~"5..",method="GET"})'),
        total: source('sum(http_requests_total)'),
      }),
      /good and total differ in more than one matcher/,
      'raw',
    ],
    [
      'bad and total over different metrics',
      slo({ bad: source('sum(db_query_errors_total)'), total: source('sum(http_requests_total)') }),
      /bad and total events are different series/,
      'raw',
    ],
    [
      'a label the catalog does not have',
      slo({ bad: source('sum(http_requests_total{code="500"})'), total: source('sum(http_requests_total)') }),
      /http_requests_total has no label code in the catalog/,
      'raw',
    ],
    [
      'a query of another shape',
      slo({
        bad: source('sum(http_requests_total) - sum(http_requests_total)'),
        total: source('sum(http_requests_total)'),
      }),
      /not a single counter selector/,
      'raw',
    ],
    [
      'a non-Prometheus source',
      slo({ bad: source('errors', 'Datadog'), total: source('total', 'Datadog') }),
      /metric source type Datadog is not Prometheus; not imported/,
      'none',
    ],
    [
      'a bucket that is not one of the catalog histogram',
      slo({
        good: source('sum(http_request_duration_seconds_bucket{le="0.25"})'),
        total: source('sum(http_request_duration_seconds_count)'),
      }),
      /le="0\.25" is not a bucket of http_request_duration_seconds in the catalog/,
      'none',
    ],
    [
      'a bucket and a count over different series',
      slo({
        good: source('sum(http_request_duration_seconds_bucket{le="0.3",route="/api/posts"})'),
        total: source('sum(http_request_duration_seconds_count)'),
      }),
      /the bucket and the count select different series/,
      'raw',
    ],
    [
      'a label no example value fits',
      slo({
        bad: source('sum(http_requests_total{route=~"/v[0-9]+/.*"})'),
        total: source('sum(http_requests_total)'),
      }),
      /examples: no value fits label\(s\) route; 'TODO' written/,
      'none',
    ],
  ];
  for (const [what, result, note, fallback] of cases) {
    it(`notes ${what}`, () => {
      assert.ok(
        result.notes.some((n) => n.startsWith('SLO case: ') && note.test(n)),
        `${note} in\n${result.notes.join('\n')}`,
      );
      if (fallback === 'raw') assert.equal(result.slos[0]?.sli.kind, 'raw');
    });
  }

  it('leaves out a composite SLO, naming it', () => {
    const doc = {
      apiVersion: 'openslo/v1',
      kind: 'SLO',
      metadata: { name: 'journey' },
      spec: {
        service: 'api',
        budgetingMethod: 'Occurrences',
        objectives: [
          { target: 0.99, indicatorRef: 'a' },
          { target: 0.9, indicatorRef: 'b' },
        ],
      },
    };
    const r = importSlos(parseOpenSlo(stringify(doc), 'journey.yaml'));
    assert.deepEqual(r.slos, []);
    assert.match(r.notes.join('\n'), /SLO journey: a composite SLO .* not imported/);
  });
});
