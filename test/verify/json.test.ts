// `verify --format json` and `lint --format json`: one document on stdout, every step with its
// findings, the same exit codes as the text.
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { VerifyJson } from '../../src/verify/index.js';
import { projectCopy, runCli } from '../helpers.js';

describe('--format json', () => {
  it('lint: a finding with every field, exit 1, and nothing but the JSON on stdout', async () => {
    const { dir, cleanup } = await projectCopy();
    try {
      const alerts = join(dir, 'infra/prometheus/alerts.yml');
      const text = await readFile(alerts, 'utf8');
      assert.ok(text.includes('http_requests_total'));
      await writeFile(alerts, text.replace('http_requests_total', 'http_requestz_total'));
      const r = await runCli(['lint', '--root', dir, '--format', 'json']);
      assert.equal(r.code, 1, r.stderr);
      const doc = JSON.parse(r.stdout) as VerifyJson;
      assert.equal(doc.ok, false);
      assert.match(doc.summary, /^lint: FAILED, 1 step\(s\)/);
      assert.deepEqual(
        doc.steps.map((s) => [s.name, s.status]),
        [['lint (catalog, PromQL, conventions)', 'fail']],
      );
      const finding = doc.steps[0]!.findings.find((f) => f.message.includes('http_requestz_total'));
      assert.ok(finding, JSON.stringify(doc.steps[0]!.findings));
      assert.deepEqual(Object.keys(finding).sort(), ['file', 'fix', 'line', 'message', 'object', 'rule', 'severity']);
      assert.deepEqual(
        [finding.file, finding.rule, finding.severity],
        ['infra/prometheus/alerts.yml', 'metric-exists', 'error'],
      );
    } finally {
      await cleanup();
    }
  });

  it('verify: every step in order with its status and time, exit 0 on the committed tree', async () => {
    const r = await runCli(['verify', '--format', 'json']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const doc = JSON.parse(r.stdout) as VerifyJson;
    assert.equal(doc.ok, true);
    assert.match(doc.summary, /^verify: all checks passed in \d+ ms$/);
    assert.ok(doc.steps.length >= 8, doc.steps.map((s) => s.name).join(', '));
    assert.equal(doc.steps[0]!.name, 'type-check (tsc)');
    assert.ok(doc.steps.some((s) => /^alert tests kill \d+\/\d+ mutants/.test(s.summary)));
    for (const s of doc.steps) assert.notEqual(s.status, 'fail', `${s.name}: ${JSON.stringify(s.findings)}`);
  });
});
