// The lint's src/lint/rules/runbooks.ts and runbook-content.ts: every alert links a runbook section that exists and says what on-call needs.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ALERTS, RUNBOOK, Edits, lint, only, alert } from '../fixture.js';

describe('lint: runbooks', () => {
  it('runbook-section: the linked file and heading must exist', async () => {
    const findings = only(
      await lint(
        new Edits()
          .text(RUNBOOK, (t) => t.replace('## ChatConnectionsDown', '## Chat connections down'))
          .yaml(
            ALERTS,
            (d) =>
              (alert(d, 'Http5xxRatioHigh').annotations.runbook_url =
                'https://github.com/social-platform/stressgate/blob/main/docs/runbooks/http.md#http5xxratiohigh'),
          ),
      ),
      'runbook-section',
    );
    assert.deepEqual(
      findings.map((f) => [f.file, f.object]),
      [
        [ALERTS, 'alert ChatConnectionsDown'],
        [ALERTS, 'alert Http5xxRatioHigh'],
      ],
    );
    assert.equal(findings[0]!.message, 'docs/runbooks/alerts.md has no heading with anchor #chatconnectionsdown.');
    assert.match(findings[1]!.message, /points at docs\/runbooks\/http\.md, which does not exist/);
    assert.match(findings[1]!.fix, /point runbook_url at one of docs\/runbooks\/alerts\.md/);
  });

  it('runbook-content: severity reason, a dashboard showing the alert, a LogQL query, a stop criterion for gate alerts', async () => {
    const other = {
      uid: 'other',
      title: 'Other',
      schemaVersion: 42,
      tags: ['stressgate'],
      links: [{ type: 'dashboards', tags: ['stressgate'] }],
      panels: [],
      templating: { list: [] },
    };
    const findings = only(
      await lint(
        new Edits()
          .write('infra/grafana/provisioning/dashboards/other.json', JSON.stringify(other))
          .text(RUNBOOK, (t) =>
            t
              .replace('**Severity: warning**: a ticket', 'A ticket')
              .replace('(http://127.0.0.1:3000/d/api-overview), *Open connections*', '(http://127.0.0.1:3000/d/other)')
              .replace(
                'The failing requests: `{job="api"} | json | status >= 500`',
                'The failing requests: `{job="api" | json`',
              )
              .replace('**Stop the run / roll back.** Stop a gate run', 'Stop a gate run'),
          )
          .yaml(ALERTS, (d) => (alert(d, 'Http5xxRatioHigh').labels.severity = 'warning')),
      ),
      'runbook-content',
    );
    assert.deepEqual(
      findings.map((f) => [f.object, f.message]),
      [
        ['section #chatconnectionsdown (alert ChatConnectionsDown)', 'does not justify severity warning.'],
        [
          'section #chatconnectionsdown (alert ChatConnectionsDown)',
          'links to other, which show nothing the alert reads.',
        ],
        ['section #http5xxratiohigh (alert Http5xxRatioHigh)', 'does not justify severity warning.'],
        ['section #http5xxratiohigh (alert Http5xxRatioHigh)', 'has no LogQL query.'],
        [
          'section #http5xxratiohigh (alert Http5xxRatioHigh)',
          'is a gate alert but says nowhere when to stop the run or roll back.',
        ],
      ],
    );
    assert.ok(findings.every((f) => f.file === RUNBOOK));
    assert.match(findings[1]!.fix, /link a dashboard that shows the alert's series: api-overview/);
  });
});
