// How far back a recording reaches, and which raw series the rules read.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gateLookbackSeconds, rawMetricsRead, type LoadedRule } from '../../../src/gate/recording/lookback.js';

const rules: LoadedRule[] = [
  {
    type: 'recording',
    name: 'job:lat:p95_rate10m',
    query: 'histogram_quantile(0.95, sum by (le) (rate(d_bucket[10m])))',
  },
  { type: 'alerting', name: 'Lat', query: 'job:lat:p95_rate10m > 0.3', duration: 300, labels: { gate: 'release' } },
  { type: 'alerting', name: 'Err', query: 'rate(e_total[5m]) > 1', duration: 120, labels: { gate: 'release' } },
  { type: 'alerting', name: 'Slow', query: 'max_over_time(x[1d]) > 1', duration: 0, labels: { severity: 'info' } },
  { type: 'alerting', name: 'Meta', query: 'ALERTS{alertstate="firing"} > 0', labels: {} },
];

describe('the recording lookback', () => {
  it('is for + the longest window a gate alert reads, through its recording rules; other alerts do not count', () => {
    assert.equal(gateLookbackSeconds(rules), 900, 'Lat: 5m for + 10m window in its recording rule');
    assert.equal(gateLookbackSeconds(rules.filter((r) => r.name !== 'Lat')), 420);
  });

  it('is capped, and 0 without gate alerts', () => {
    const long: LoadedRule = {
      type: 'alerting',
      name: 'L',
      query: 'rate(e_total[3d]) > 0',
      labels: { gate: 'release' },
    };
    assert.equal(gateLookbackSeconds([long]), 3600);
    assert.equal(gateLookbackSeconds([long], 600), 600);
    assert.equal(gateLookbackSeconds([]), 0);
  });

  it('raw metrics read: not the recording rules, not ALERTS', () => {
    assert.deepEqual(rawMetricsRead(rules), ['d_bucket', 'e_total', 'x']);
  });
});
