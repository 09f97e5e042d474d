// `stressgate import rules FILE.yml`: a Prometheus rule file (or a PrometheusRule) to RuleFile/
// RuleGroup/RecordingRule/Alert source. Expressions are typed where the catalog knows their series;
// the rules are marked `imported`: they keep their own labels and annotations, and what they lack
// of ours (tests, a runbook, a severity) is the lint's findings, not a definition error.
import { parse as parseYaml } from 'yaml';
import { parsePromDuration } from '../kernel/duration.js';
import { UsageError } from '../usage-error.js';
import type { ImportResult } from './dashboard.js';
import { exprImports, exprSource } from './promql-source.js';
import { headerComment, slug, tsString, tsValue, uniqueIds } from './ts-source.js';
import { summarise, type Untyped } from './untyped.js';
import { plural } from '../kernel/words.js';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

const GROUP_KEYS = ['name', 'interval', 'limit', 'query_offset', 'labels', 'rules'];
const RULE_KEYS = ['record', 'alert', 'expr', 'for', 'keep_firing_for', 'labels', 'annotations'];

/** A recorded value's unit from its name (Prometheus naming); `count` (a plain number) otherwise. */
const unitOf = (record: string): 'ratio' | 'seconds' | 'count' =>
  /ratio|utilisation|utilization|percent|availability|burnrate|error_rate/.test(record)
    ? 'ratio'
    : /seconds|latency|duration/.test(record)
      ? 'seconds'
      : 'count';

function check(ok: boolean, file: string, field: string, fix: string): void {
  if (!ok) throw new UsageError(`${file}: field "${field}": ${fix}`);
}

/** Labels or annotations as strings (Prometheus reads `1` as "1"). */
function stringMap(v: unknown, file: string, field: string): Record<string, string> | undefined {
  if (v === undefined || v === null) return undefined;
  check(isObject(v), file, field, 'give a mapping of names to values');
  return Object.fromEntries(Object.entries(v as Json).map(([k, x]) => [k, String(x)]));
}

function duration(v: unknown, file: string, field: string): string | undefined {
  if (v === undefined) return undefined;
  check(typeof v === 'string' && parsePromDuration(v) !== undefined, file, field, 'write a duration such as 5m');
  return v as string;
}

export function importRules(text: string, file: string, imports: (module: string) => string): ImportResult {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new UsageError(`${file}: not YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  const untyped: Untyped[] = [];
  const uses = new Set<string>();
  let typed = 0;
  let groupsField = 'groups';
  if (isObject(doc) && doc.kind === 'PrometheusRule') {
    doc = isObject(doc.spec) ? doc.spec : undefined;
    groupsField = 'spec.groups';
    untyped.push({
      where: 'PrometheusRule',
      what: 'metadata',
      reason: 'not imported: written as a plain rule file (synth wraps the groups in its own PrometheusRule)',
    });
  }
  check(isObject(doc) && Array.isArray(doc.groups), file, groupsField, 'a rule file has a list of groups');
  const groups = (doc as Json).groups as unknown[];
  const id =
    slug(
      file
        .split('/')
        .pop()!
        .replace(/\.(ya?ml)$/, ''),
    ) || 'imported-rules';
  const body: string[] = [];
  const groupIds = uniqueIds();
  groups.forEach((g, gi) => {
    const at = `${groupsField}[${gi}]`;
    check(isObject(g) && typeof g.name === 'string', file, `${at}.name`, 'give each group a name');
    const group = g as Json;
    for (const k of Object.keys(group))
      check(GROUP_KEYS.includes(k), file, `${at}.${k}`, `not a Prometheus rule group field (${GROUP_KEYS.join(', ')})`);
    check(Array.isArray(group.rules ?? []), file, `${at}.rules`, 'give the group a list of rules');
    check(group.limit === undefined || Number.isInteger(group.limit), file, `${at}.limit`, 'give a whole number');
    const props = {
      interval: duration(group.interval, file, `${at}.interval`),
      limit: group.limit,
      queryOffset: duration(group.query_offset, file, `${at}.query_offset`),
      labels: stringMap(group.labels, file, `${at}.labels`),
    };
    const name = `group${gi + 1}`;
    groupIds(group.name as string);
    body.push(`const ${name} = new RuleGroup(file, ${tsString(group.name as string)}, ${tsValue(props)});`);
    const ruleIds = uniqueIds();
    ((group.rules ?? []) as unknown[]).forEach((r, ri) => {
      const rat = `${at}.rules[${ri}]`;
      check(isObject(r), file, rat, 'a rule is a mapping');
      const rule = r as Json;
      for (const k of Object.keys(rule))
        check(RULE_KEYS.includes(k), file, `${rat}.${k}`, `not a Prometheus rule field (${RULE_KEYS.join(', ')})`);
      const ruleName = rule.record ?? rule.alert;
      check(typeof ruleName === 'string' && ruleName !== '', file, `${rat}.record`, 'give a record or alert name');
      check(typeof rule.expr === 'string' || typeof rule.expr === 'number', file, `${rat}.expr`, 'give an expression');
      const src = exprSource(String(rule.expr), false);
      typed += src.typed;
      for (const u of src.uses) uses.add(u);
      const where = `${rule.alert ? 'alert' : 'record'} ${ruleName as string}`;
      for (const u of src.untyped) untyped.push({ ...u, where });
      const labels = stringMap(rule.labels, file, `${rat}.labels`);
      const cid = ruleIds(ruleName as string);
      const fields = [`imported: true`, `expr: ${src.code}`];
      if (typeof rule.record === 'string') {
        const unit = unitOf(rule.record);
        fields.unshift(`record: ${tsString(rule.record)}`);
        fields.push(`unit: '${unit}'`);
        if (labels) fields.push(`labels: ${tsValue(labels)}`);
        body.push(`new RecordingRule(${name}, ${tsString(cid)}, { ${fields.join(', ')} });`);
        return;
      }
      check(
        rule.alert !== undefined && rule.record === undefined,
        file,
        `${rat}.alert`,
        'a rule is a record or an alert',
      );
      fields.unshift(`name: ${tsString(ruleName as string)}`);
      if (cid !== ruleName) fields.push(`id: ${tsString(cid)}`);
      const hold = duration(rule.for, file, `${rat}.for`);
      const keep = duration(rule.keep_firing_for, file, `${rat}.keep_firing_for`);
      if (hold) fields.push(`for: ${tsString(hold)}`);
      if (keep) fields.push(`keepFiringFor: ${tsString(keep)}`);
      if (labels) fields.push(`labels: ${tsValue(labels)}`);
      const annotations = stringMap(rule.annotations, file, `${rat}.annotations`);
      if (annotations) fields.push(`annotations: ${tsValue(annotations)}`);
      body.push(`new Alert(${name}, { ${fields.join(', ')} });`);
    });
  });
  const summary = summarise(untyped);
  const hasRecords = body.some((l) => l.startsWith('new RecordingRule'));
  const hasAlerts = body.some((l) => l.startsWith('new Alert'));
  const rulesImport = ['Alert', 'RecordingRule', 'RuleGroup'].filter(
    (c) => c === 'RuleGroup' || (c === 'Alert' ? hasAlerts : hasRecords),
  );
  const source = [
    headerComment([
      `Imported from ${file} by \`stressgate import rules\` (docs/import.md).`,
      `${plural(typed, 'selector')} typed from the catalog. The rules are \`imported\`: no tests or`,
      'runbook of ours yet, which the lint reports (alert-tests, alert-metadata) until they are added.',
      ...(summary.length ? ['', 'Not typed (raw PromQL or kept as given):', ...summary.map((u) => `  - ${u}`)] : []),
    ]),
    `import { App } from '${imports('constructs/construct.js')}';`,
    `import { RuleFile } from '${imports('constructs/rule-file.js')}';`,
    `import { ${rulesImport.join(', ')} } from '${imports('constructs/rules.js')}';`,
    ...exprImports(uses, imports),
    '',
    `export const app = new App('imported');`,
    '',
    `export const file = new RuleFile(app, ${tsString(id)}, { source: ${tsString(`${file} (imported)`)}, testEvaluationInterval: '1m' });`,
    '',
    ...body,
    '',
  ].join('\n');
  return { source, untyped: summary, name: id, typed };
}
