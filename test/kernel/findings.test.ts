// Findings carry a severity: an error (the default) fails a check, a warning is shown and fails nothing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { errorsOf, findingJson, formatFinding, severityOf, type Finding } from '../../src/kernel/findings.js';

const base: Finding = {
  rule: 'metric-exists',
  file: 'infra/prometheus/alerts.yml',
  object: 'alert X',
  message: 'no such metric.',
  fix: 'add it to the catalog',
};
const warning: Finding = { ...base, rule: 'panel-unit', severity: 'warning' };

test('a finding without a severity is an error; only errors fail', () => {
  assert.equal(severityOf(base), 'error');
  assert.equal(severityOf(warning), 'warning');
  assert.deepEqual(errorsOf([warning]), [], 'a warning alone fails nothing');
  assert.deepEqual(errorsOf([warning, base, { ...base, severity: 'error' }]), [base, { ...base, severity: 'error' }]);
});

test('formatting shows a warning as one, and leaves an error as it was', () => {
  assert.equal(
    formatFinding(base, 'text'),
    'infra/prometheus/alerts.yml: alert X: no such metric. [metric-exists]\n  fix: add it to the catalog',
  );
  assert.equal(
    formatFinding({ ...base, line: 3 }, 'github'),
    '::error file=infra/prometheus/alerts.yml,line=3,title=metric-exists%3A alert X::no such metric. Fix: add it to the catalog',
  );
  assert.equal(
    formatFinding(warning, 'text'),
    'infra/prometheus/alerts.yml: alert X: warning: no such metric. [panel-unit]\n  fix: add it to the catalog',
  );
  assert.match(
    formatFinding(warning, 'github'),
    /^::warning file=infra\/prometheus\/alerts\.yml,title=panel-unit%3A alert X::/,
  );
});

test('--format json gives every field of a finding, the line null without one, the severity spelled out', () => {
  assert.deepEqual(findingJson(base), {
    file: 'infra/prometheus/alerts.yml',
    line: null,
    object: 'alert X',
    rule: 'metric-exists',
    severity: 'error',
    message: 'no such metric.',
    fix: 'add it to the catalog',
  });
  assert.deepEqual(findingJson({ ...warning, line: 7 }), { ...findingJson(warning), line: 7, severity: 'warning' });
});
