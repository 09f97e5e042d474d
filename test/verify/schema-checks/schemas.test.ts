import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DashboardBuilder, RowBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { DataqueryBuilder } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder as StatPanelBuilder } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as TimeseriesPanelBuilder } from '@grafana/grafana-foundation-sdk/timeseries';
import type { Finding } from '../../../src/kernel/findings.js';
import {
  compileAllSchemas,
  schemaMetaProblems,
  SCHEMA_RULES,
  validateCompose,
  validateDashboard,
  validateProjectSchemas,
  validateRuleFile,
  validateRuleTestFile,
  validateWorkflow,
} from '../../../src/verify/schema-checks/index.js';

const FILE = 'infra/grafana/provisioning/dashboards/api-overview.json';
const PROJECT = fileURLToPath(new URL('../../fixtures/schemas/project', import.meta.url));
const DS = { type: 'prometheus', uid: '${datasource}' };

/** A small real dashboard from the foundation SDK: a row, a timeseries and a stat panel. */
function sdkDashboard(): Record<string, any> {
  const query = (expr: string, refId: string) =>
    new DataqueryBuilder().expr(expr).legendFormat('{{job}}').refId(refId).datasource(DS);
  const dashboard = new DashboardBuilder('API overview')
    .uid('api-overview')
    .tags(['stressgate'])
    .withRow(new RowBuilder('Traffic').id(1))
    .withPanel(
      new TimeseriesPanelBuilder()
        .id(2)
        .title('Request rate')
        .unit('reqps')
        .datasource(DS)
        .withTarget(query('sum by (job) (rate(http_requests_total[5m]))', 'A'))
        .withTarget(query('sum by (job) (rate(http_requests_total{code=~"5.."}[5m]))', 'B')),
    )
    .withPanel(
      new StatPanelBuilder()
        .id(3)
        .title('Error ratio')
        .unit('percentunit')
        .datasource(DS)
        .withTarget(query('sum(rate(http_requests_total{code=~"5.."}[5m])) / sum(rate(http_requests_total[5m]))', 'A')),
    )
    .build();
  // Validate (and mutate) a JSON copy, as a provisioned file would hold it.
  return JSON.parse(JSON.stringify(dashboard)) as Record<string, any>;
}

function only(findings: Finding[], rule: string): Finding {
  const matching = findings.filter((f) => f.rule === rule);
  assert.equal(matching.length, 1, `expected one ${rule} finding, got:\n${JSON.stringify(findings, null, 2)}`);
  return matching[0]!;
}

describe('vendored schemas', () => {
  // Timing is measured in bench/synth.ts, not asserted here: machines are shared and noisy.
  test('an SDK-built dashboard validates cleanly, repeatedly', () => {
    for (let i = 0; i < 10; i++) assert.deepEqual(validateDashboard(FILE, sdkDashboard()), []);
  });

  test('every vendored schema compiles; the only meta-schema problem is the known upstream one', () => {
    compileAllSchemas();
    const problems = schemaMetaProblems();
    assert.equal(problems.length, 1, problems.join('\n'));
    assert.match(problems[0]!, /^schemas\/grafana\/common\.jsonschema\.json: .*ScaleDirection.*duplicate items/);
  });
});

describe('validateDashboard', () => {
  test('an SDK-built dashboard validates cleanly', () => {
    assert.deepEqual(validateDashboard(FILE, sdkDashboard()), []);
  });

  test('validates the JSON form of its input (SDK objects, undefined members)', () => {
    const d = sdkDashboard();
    d.description = undefined; // dropped by JSON, as in the written file
    assert.deepEqual(validateDashboard(FILE, d), []);
  });

  test('a wrong-typed top-level field', () => {
    const d = sdkDashboard();
    d.editable = 'yes';
    const f = only(validateDashboard(FILE, d), SCHEMA_RULES.dashboard);
    assert.equal(f.file, FILE);
    assert.equal(f.object, 'dashboard api-overview');
    assert.match(f.message, /^\/editable: must be boolean/);
    assert.match(f.fix, /\/editable.*boolean/);
  });

  test('a panel option of the wrong type', () => {
    const d = sdkDashboard();
    d.panels[1].options.legend.displayMode = 42;
    const findings = validateDashboard(FILE, d);
    const f = only(findings, SCHEMA_RULES.panelOptions);
    assert.equal(findings.length, 1);
    assert.equal(f.file, FILE);
    assert.equal(f.object, 'dashboard api-overview / panel 2 "Request rate"');
    assert.match(
      f.message,
      /^\/panels\/1\/options\/legend\/displayMode: must be equal to one of the allowed values \("list", "table", "hidden"\), got 42$/,
    );
    assert.match(f.fix, /"list"/);
  });

  test('a field config of the wrong type, in a panel nested in a collapsed row', () => {
    const d = sdkDashboard();
    const [row, timeseries] = d.panels;
    row.collapsed = true;
    row.panels = [timeseries];
    d.panels = [row, d.panels[2]];
    timeseries.fieldConfig.defaults.custom = { lineWidth: 'thick' };
    const f = only(validateDashboard(FILE, d), SCHEMA_RULES.panelFieldConfig);
    assert.equal(f.file, FILE);
    assert.equal(f.object, 'dashboard api-overview / panel 2 "Request rate"');
    assert.match(f.message, /^\/panels\/0\/panels\/0\/fieldConfig\/defaults\/custom\/lineWidth: must be number/);
  });

  test('a target field of the wrong type', () => {
    const d = sdkDashboard();
    d.panels[2].targets[0].instant = 'yes';
    const f = only(validateDashboard(FILE, d), SCHEMA_RULES.target);
    assert.equal(f.file, FILE);
    assert.equal(f.object, 'dashboard api-overview / panel 3 "Error ratio" / target A');
    assert.match(f.message, /^\/panels\/2\/targets\/0\/instant: must be boolean, got "yes"/);
    assert.match(f.fix, /prometheus\.jsonschema\.json/);
  });

  test('an expression target is checked against its expression type', () => {
    const d = sdkDashboard();
    d.panels[1].targets.push({ refId: 'C', datasource: { type: '__expr__', uid: '__expr__' }, type: 'math' });
    const f = only(validateDashboard(FILE, d), SCHEMA_RULES.target);
    assert.equal(f.object, 'dashboard api-overview / panel 2 "Request rate" / target C');
    assert.match(f.message, /must have required property 'expression'/);
    assert.match(f.fix, /TypeMath/);
  });

  test('an unknown panel type', () => {
    const d = sdkDashboard();
    d.panels[2].type = 'fancygraph';
    const f = only(validateDashboard(FILE, d), SCHEMA_RULES.panelType);
    assert.equal(f.file, FILE);
    assert.equal(f.object, 'dashboard api-overview / panel 3 "Error ratio"');
    assert.match(f.message, /panel type "fancygraph" has no schema/);
  });

  // Panel ids and refIds are the lint's (panel-shape, unique-ids); the schema step needs the
  // datasource type to pick the target's schema.
  test('a target whose datasource type is unknown cannot be validated', () => {
    const d = sdkDashboard();
    delete d.panels[2].datasource;
    delete d.panels[2].targets[0].datasource;
    const findings = validateDashboard(FILE, d);
    assert.deepEqual(
      findings.map((f) => [f.rule, f.object]),
      [[SCHEMA_RULES.targetDatasource, 'dashboard api-overview / panel 3 "Error ratio" / target A']],
    );
  });
});

describe('rule files', () => {
  test('a rule missing expr', () => {
    const doc = {
      groups: [
        {
          name: 'api',
          rules: [
            { record: 'job:x:rate5m', expr: 'sum(rate(x[5m]))' },
            { alert: 'Http5xxRatioHigh', for: '5m' },
          ],
        },
      ],
    };
    const f = only(validateRuleFile('infra/prometheus/rules.yml', doc), SCHEMA_RULES.rules);
    assert.equal(f.file, 'infra/prometheus/rules.yml');
    assert.equal(f.object, 'group api / alert Http5xxRatioHigh');
    assert.equal(f.message, "/groups/0/rules/1: must have required property 'expr'");
    assert.match(f.fix, /Add \/groups\/0\/rules\/1\/expr/);
  });

  test('a rule that is neither recording nor alerting', () => {
    const f = only(validateRuleFile('r.yml', { groups: [{ name: 'g', rules: [{ expr: 'up' }] }] }), SCHEMA_RULES.rules);
    assert.equal(f.object, 'group g / rule #0');
    assert.match(f.message, /matches none of the alternatives \(oneOf\): .*'record'.*'alert'/);
  });

  test('a rule-test file with a bad field', () => {
    const doc = {
      rule_files: ['../rules.yml'],
      tests: [
        {
          interval: '1m',
          input_series: [{ series: 'http_requests_total{code="500"}', values: '0+10x10' }],
          alert_rule_test: [{ eval_time: '10m', alertname: 'Http5xxRatioHigh', exp_alert: [] }],
        },
      ],
    };
    const f = only(validateRuleTestFile('infra/prometheus/tests/rules.test.yml', doc), SCHEMA_RULES.ruleTests);
    assert.equal(f.file, 'infra/prometheus/tests/rules.test.yml');
    assert.equal(f.object, 'test #0 / alert_rule_test #0 (alert Http5xxRatioHigh)');
    assert.equal(f.message, '/tests/0/alert_rule_test/0: must NOT have additional properties: "exp_alert"');
    assert.match(f.fix, /Remove \/tests\/0\/alert_rule_test\/0\/exp_alert/);
  });
});

describe('compose and workflow files', () => {
  test('compose: valid file, and a wrong-typed service field', () => {
    const compose = { services: { api: { image: 'node:20', ports: ['8080:8080'] } } };
    assert.deepEqual(validateCompose('compose.yml', compose), []);
    const bad = { services: { api: { image: 'node:20', restart: 3 } } };
    const f = only(validateCompose('compose.yml', bad), SCHEMA_RULES.compose);
    assert.equal(f.object, 'service api');
    assert.match(f.message, /^\/services\/api\/restart: must be string/);
  });

  test('workflow: valid file, and a job without runs-on', () => {
    const wf = { on: 'push', jobs: { test: { 'runs-on': 'ubuntu-latest', steps: [{ run: 'npm test' }] } } };
    assert.deepEqual(validateWorkflow('.github/workflows/ci.yml', wf), []);
    const findings = validateWorkflow('.github/workflows/ci.yml', {
      on: 'push',
      jobs: { test: { steps: [{ run: 'x' }] } },
    });
    assert.ok(findings.length > 0);
    assert.ok(
      findings.every((f) => f.rule === SCHEMA_RULES.workflow && f.object === 'job test'),
      JSON.stringify(findings),
    );
  });
});

describe('validateProjectSchemas', () => {
  test('reads dashboards, rule files and rule tests; reports parse errors; sorted', async () => {
    const findings = await validateProjectSchemas(PROJECT);
    assert.deepEqual(
      findings.map((f) => [f.file, f.rule, f.object]),
      [
        ['infra/grafana/provisioning/dashboards/broken.json', SCHEMA_RULES.parse, 'JSON document'],
        [
          'infra/grafana/provisioning/dashboards/db-overview.json',
          SCHEMA_RULES.panelOptions,
          'dashboard db-overview / panel 2 "Query latency"',
        ],
        ['infra/prometheus/rules.yml', SCHEMA_RULES.rules, 'group api / alert Http5xxRatioHigh'],
        ['infra/prometheus/tests/broken.test.yml', SCHEMA_RULES.parse, 'YAML document'],
        [
          'infra/prometheus/tests/rules.test.yml',
          SCHEMA_RULES.ruleTests,
          'test #0 / alert_rule_test #0 (alert Http5xxRatioHigh)',
        ],
      ],
    );
    assert.match(
      findings[1]!.message,
      /^\/panels\/1\/options\/tooltip\/mode: must be equal to one of the allowed values/,
    );
    assert.match(findings[2]!.message, /must have required property 'expr'/);
    assert.deepEqual(await validateProjectSchemas(PROJECT), findings, 'deterministic');
  });

  test('a tree without infra/ has no findings', async () => {
    assert.deepEqual(
      await validateProjectSchemas(fileURLToPath(new URL('../../fixtures/schemas', import.meta.url)) + 'nonexistent'),
      [],
    );
  });
});
