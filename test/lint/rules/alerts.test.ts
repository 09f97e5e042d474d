// The lint's src/lint/rules/alerts.ts: alert conventions and both sides of the threshold tested.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ALERTS, TESTS, Edits, lint, only, alert, type Doc } from '../fixture.js';

describe('lint: alerts', () => {
  it('alert-metadata: name, severity, summary, description, missing annotations', async () => {
    const findings = only(
      await lint(
        new Edits()
          .yaml(ALERTS, (d) => {
            const a = alert(d, 'ChatConnectionsDown');
            a.alert = 'chat_connections_down';
            a.labels.severity = 'page';
            a.annotations.summary = 'chat down on {{ $labels.job }}';
            a.annotations.description = 'Nobody is connected.';
            delete alert(d, 'Http5xxRatioHigh').annotations.runbook_url;
          })
          .text(TESTS, (t) => t.replaceAll('alertname: ChatConnectionsDown', 'alertname: chat_connections_down')),
      ),
      'alert-metadata',
    );
    const messages = (object: string) => findings.filter((f) => f.object === object).map((f) => f.message);
    assert.deepEqual(messages('alert Http5xxRatioHigh'), ['has no runbook_url annotation.']);
    assert.deepEqual(messages('alert chat_connections_down'), [
      'alert name is not CamelCase.',
      'description does not show the value that fired.',
      'label severity is "page".',
      'summary "chat down on {{ $labels.job }}" is not a plain sentence.',
    ]);
    assert.ok(findings.some((f) => f.fix.startsWith('rename the alert to ChatConnectionsDown')));
    assert.ok(
      findings.some((f) =>
        f.fix.startsWith(
          'rewrite the summary to start with a capital letter, end with a period, have no {{ }} template',
        ),
      ),
    );
  });

  it('alert-tests: a case where the alert fires and one where it stays quiet', async () => {
    const findings = only(
      await lint(
        new Edits().yaml(TESTS, (d) => {
          d.tests = d.tests.filter(
            (t: Doc) => !(t.alert_rule_test[0].alertname === 'ChatConnectionsDown' && !t.alert_rule_test[0].exp_alerts),
          );
          d.tests = d.tests.filter(
            (t: Doc) =>
              !(t.alert_rule_test[0].alertname === 'Http5xxRatioHigh' && t.alert_rule_test[0].exp_alerts.length),
          );
        }),
      ),
      'alert-tests',
    );
    assert.deepEqual(
      findings.map((f) => [f.object, f.message]),
      [
        ['alert ChatConnectionsDown', 'has no unit test where it must stay quiet.'],
        ['alert Http5xxRatioHigh', 'has no unit test where it fires.'],
      ],
    );
    assert.ok(findings.every((f) => f.file === ALERTS));
  });
});
