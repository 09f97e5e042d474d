// Validation as a pass: every prop of every construct rejects a bad value with a fix, every
// problem of a tree is reported in one run, and the platform's own definitions have none.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { routing } from '../../src/alerts/routing.js';
import { metrics } from '../../src/catalog/index.js';
import { cluster } from '../../src/cluster/index.js';
import { AlertRouting } from '../../src/constructs/alertmanager.js';
import {
  App,
  Construct,
  DefinitionError,
  DefinitionErrors,
  Stack,
  validateTree,
  zodProblems,
} from '../../src/constructs/construct.js';
import { Dashboard, Panel, Row } from '../../src/constructs/dashboard.js';
import { KubernetesManifests } from '../../src/constructs/kubernetes.js';
import { count, ms, percent, readQuantityText, seconds } from '../../src/constructs/quantity.js';
import { ExprTest, RuleFile } from '../../src/constructs/rule-file.js';
import { Alert, RecordingRule, RuleGroup } from '../../src/constructs/rules.js';
import { quantileRule } from '../../src/constructs/sli-rules.js';
import { Slo } from '../../src/constructs/slo.js';
import { app } from '../../src/definitions.js';
import { promql } from '../../src/promql/expr.js';
import { z } from 'zod';

type Props = Record<string, unknown>;

/** A copy of `obj` with the value at `path` (`queries[0].legend`) replaced; the rest is shared. */
function withField(obj: unknown, path: string, value: unknown): Props {
  const [head, ...rest] = path.match(/[^.[\]]+/g)!;
  const key = /^\d+$/.test(head!) ? Number(head) : head!;
  const copy = (Array.isArray(obj) ? [...obj] : { ...(obj as Props) }) as Props;
  copy[key] = rest.length ? withField(copy[key], rest.join('.'), value) : value;
  return copy;
}

const up = promql`${metrics.up}`;
const okCase = { title: 'down', inputs: [{ series: 'up{job="api"}', values: '0x10' }], evalTime: '5m', value: 0 };
const alertProps = {
  name: 'TargetDown',
  expr: promql`${metrics.up} == 0`,
  severity: 'critical',
  gate: true,
  summary: 'A target is down.',
  description: 'up is {{ $value | humanize }}.',
  tests: {
    fires: okCase,
    quiet: { ...okCase, title: 'up', value: undefined },
    more: [{ ...okCase, expect: 'fires' }],
    scenarios: [{ title: 'goes down', step: 15, inputs: okCase.inputs, expect: [{ at: 0, state: 'firing' }] }],
  },
};
const rule = (stack: Stack, props: Props = {}) =>
  new RecordingRule(new RuleGroup(stack, 'rules'), 'r', {
    record: 'job:http_request_duration_seconds:p95_rate5m',
    expr: up,
    unit: 'seconds',
    window: '5m',
    ...props,
  } as never);
const quantile = {
  record: 'job:http_request_duration_seconds:p95_rate5m',
  histogram: metrics.httpRequestDuration,
  quantile: 0.95,
  window: '5m',
  example: { route: '/x' },
};

interface Subject {
  readonly valid: Props;
  readonly build: (stack: Stack, props: Props) => Construct;
  /** Field path → a bad value; `[value, field]` when the problem names another field than the path set. */
  readonly bad: Record<string, unknown>;
}

const SUBJECTS: Record<string, Subject> = {
  Dashboard: {
    valid: {
      id: 'overview',
      title: 'Overview',
      description: 'a dashboard under test',
      tags: ['t'],
      refresh: '30s',
      timeFrom: 'now-6h',
      defaultJob: 'api',
    },
    build: (stack, { id, ...p }) => new Dashboard(stack, id as string, p as never),
    bad: {
      id: 'Bad UID',
      title: 'ab',
      description: 'short',
      tags: [],
      'tags[0]': '',
      refresh: '30 seconds',
      timeFrom: '1h',
      defaultJob: '',
    },
  },
  Row: {
    valid: { title: 'Row', collapsed: false },
    build: (stack, p) =>
      new Row(
        new Dashboard(stack, 'd', { title: 'Overview', description: 'a dashboard under test', tags: ['t'] }),
        'r',
        p as never,
      ),
    bad: { title: '', collapsed: 'no' },
  },
  Panel: {
    valid: {
      title: 'Up',
      description: 'whether targets are up',
      kind: 'table',
      unit: 'bool',
      queries: [{ expr: up, legend: '{{instance}}', instant: true }],
      width: 12,
      height: 6,
      thresholds: [
        { value: 0.5, color: 'green' },
        { value: 1, color: 'red' },
      ],
      baseColor: 'red',
      thresholdStyle: 'line',
      texts: [{ value: 0, text: 'DOWN', color: 'red' }],
      links: [{ title: 'Runbook', url: 'https://example.invalid/r' }],
      table: {
        columns: [
          {
            field: 'instance',
            title: 'Instance',
            unit: 'short',
            texts: () => [],
            link: { title: 'Open', url: '/d/x' },
            colored: true,
          },
        ],
      },
      noValue: 'no data',
      min: 0,
      max: 1,
      stacked: false,
    },
    build: (stack, p) =>
      new Panel(
        new Row(
          new Dashboard(stack, 'd', { title: 'Overview', description: 'a dashboard under test', tags: ['t'] }),
          'r',
          { title: 'Row' },
        ),
        'p',
        p as never,
      ),
    bad: {
      title: '',
      description: 'short',
      kind: 'pie',
      unit: 'px',
      queries: [],
      'queries[0].expr': 42,
      'queries[0].legend': '',
      'queries[0].instant': 'yes',
      width: 30,
      height: 1,
      thresholds: [
        [
          { value: 2, color: 'red' },
          { value: 1, color: 'red' },
        ],
        'thresholds',
      ],
      'thresholds[0].color': 'purple',
      baseColor: 'purple',
      thresholdStyle: 'dotted',
      'texts[0].text': '',
      'links[0].url': 'javascript:alert(1)',
      'table.columns': [],
      'table.columns[0].field': '',
      'table.columns[0].texts': 'DOWN',
      noValue: '',
      min: [5, 'max'],
      stacked: 'y',
    },
  },
  RuleGroup: {
    valid: { interval: '1m' },
    build: (stack, p) => new RuleGroup(stack, 'g', p as never),
    bad: { interval: '0s' },
  },
  RecordingRule: {
    valid: {
      labels: { team: 'api' },
      sample: () => ({}),
      overWindow: () => up,
      overRange: () => up,
      traffic: metrics.up.select(),
      shares: { critical: () => 0, series: () => ({}) },
    },
    build: (stack, p) => rule(stack, p),
    bad: {
      record: 'up',
      expr: 'up',
      unit: 'bytes',
      'labels.1bad': 'x',
      'labels.__name__': 'x',
      window: '5 minutes',
      sample: 'x',
      events: [{ kind: 'other' }, 'events.kind'],
      overWindow: 1,
      overRange: 1,
      traffic: 'up',
      'shares.critical': 1,
    },
  },
  quantileRule: {
    valid: { ...quantile, by: ['route'] },
    build: (stack, p) => quantileRule(new RuleGroup(stack, 'g'), 'q', p as never),
    bad: { quantile: 95, 'by[0]': 'bad-label' },
  },
  Alert: {
    valid: alertProps,
    build: (stack, p) => new Alert(new RuleGroup(stack, 'g'), p as never),
    bad: {
      name: 'Target_Down',
      expr: 'up == 0',
      for: '5 minutes',
      severity: 'page',
      gate: 'yes',
      summary: 'a target is down',
      description: 'up is down.',
      'labels.bad-key': 'x',
      runbook: 'alerts.txt',
      runbookSection: 'Bad Section',
      'tests.fires.title': '',
      'tests.fires.inputs': [],
      'tests.fires.inputs[0].series': '{}bad',
      'tests.fires.inputs[0].values': '',
      'tests.fires.evalTime': 'soon',
      'tests.fires.value': 'x',
      'tests.quiet.interval': '0s',
      'tests.more[0].expect': 'maybe',
      'tests.scenarios[0].step': 0,
      'tests.scenarios[0].expect[0].state': 'on',
    },
  },
  RuleFile: {
    valid: {
      id: 'slow-rules',
      source: 'src/recording-rules/burn-rate.ts',
      testEvaluationInterval: '1h',
      alertCasesInOneGroup: false,
    },
    build: (stack, { id, ...p }) => new RuleFile(stack, id as string, p as never),
    bad: { id: 'Bad_File', source: 'x', testEvaluationInterval: '1 day', alertCasesInOneGroup: 'yes' },
  },
  ExprTest: {
    valid: {
      title: 'burn rate',
      interval: '1h',
      evalTime: '0s',
      inputs: okCase.inputs,
      checks: [{ expr: up, labels: '{job="api"}', value: 1 }],
    },
    build: (stack, p) =>
      new ExprTest(new RuleFile(stack, 'f', { source: 'a test', testEvaluationInterval: '1h' }), 't', p as never),
    bad: {
      title: 'ab',
      interval: '0s',
      evalTime: 'x',
      inputs: [],
      checks: [],
      'checks[0].labels': 'job=api',
      'checks[0].value': 'x',
    },
  },
  Slo: {
    valid: {
      title: 'p95 latency',
      description: 'requests feel slow',
      threshold: ms(300),
      alertFor: '5m',
      load: { metric: 'http_req_duration', stat: 'p(95)', scale: 1000 },
      production: { objective: '99.5%', period: '30d' },
    },
    build: (stack, p) => new Slo(stack, 'slo', { sli: rule(stack), ...p } as never),
    bad: {
      title: 'ab',
      description: 'short',
      sli: new RecordingRule(new RuleGroup(new App(), 'g'), 'r', { record: 'job:x:ratio', expr: up, unit: 'seconds' }),
      threshold: 0.3,
      'threshold.value': -1,
      alertFor: '5 minutes',
      'load.metric': 'Bad-Metric',
      'load.stat': 'p(99)',
      'load.scale': 0,
      'production.objective': '100%',
      'production.period': '4w',
    },
  },
  AlertRouting: {
    // Inhibit rules are checked against the tree's alerts: this tree has none (the platform's are checked below).
    valid: { ...routing.props, inhibitRules: [] },
    build: (stack, p) => new AlertRouting(stack, 'am', p as never),
    bad: {
      relay: 'ftp://relay',
      'defaultReceiver.name': 'Bad Name',
      'defaultReceiver.description': 'short',
      'defaultReceiver.webhook': 'relay',
      groupBy: [],
      'groupBy[0]': 'team',
      groupWait: 'x',
      groupInterval: '0s',
      repeatInterval: 'x',
      routes: [],
      'routes[0].description': 'short',
      'routes[0].matchers': [],
      'routes[0].matchers[0].op': '==',
      'routes[0].matchers[0]': [{ label: 'job', op: '=~', value: '(' }, 'routes[0].matchers[0].value'],
      'routes[0].groupWait': 'x',
      'inhibitRules[0]': [
        {
          description: 'a rule under test',
          source: [],
          target: [{ label: 'job', op: '=', value: 'api' }],
          equal: ['job'],
        },
        'inhibitRules[0].source',
      ],
      inhibitRules: [
        [
          {
            description: 'a rule under test',
            source: [{ label: 'job', op: '=', value: 'api' }],
            target: [{ label: 'job', op: '=', value: 'api' }],
            equal: [],
          },
        ],
        'inhibitRules[0].equal',
      ],
    },
  },
  KubernetesManifests: {
    valid: cluster.props as unknown as Props,
    build: (stack, p) => new KubernetesManifests(stack, 'k', p as never),
    bad: {
      'target.url': 'not a url',
      'target.allowedHosts[0]': '',
      remoteWriteUrl: 'ftp://x',
      'runners.vusPerRunner': 0,
      'runners.minCpuMillis': 10,
      'runners.memoryMiBPerVu': 0,
      'runners.image': 'grafana/k6 latest',
      'prometheusRule.labels.bad key': 'x',
      'grafana.instanceSelector': [{}, 'grafana.instanceSelector'],
      'grafana.folder': '',
      'grafana.extra': [true, 'grafana'],
    },
  },
};

const problems = (subject: Subject, props: Props) => {
  const stack = new Stack(new App('t'), 's');
  subject.build(stack, props);
  return stack.validate();
};

describe('construct validation', () => {
  for (const [name, subject] of Object.entries(SUBJECTS)) {
    it(`${name}: valid props have no problems, and each bad field is named with a fix`, () => {
      assert.deepEqual(
        problems(subject, subject.valid).map((e) => e.message),
        [],
      );
      for (const [path, bad] of Object.entries(subject.bad)) {
        const [value, field] = Array.isArray(bad) && typeof bad[1] === 'string' && bad.length === 2 ? bad : [bad, path];
        const found = problems(subject, withField(subject.valid, path, value));
        assert.ok(found.length > 0, `${name}.${path} = ${String(value)} is accepted`);
        const hit = found.find((e) => e.field === field);
        assert.ok(
          hit,
          `${name}.${path}: expected a problem with field ${field}, got ${found.map((e) => e.message).join('; ')}`,
        );
        assert.ok(
          hit.fix && !/^(Too (small|big)|Invalid)/.test(hit.fix),
          `${name}.${path}: no fix of ours in ${hit.message}`,
        );
        assert.match(hit.message, new RegExp(`t/s/.*: field "${field.replace(/[.[\]]/g, '\\$&')}": .+ — fix: .+`));
      }
    });
  }

  it('reports every zod issue of one prop object, each with its path as the field', () => {
    const schema = z.object({
      a: z.string().min(2, 'give two characters'),
      list: z.array(z.object({ legend: z.string().min(1, 'give a legend') })),
    });
    assert.deepEqual(zodProblems(schema, { a: 'x', list: [{ legend: 'ok' }, { legend: '' }] }), [
      { field: 'a', reason: 'got "x"', fix: 'give two characters' },
      { field: 'list[1].legend', reason: 'got ""', fix: 'give a legend' },
    ]);
    assert.deepEqual(zodProblems(schema, { list: [] }), [{ field: 'a', reason: 'missing', fix: 'give a string' }]);
  });

  it('collects every problem of every construct, depth-first in definition order, into one error', () => {
    const root = new App('t');
    const stack = new Stack(root, 's');
    const d = new Dashboard(stack, 'D', { title: 'ab', description: 'a dashboard under test', tags: ['t'] });
    new Panel(new Row(d, 'r', { title: '' }), 'p', {
      title: 'P',
      description: 'short',
      unit: 'short',
      width: 0,
      queries: [{ expr: up }],
    });
    new RuleGroup(stack, 'g', { interval: 'soon' as '1m' });
    new RuleGroup(stack, 'g');
    assert.throws(
      () => validateTree(root),
      (e: unknown) => {
        assert.ok(e instanceof DefinitionErrors);
        assert.ok(
          e.errors.every(
            (x) => x instanceof DefinitionError && x.source?.startsWith('test/constructs/validation.test.ts:'),
          ),
        );
        assert.deepEqual(
          e.errors.map((x) => `${x.constructPath} ${x.field}`),
          [
            't/s/D id',
            't/s/D title',
            't/s/D/r title',
            't/s/D/r/p description',
            't/s/D/r/p width',
            't/s/g interval',
            't/s/g id',
          ],
        );
        const lines = e.message.split('\n');
        assert.equal(lines[0], '7 definition errors:');
        assert.deepEqual(
          lines.slice(1),
          e.errors.map((x) => `  ${x.message}`),
        );
        return true;
      },
    );
  });

  it('a dashboard uid used twice anywhere in the tree, and a second AlertRouting, are problems of the later one', () => {
    const root = new App('t');
    for (const team of ['a', 'b'])
      new Dashboard(new Construct(root, team), 'same', {
        title: 'Same',
        description: 'a dashboard under test',
        tags: ['t'],
      });
    new AlertRouting(root, 'am', { ...routing.props, inhibitRules: [] });
    new AlertRouting(root, 'am2', { ...routing.props, inhibitRules: [] });
    const messages = root.validate().map((e) => e.message);
    assert.ok(
      messages.some((m) =>
        /t\/b\/same: field "id": dashboard uid "same" is also used by t\/a\/same \(test\/constructs\/validation\.test\.ts:\d+\) — fix: give one of them another id/.test(
          m,
        ),
      ),
      messages.join('\n'),
    );
    assert.ok(
      messages.some((m) => /t\/am2: field "id": only one AlertRouting per app \(t\/am is the other\)/.test(m)),
      messages.join('\n'),
    );
    assert.ok(!messages.some((m) => /t\/a\/same|t\/am:/.test(m.split(' ')[1] ?? '')), 'the first of each is fine');
  });

  it('alerts in a rule file of their own must suit its tests: no scenarios, instant cases when tested in one group', () => {
    const stack = new Stack(new App('t'), 's');
    const file = new RuleFile(stack, 'slow', {
      source: 'a test file',
      testEvaluationInterval: '1h',
      alertCasesInOneGroup: true,
    });
    new Alert(new RuleGroup(file, 'g'), alertProps as never);
    assert.deepEqual(
      stack.validate().map((e) => e.field),
      ['tests.scenarios', 'tests', 'tests', 'tests'],
    );
  });

  it('the platform definitions have no problems', () => {
    assert.deepEqual(
      app.validate().map((e) => e.message),
      [],
    );
  });
});

describe('where a definition error points', () => {
  it("names the bad field's own line when its value was written by a helper (ms(...)), not the construct's", async () => {
    const { app } = await import('../fixtures/apps/slo-bad-threshold.js');
    const errors = app.validate().filter((e) => e.constructPath === 'bad/slos/negative');
    assert.deepEqual(
      errors.map((e) => [e.source, e.field]),
      [['test/fixtures/apps/slo-bad-threshold.ts:36', 'threshold.value']],
    );
    // A field no helper wrote keeps the construct's line.
    const { Slo } = await import('../../src/constructs/slo.js');
    const { offBucket } = await import('../fixtures/apps/slo-bad-threshold.js');
    const slo = new Slo(offBucket.scope!, 'bad-for', { ...offBucket.props, alertFor: '5 minutes' as '5m' });
    const [problem] = slo.problems();
    assert.equal(problem!.field, 'alertFor');
    assert.match(problem!.source!, /^test\/constructs\/validation\.test\.ts:\d+$/);
  });
});

describe('a quantity read back from its text', () => {
  it('is the quantity its helper wrote: kind, value and the helper call', () => {
    for (const [q, helper, n] of [
      [percent(0.5), 'percent', 0.5],
      [ms(300), 'ms', 300],
      [seconds(2), 'seconds', 2],
      [count(5), 'count', 5],
    ] as const) {
      assert.deepEqual(readQuantityText(q.text), { helper, n, kind: q.kind, value: q.value }, q.text);
    }
    for (const bad of ['0.5 %', '300 ms', 'ms', '-1%', '1h', '0.1pp'])
      assert.equal(readQuantityText(bad), undefined, bad);
  });
});
