import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  goFormatG,
  humanize,
  humanizeDuration,
  humanizePercentage,
  renderTemplate,
} from '../../src/promql/template.js';

describe('Prometheus template rendering', () => {
  it("formats like Go's %.4g", () => {
    assert.equal(goFormatG(0.55), '0.55');
    assert.equal(goFormatG(330.00000000000006), '330');
    assert.equal(goFormatG(12345), '1.234e+04');
    assert.equal(goFormatG(0.00001234), '1.234e-05');
    assert.equal(goFormatG(1), '1');
    assert.equal(goFormatG(0.125), '0.125');
    assert.equal(goFormatG(-2.5), '-2.5');
    assert.equal(goFormatG(9.99951), '10');
    assert.equal(goFormatG(1000), '1000');
  });
  it('humanizes like Prometheus', () => {
    assert.equal(humanizePercentage(0.0055), '0.55%');
    assert.equal(humanizeDuration(0.33), '330ms');
    assert.equal(humanizeDuration(1.5), '1.5s');
    assert.equal(humanizeDuration(90), '1m 30s');
    assert.equal(humanizeDuration(0), '0s');
    assert.equal(humanize(1500), '1.5k');
    assert.equal(humanize(0.002), '2m');
    assert.equal(humanize(10), '10');
  });
  it('renders value and labels, and refuses unsupported templates', () => {
    assert.equal(
      renderTemplate('{{ $labels.job }} at {{ $value | humanizePercentage }}', 0.011, { job: 'api' }),
      'api at 1.1%',
    );
    assert.throws(() => renderTemplate('{{ $value }}', 1, {}), /not supported/);
    assert.throws(() => renderTemplate('{{ $value | printf "%.2f" }}', 1, {}), /not supported/);
  });
});
