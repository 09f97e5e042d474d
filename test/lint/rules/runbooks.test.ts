// The lint's src/lint/rules/runbooks.ts, runbook-content.ts and runbook-promql.ts: every alert links a
// runbook section that exists, says what on-call needs on both topologies, and queries what exists.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { catalog as realCatalog } from '../../../src/catalog/index.js';
import { lintProject, loadProject } from '../../../src/lint/index.js';
import { counter, type Metric } from '../../../src/catalog/index.js';
import { ALERTS, DASHBOARD, RECORDS, RUNBOOK, Edits, lint, only, alert, testCatalog } from '../fixture.js';

const ROOT = new URL('../../..', import.meta.url).pathname;
const SLOW =
  '`histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{methd="GET", method="GTE"}[5m])))`';
const DEFINED = new Map([
  ['Http5xxRatioHigh', 'src/alerts/slo.ts:21'],
  ['ChatConnectionsDown', 'src/alerts/realtime.ts:68'],
]);

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
    // A missing heading is fixed in the runbook; a missing file where the alert is defined (here, unknown: alerts.yml).
    assert.deepEqual(
      findings.map((f) => [f.file, f.object]),
      [
        [RUNBOOK, 'alert ChatConnectionsDown'],
        [ALERTS, 'alert Http5xxRatioHigh'],
      ],
    );
    assert.equal(findings[0]!.message, 'docs/runbooks/alerts.md has no heading with anchor #chatconnectionsdown.');
    assert.match(findings[1]!.message, /points at docs\/runbooks\/http\.md, which does not exist/);
    assert.match(findings[1]!.fix, /point runbook_url at one of docs\/runbooks\/alerts\.md/);
  });

  it('runbook-section: with the definitions loaded, a finding names the src file and line, never alerts.yml', async () => {
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
        undefined,
        DEFINED,
      ),
      'runbook-section',
    );
    assert.deepEqual(
      findings.map((f) => [f.file, f.line, f.object]),
      [
        [RUNBOOK, undefined, 'alert ChatConnectionsDown, defined at src/alerts/realtime.ts:68'],
        ['src/alerts/slo.ts', 21, 'alert Http5xxRatioHigh'],
      ],
    );
    assert.ok(findings.every((f) => f.file !== ALERTS));
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

  it('runbook-content: a reference link counts as the dashboard it resolves to (synth writes the targets), an unresolved one as none', async () => {
    const byReference = (definition: string) =>
      new Edits().text(RUNBOOK, (t) =>
        t
          .replaceAll('[API overview](http://127.0.0.1:3000/d/api-overview)', 'API overview ([VM][vm/api-overview])')
          .concat(`\n${definition}\n`),
      );
    assert.deepEqual(
      (await lint(byReference('[vm/api-overview]: https://grafana.example.com/d/api-overview'))).filter(
        (f) => f.rule === 'runbook-content',
      ),
      [],
    );
    const unresolved = only(await lint(byReference('')), 'runbook-content');
    assert.deepEqual(
      unresolved.map((f) => f.message),
      unresolved.map(() => 'links to no dashboard.'),
    );
    assert.equal(unresolved.length, 2, 'both sections of the fixture');
  });

  it('runbook-content: a VM-only section (or a cluster-only one) lacks the other topology, named with the definition site', async () => {
    const findings = only(
      await lint(
        new Edits().text(RUNBOOK, (t) =>
          t
            // VM-only: the cluster step becomes prose without a command.
            .replace(
              '- Cluster: `kubectl -n stressgate-staging get pods -l app.kubernetes.io/name=api`',
              '- On the cluster, look at the pods.',
            )
            // Cluster-only: the VM step loses its "VM:" lead.
            .replace('- **VM:** `docker compose logs --since 15m api`', '- `docker compose logs --since 15m api`'),
        ),
        undefined,
        DEFINED,
      ),
      'runbook-content',
    );
    assert.deepEqual(
      findings.map((f) => [f.file, f.object, f.message]),
      [
        [
          RUNBOOK,
          'section #chatconnectionsdown (alert ChatConnectionsDown, defined at src/alerts/realtime.ts:68)',
          'has no VM steps (a "VM:" line with a command or query in backticks).',
        ],
        [
          RUNBOOK,
          'section #http5xxratiohigh (alert Http5xxRatioHigh, defined at src/alerts/slo.ts:21)',
          'has no cluster steps (a "Cluster:" line with a command or query in backticks).',
        ],
      ],
    );
    assert.match(findings[1]!.fix, /- Cluster: `kubectl -n stressgate-staging get pods/);
  });

  it('runbook-promql: a renamed metric, a wrong label or value in a runbook query; the fix names what exists', async () => {
    // The catalog renamed http_requests_total and synth regenerated the rules and dashboards; the runbook
    // still says the old name (and, elsewhere, a made-up label and value).
    const renamed = testCatalog2();
    const regenerated = (t: string) => t.replaceAll('http_requests_total', 'http_server_requests_total');
    const findings = only(
      await lint(
        new Edits()
          .text(ALERTS, regenerated)
          .text(RECORDS, regenerated)
          .text(DASHBOARD, regenerated)
          .text(RUNBOOK, (t) =>
            t.replace(
              'http_request_duration_seconds_bucket{method="GET"}',
              'http_request_duration_seconds_bucket{methd="GET", method="GTE"}',
            ),
          ),
        renamed,
        DEFINED,
      ),
      'runbook-promql',
    );
    assert.deepEqual(
      findings.map((f) => [f.file, f.object, f.message]),
      [
        [
          RUNBOOK,
          'section #chatconnectionsdown (alert ChatConnectionsDown, defined at src/alerts/realtime.ts:68)',
          `${SLOW} filters http_request_duration_seconds_bucket on label "methd", which it does not have (its labels: instance, job, le, method, route).`,
        ],
        [
          RUNBOOK,
          'section #chatconnectionsdown (alert ChatConnectionsDown, defined at src/alerts/realtime.ts:68)',
          `${SLOW} matches http_request_duration_seconds_bucket{method="GTE"}, but "GTE" is not a value of method (values: GET, POST).`,
        ],
        [
          RUNBOOK,
          'section #http5xxratiohigh (alert Http5xxRatioHigh, defined at src/alerts/slo.ts:21)',
          '`sum by (route) (rate(http_requests_total{job="api", status=~"5.."}[5m]))` selects http_requests_total, which is neither in the metric catalog nor a recording rule.',
        ],
      ],
    );
    assert.deepEqual(
      findings.map((f) => f.fix),
      [
        'use "method" instead of "methd", or remove the matcher in the runbook',
        'replace "GTE" with "GET" in the runbook',
        'replace http_requests_total with http_server_requests_total (the closest catalog series or recording rule) in the runbook',
      ],
    );
  });

  it('runbook-slo-numbers: a figure in the prose that the generated facts block does not state is stale', async () => {
    const block = (threshold: string) =>
      `<!-- generated: facts -->\n\n| fires when | above **${threshold}** over 5m |\n\n<!-- end generated -->\n\n`;
    const withBlock = (threshold: string) =>
      new Edits().text(RUNBOOK, (t) =>
        t.replace('## Http5xxRatioHigh\n\n', `## Http5xxRatioHigh\n\n${block(threshold)}`),
      );
    assert.deepEqual(await lint(withBlock('0.5%')), [], 'the prose repeats what the block states');
    // The SLO moved to 0.4% and synth rewrote the block; the prose still says 0.5%.
    const findings = only(await lint(withBlock('0.4%'), undefined, DEFINED), 'runbook-slo-numbers');
    assert.deepEqual(
      findings.map((f) => [f.file, f.object, f.message]),
      [
        [
          RUNBOOK,
          'section #http5xxratiohigh (alert Http5xxRatioHigh, defined at src/alerts/slo.ts:21)',
          'states "0.5%" by hand, which its facts block does not (it says 0.4%): a stale or hand-typed SLO number.',
        ],
      ],
    );
    assert.match(findings[0]!.fix, /drop "0\.5%" and refer to the facts block/);
  });

  it("runbook-promql and runbook-content: the project's own runbooks are clean against the real catalog", async () => {
    const findings = lintProject(await loadProject(ROOT), realCatalog).filter((f) => f.rule.startsWith('runbook'));
    assert.deepEqual(findings, []);
  });
});

/** The test catalog after a rename of http_requests_total's `name` (its binding and labels unchanged). */
function testCatalog2(): Metric[] {
  return testCatalog.map((m) =>
    m.name === 'http_requests_total' ? counter({ ...m.spec, name: 'http_server_requests_total' }) : m,
  );
}
