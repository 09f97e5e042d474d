// The OpenMetrics text the recorder writes: escaping, time order, duplicates, the half-millisecond
// timestamps, `# EOF`. Loading it with the real promtool is test/backtest/tsdb.test.ts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { omDocument, omFamily, omTimestamp } from '../../../src/gate/recording/openmetrics.js';

describe('OpenMetrics for promtool', () => {
  it('timestamps in seconds whose truncation to milliseconds lands on the written millisecond', () => {
    assert.equal(omTimestamp(1733536338123), '1733536338.1235');
    assert.equal(omTimestamp(1733536338005), '1733536338.0055');
    assert.equal(omTimestamp(1733536338000), '1733536338.0005');
    // promtool parses float seconds and truncates seconds*1000: the plain form loses a millisecond.
    for (let ms = 1733536338000; ms < 1733536339000; ms++) {
      assert.equal(Math.trunc(Number(omTimestamp(ms)) * 1000), ms, `${ms}`);
    }
    assert.equal(omTimestamp(1005), '1.0055');
    assert.equal(Math.trunc(Number(omTimestamp(1005)) * 1000), 1005);
    assert.equal(Math.trunc(1.005 * 1000), 1004, 'the plain form would come back one millisecond short');
  });

  it('escapes label values, sorts labels and samples, drops duplicate timestamps, keeps NaN and ±Inf', () => {
    const text = omFamily([
      {
        labels: { __name__: 'm', z: 'a"b', a: 'back\\slash\nnew' },
        samples: [
          [2000, '+Inf'],
          [1000, '1.5'],
          [2000, '3'],
          [3000, 'NaN'],
        ],
      },
    ]);
    assert.equal(
      text,
      [
        'm{a="back\\\\slash\\nnew",z="a\\"b"} 1.5 1.0005',
        'm{a="back\\\\slash\\nnew",z="a\\"b"} +Inf 2.0005',
        'm{a="back\\\\slash\\nnew",z="a\\"b"} NaN 3.0005',
        '',
      ].join('\n'),
    );
  });

  it('a document groups each name and ends with # EOF; a value that is no number is refused', () => {
    const doc = omDocument([
      { labels: { __name__: 'b' }, samples: [[1000, '1']] },
      { labels: { __name__: 'a', job: 'x' }, samples: [[1000, '2']] },
      { labels: { __name__: 'b', job: 'y' }, samples: [[1000, '3']] },
    ]);
    assert.deepEqual(doc.split('\n'), ['a{job="x"} 2 1.0005', 'b 1 1.0005', 'b{job="y"} 3 1.0005', '# EOF', '']);
    assert.throws(() => omFamily([{ labels: { __name__: 'a' }, samples: [[1, 'abc']] }]), /not a sample value/);
    assert.throws(() => omFamily([{ labels: { job: 'a' }, samples: [[1, '1']] }]), /without __name__/);
  });
});
