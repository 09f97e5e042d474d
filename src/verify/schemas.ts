// Schema validation of generated and hand-written artefacts against the vendored upstream JSON Schemas
// (schemas/README.md): Grafana dashboards (dashboard, panel options/fieldConfig, targets), Prometheus rule
// and rule-test files, Compose files and GitHub workflows. Every problem is reported as a `Finding`.
import { readFileSync, readdirSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type AnySchemaObject, type ErrorObject, type ValidateFunction } from 'ajv';
import type { FormatsPlugin } from 'ajv-formats';
import { parseDocument } from 'yaml';
import type { Finding } from './findings.js';

const require = createRequire(import.meta.url);

/** Absolute path of the vendored schemas (`<repo>/schemas`). */
export const SCHEMA_DIR: string = fileURLToPath(new URL('../../schemas/', import.meta.url));

/** Base id given to schemas without their own `$id` (the grafana ones); a common base lets relative `$ref`s resolve. */
const LOCAL_ID_BASE = 'https://schemas.stressgate.invalid/';

/** Rule ids of the findings this module produces. */
export const SCHEMA_RULES = {
  parse: 'schema-parse',
  dashboard: 'schema-dashboard',
  panelType: 'schema-panel-type',
  panelOptions: 'schema-panel-options',
  panelFieldConfig: 'schema-panel-fieldconfig',
  target: 'schema-target',
  targetDatasource: 'schema-target-datasource',
  rules: 'schema-rules',
  ruleTests: 'schema-rule-tests',
  compose: 'schema-compose',
  workflow: 'schema-workflow',
} as const;

/** Panel types with a vendored schema, and whether that schema has a `FieldConfig` definition. */
export const PANEL_SCHEMAS: Readonly<Record<string, { readonly file: string; readonly fieldConfig: boolean }>> = {
  timeseries: { file: 'grafana/timeseries.jsonschema.json', fieldConfig: true },
  stat: { file: 'grafana/stat.jsonschema.json', fieldConfig: false },
  gauge: { file: 'grafana/gauge.jsonschema.json', fieldConfig: false },
  bargauge: { file: 'grafana/bargauge.jsonschema.json', fieldConfig: false },
  table: { file: 'grafana/table.jsonschema.json', fieldConfig: true },
  heatmap: { file: 'grafana/heatmap.jsonschema.json', fieldConfig: true },
  text: { file: 'grafana/text.jsonschema.json', fieldConfig: false },
  logs: { file: 'grafana/logs.jsonschema.json', fieldConfig: false },
  statetimeline: { file: 'grafana/statetimeline.jsonschema.json', fieldConfig: true },
  statushistory: { file: 'grafana/statushistory.jsonschema.json', fieldConfig: true },
  histogram: { file: 'grafana/histogram.jsonschema.json', fieldConfig: true },
  piechart: { file: 'grafana/piechart.jsonschema.json', fieldConfig: true },
};

/** Datasource type (`target.datasource.type`) → schema of its query model (validated at the schema root). */
export const DATASOURCE_SCHEMAS: Readonly<Record<string, string>> = {
  prometheus: 'grafana/prometheus.jsonschema.json',
  loki: 'grafana/loki.jsonschema.json',
  __expr__: 'grafana/expr.jsonschema.json',
};

const DASHBOARD_SCHEMA = 'grafana/dashboard.jsonschema.json';
const RULES_SCHEMA = 'prometheus/prometheus.rules.json';
const RULE_TESTS_SCHEMA = 'prometheus/prometheus.rules.test.json';
const COMPOSE_SCHEMA = 'compose/compose-spec.json';
const WORKFLOW_SCHEMA = 'github/github-workflow.json';

// ---------------------------------------------------------------------------------------------------------
// Schema registry: one Ajv instance, schemas added per folder on first use, validators compiled once.

type Group = 'grafana' | 'prometheus' | 'compose' | 'github';

let ajvInstance: Ajv | undefined;
const loadedGroups = new Set<Group>();
/** Schema file (relative to SCHEMA_DIR, `/`-separated) → the id it was added under. */
const schemaIds = new Map<string, string>();
const validators = new Map<string, ValidateFunction>();
/**
 * Checks every vendored schema against its meta-schema and returns the problems found. Known and harmless:
 * grafana/common.jsonschema.json's `ScaleDirection` enum repeats 1 and -1 (upstream generator output).
 */
export function schemaMetaProblems(): string[] {
  const ajv = getAjv();
  const problems: string[] = [];
  for (const group of ['grafana', 'prometheus', 'compose', 'github'] as const) {
    const dir = path.join(SCHEMA_DIR, group);
    for (const name of readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
      const schema = JSON.parse(readFileSync(path.join(dir, name), 'utf8')) as AnySchemaObject;
      if (!ajv.validateSchema(schema)) problems.push(`schemas/${group}/${name}: ${ajv.errorsText(ajv.errors, { dataVar: 'schema' })}`);
    }
  }
  return problems;
}

function getAjv(): Ajv {
  if (!ajvInstance) {
    const ajv = new Ajv({ strict: false, allErrors: true });
    const addFormats = require('ajv-formats') as FormatsPlugin;
    addFormats(ajv);
    ajv.addKeyword('x-deprecation-message');
    // compose-spec.json declares "$schema": "https://json-schema.org/draft-07/schema" (https, no '#'),
    // which Ajv only knows as http://json-schema.org/draft-07/schema: register the alias.
    const draft07 = require('ajv/dist/refs/json-schema-draft-07.json') as AnySchemaObject;
    ajv.addMetaSchema({ ...draft07, $id: 'https://json-schema.org/draft-07/schema' });
    ajvInstance = ajv;
  }
  return ajvInstance;
}

function loadGroup(group: Group): void {
  if (loadedGroups.has(group)) return;
  const ajv = getAjv();
  const dir = path.join(SCHEMA_DIR, group);
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
    const rel = `${group}/${name}`;
    const schema = JSON.parse(readFileSync(path.join(dir, name), 'utf8')) as AnySchemaObject;
    const id = typeof schema.$id === 'string' ? schema.$id : `${LOCAL_ID_BASE}${rel}`;
    // Added without meta-validation (it costs ~50 ms per process and the files are vendored verbatim;
    // `schemaMetaProblems()` runs it, from the tests).
    ajv.addSchema(typeof schema.$id === 'string' ? schema : { ...schema, $id: id }, undefined, undefined, false);
    schemaIds.set(rel, id);
  }
  loadedGroups.add(group);
}

/** The compiled validator for a schema file, or for one of its definitions (`fragment` = `#/definitions/X`). */
function validatorFor(file: string, fragment = ''): ValidateFunction {
  const key = `${file}${fragment}`;
  let v = validators.get(key);
  if (!v) {
    loadGroup(file.slice(0, file.indexOf('/')) as Group);
    const id = schemaIds.get(file);
    if (!id) throw new Error(`schema ${file} not found in ${SCHEMA_DIR}`);
    v = getAjv().getSchema(`${id}${fragment}`);
    if (!v) throw new Error(`schema ${file}${fragment} not found`);
    validators.set(key, v);
  }
  return v;
}

function hasDefinition(file: string, name: string): boolean {
  loadGroup(file.slice(0, file.indexOf('/')) as Group);
  const id = schemaIds.get(file);
  const schema = id ? getAjv().getSchema(id)?.schema : undefined;
  const defs = typeof schema === 'object' && schema !== null ? (schema as AnySchemaObject).definitions : undefined;
  return typeof defs === 'object' && defs !== null && name in defs;
}

/** Compiles every vendored schema (and the definitions used for panels). For tests and warm-up. */
export function compileAllSchemas(): void {
  for (const g of ['grafana', 'prometheus', 'compose', 'github'] as const) loadGroup(g);
  for (const file of schemaIds.keys()) validatorFor(file);
  validatorFor(DASHBOARD_SCHEMA, '#/definitions/Panel');
  validatorFor(DASHBOARD_SCHEMA, '#/definitions/RowPanel');
  for (const { file, fieldConfig } of Object.values(PANEL_SCHEMAS)) {
    validatorFor(file, '#/definitions/Options');
    if (fieldConfig) validatorFor(file, '#/definitions/FieldConfig');
  }
}

// ---------------------------------------------------------------------------------------------------------
// Issues: ajv errors with an absolute JSON pointer into the file, combinator noise collapsed.

interface Issue {
  /** JSON pointer into the validated document ('' = the root). */
  readonly pointer: string;
  readonly keyword: string;
  readonly message: string;
  readonly fix: string;
}

const toJson = (x: unknown): unknown => (x === undefined ? undefined : JSON.parse(JSON.stringify(x)));

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function at(root: unknown, pointer: string): unknown {
  if (pointer === '') return root;
  let cur: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(cur)) cur = cur[Number(key)];
    else if (isRecord(cur)) cur = cur[key];
    else return undefined;
  }
  return cur;
}

const esc = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');
const under = (pointer: string, prefix: string) => pointer === prefix || pointer.startsWith(`${prefix}/`);
const show = (p: string) => p || '/';

function brief(value: unknown): string {
  const s = value === undefined ? 'undefined' : JSON.stringify(value);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

function describe(err: ErrorObject, value: unknown): { message: string; fix: (p: string, where: string) => string } {
  const params = err.params as Record<string, unknown>;
  const msg = err.message ?? err.keyword;
  switch (err.keyword) {
    case 'type':
      return {
        message: `${msg}, got ${brief(value)}`,
        fix: (p, where) => `Set ${show(p)} to a ${String(params.type).replace(/,/g, ' or ')} as ${where} requires.`,
      };
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ');
      return {
        message: `${msg} (${allowed}), got ${brief(value)}`,
        fix: (p) => `Set ${show(p)} to one of ${allowed}.`,
      };
    }
    case 'const':
      return {
        message: `${msg} ${JSON.stringify(params.allowedValue)}, got ${brief(value)}`,
        fix: (p) => `Set ${show(p)} to ${JSON.stringify(params.allowedValue)}.`,
      };
    case 'required':
      return {
        message: msg,
        fix: (p, where) => `Add ${show(p)}/${String(params.missingProperty)} (required by ${where}).`,
      };
    case 'additionalProperties':
      return {
        message: `${msg}: "${String(params.additionalProperty)}"`,
        fix: (p, where) =>
          `Remove ${p}/${esc(String(params.additionalProperty))} or correct its name: ${where} does not define it.`,
      };
    default:
      return {
        message: `${msg}, got ${brief(value)}`,
        fix: (p, where) => `Change ${show(p)}: it ${msg} (${where}).`,
      };
  }
}

/**
 * Runs a validator on `data` (a JSON value located at `base` in `root`) and returns issues with absolute
 * pointers. Errors of a failed `anyOf`/`oneOf` are folded into one issue that lists the alternatives' reasons
 * (ajv reports every branch's errors; they cannot be told apart reliably since schemaPaths restart in $refs).
 */
function run(v: ValidateFunction, data: unknown, where: string, root: unknown = data, base = ''): Issue[] {
  if (v(data)) return [];
  const out: Array<Issue & { readonly err: ErrorObject }> = [];
  for (const err of v.errors ?? []) {
    const pointer = `${base}${err.instancePath}`;
    if (err.keyword === 'anyOf' || err.keyword === 'oneOf') {
      const reasons: string[] = [];
      while (out.length > 0 && under(out[out.length - 1]!.pointer, pointer)) {
        const prev = out.pop()!;
        const rel = prev.pointer.slice(pointer.length);
        reasons.unshift(rel ? `${rel}: ${prev.message}` : prev.message);
      }
      const distinct = [...new Set(reasons)];
      const multiple = (err.params as { passingSchemas?: unknown }).passingSchemas;
      const message = Array.isArray(multiple)
        ? `matches more than one alternative of ${err.keyword} (${multiple.join(', ')})`
        : `matches none of the alternatives (${err.keyword})` +
          (distinct.length ? `: ${distinct.slice(0, 6).join('; ')}${distinct.length > 6 ? '; ...' : ''}` : '');
      out.push({ pointer, keyword: err.keyword, message, fix: `Make ${show(pointer)} match exactly one alternative of ${where}.`, err });
      continue;
    }
    const d = describe(err, at(root, pointer));
    out.push({ pointer, keyword: err.keyword, message: d.message, fix: d.fix(pointer, where), err });
  }
  // allErrors can report the same problem twice (e.g. through two $refs); keep the first. A `type` error
  // next to an `enum`/`const` error on the same value says less: keep the latter only.
  const seen = new Set<string>();
  const valueRestricted = new Set(out.filter((i) => i.keyword === 'enum' || i.keyword === 'const').map((i) => i.pointer));
  return out
    .filter((i) => !(i.keyword === 'type' && valueRestricted.has(i.pointer)))
    .filter((i) => {
      const k = `${i.pointer}\u0000${i.message}`;
      return seen.has(k) ? false : (seen.add(k), true);
    })
    .map(({ pointer, keyword, message, fix }) => ({ pointer, keyword, message, fix }));
}

/** Replaces the issues under `prefix` by `replacement`, at the position of the first replaced one. */
function replaceUnder(issues: Issue[], prefix: string, replacement: Issue[]): Issue[] {
  const out: Issue[] = [];
  let inserted = false;
  for (const issue of issues) {
    if (!under(issue.pointer, prefix)) out.push(issue);
    else if (!inserted) {
      out.push(...replacement);
      inserted = true;
    }
  }
  return inserted ? out : [...out, ...replacement];
}

const schemaRef = (file: string, fragment = '') => `schemas/${file}${fragment}`;

function finding(rule: string, file: string, object: string, issue: Issue): Finding {
  return { rule, file, object, message: `${show(issue.pointer)}: ${issue.message}`, fix: issue.fix };
}

// ---------------------------------------------------------------------------------------------------------
// Grafana dashboards

/**
 * Validates a dashboard (the JSON model, as provisioned) against the dashboard schema, then every panel
 * (rows' nested panels included) against the Panel/RowPanel definitions, its type's `Options` and
 * `FieldConfig` definitions, every target against its datasource's query schema, and the things Grafana
 * needs that the schemas leave optional (panel `id`, target `refId`, a datasource for each target).
 */
export function validateDashboard(file: string, dashboard: unknown): Finding[] {
  const data = toJson(dashboard);
  const findings: Finding[] = [];
  const dash = isRecord(data) ? data : {};
  const dashName = `dashboard ${typeof dash.uid === 'string' && dash.uid ? dash.uid : typeof dash.title === 'string' ? `"${dash.title}"` : '(no uid)'}`;

  let issues = run(validatorFor(DASHBOARD_SCHEMA), data, schemaRef(DASHBOARD_SCHEMA));
  const panels = Array.isArray(dash.panels) ? dash.panels : [];
  // Panels are validated one by one below, against the definition that fits their type.
  panels.forEach((_, i) => (issues = replaceUnder(issues, `/panels/${i}`, [])));
  for (const issue of issues) findings.push(finding(SCHEMA_RULES.dashboard, file, dashName, issue));

  const checkPanel = (panel: unknown, pointer: string, inRow: boolean): void => {
    const p = isRecord(panel) ? panel : {};
    const idPart = typeof p.id === 'number' ? `panel ${p.id}` : `panel ${pointer}`;
    const object = `${dashName} / ${idPart}${typeof p.title === 'string' ? ` "${p.title}"` : ''}`;
    const add = (rule: string, issue: Issue) => findings.push(finding(rule, file, object, issue));
    const isRow = p.type === 'row' && !inRow;

    const def = isRow ? '#/definitions/RowPanel' : '#/definitions/Panel';
    const shallow = isRow && Array.isArray(p.panels) ? { ...p, panels: [] } : panel;
    for (const issue of run(validatorFor(DASHBOARD_SCHEMA, def), shallow, schemaRef(DASHBOARD_SCHEMA, def), data, pointer)) {
      add(SCHEMA_RULES.dashboard, issue);
    }
    if (!isRecord(panel)) return;

    if (isRow) {
      (Array.isArray(p.panels) ? p.panels : []).forEach((child, i) => checkPanel(child, `${pointer}/panels/${i}`, true));
      return;
    }
    if (typeof p.type !== 'string') return; // the Panel definition already reported it
    if (p.type === 'row') {
      add(SCHEMA_RULES.panelType, {
        pointer: `${pointer}/type`, keyword: 'row', message: 'a row panel cannot be nested inside another row',
        fix: `Move ${pointer} out of its row to the dashboard's top-level panels.`,
      });
      return;
    }
    const panelSchema = PANEL_SCHEMAS[p.type];
    if (!panelSchema) {
      add(SCHEMA_RULES.panelType, {
        pointer: `${pointer}/type`, keyword: 'panelType',
        message: `panel type "${p.type}" has no schema (known: ${Object.keys(PANEL_SCHEMAS).join(', ')})`,
        fix: `Use one of the known panel types, or vendor the panel's jsonschema into schemas/grafana/ and add it to PANEL_SCHEMAS in src/verify/schemas.ts.`,
      });
    } else {
      if (p.options !== undefined) {
        const frag = '#/definitions/Options';
        for (const issue of run(validatorFor(panelSchema.file, frag), p.options, schemaRef(panelSchema.file, frag), data, `${pointer}/options`)) {
          add(SCHEMA_RULES.panelOptions, issue);
        }
      }
      const fc = p.fieldConfig;
      const custom = isRecord(fc) && isRecord(fc.defaults) ? fc.defaults.custom : undefined;
      if (custom !== undefined && panelSchema.fieldConfig) {
        const frag = '#/definitions/FieldConfig';
        for (const issue of run(validatorFor(panelSchema.file, frag), custom, schemaRef(panelSchema.file, frag), data, `${pointer}/fieldConfig/defaults/custom`)) {
          add(SCHEMA_RULES.panelFieldConfig, issue);
        }
      }
    }

    (Array.isArray(p.targets) ? p.targets : []).forEach((target, i) => {
      checkTarget(target, `${pointer}/targets/${i}`, p.datasource, (rule, issue, refId) =>
        findings.push(finding(rule, file, `${object} / target ${refId ?? `#${i}`}`, issue)),
      );
    });
  };

  const checkTarget = (
    target: unknown, pointer: string, panelDatasource: unknown,
    add: (rule: string, issue: Issue, refId?: string) => void,
  ): void => {
    if (!isRecord(target)) return; // the Panel definition reports non-object targets
    const refId = typeof target.refId === 'string' && target.refId ? target.refId : undefined;
    const ds = isRecord(target.datasource) ? target.datasource : isRecord(panelDatasource) ? panelDatasource : undefined;
    const dsType = typeof ds?.type === 'string' ? ds.type : undefined;
    if (!dsType) {
      add(SCHEMA_RULES.targetDatasource, {
        pointer, keyword: 'datasource', message: 'target has no datasource type (neither target.datasource.type nor the panel datasource.type is set)',
        fix: `Set ${pointer}/datasource to {"type": "prometheus", "uid": "\${datasource}"} (or the datasource the query is for).`,
      }, refId);
      return;
    }
    const dsFile = DATASOURCE_SCHEMAS[dsType];
    if (!dsFile) {
      add(SCHEMA_RULES.targetDatasource, {
        pointer: isRecord(target.datasource) ? `${pointer}/datasource/type` : pointer, keyword: 'datasource',
        message: `datasource type "${dsType}" has no query schema (known: ${Object.keys(DATASOURCE_SCHEMAS).join(', ')})`,
        fix: `Use a known datasource type, or vendor its jsonschema into schemas/grafana/ and add it to DATASOURCE_SCHEMAS in src/verify/schemas.ts.`,
      }, refId);
      return;
    }
    // Server-side expressions are a oneOf over the expression types: pick the branch by `type` for readable errors.
    let frag = '';
    if (dsType === '__expr__' && typeof target.type === 'string') {
      const name = `Type${target.type.replace(/(^|_)([a-z])/g, (_m, _u, c: string) => c.toUpperCase())}`;
      if (hasDefinition(dsFile, name)) frag = `#/definitions/${name}`;
    }
    for (const issue of run(validatorFor(dsFile, frag), target, schemaRef(dsFile, frag), data, pointer)) {
      add(SCHEMA_RULES.target, issue, refId);
    }
  };

  panels.forEach((panel, i) => checkPanel(panel, `/panels/${i}`, false));
  return findings;
}

// ---------------------------------------------------------------------------------------------------------
// Prometheus rule files and promtool rule-test files

/** Validates a Prometheus rule file (parsed YAML) against schemas/prometheus/prometheus.rules.json. */
export function validateRuleFile(file: string, doc: unknown): Finding[] {
  const data = toJson(doc);
  let issues = run(validatorFor(RULES_SCHEMA), data, schemaRef(RULES_SCHEMA));
  // A rule is a oneOf(recording_rule, alerting_rule): validate rules with errors against the one they mean.
  const groups = isRecord(data) && Array.isArray(data.groups) ? data.groups : [];
  groups.forEach((group, g) => {
    const rules = isRecord(group) && Array.isArray(group.rules) ? group.rules : [];
    rules.forEach((rule, r) => {
      const pointer = `/groups/${g}/rules/${r}`;
      if (!isRecord(rule) || !issues.some((i) => under(i.pointer, pointer))) return;
      const def = 'record' in rule ? 'recording_rule' : 'alert' in rule ? 'alerting_rule' : undefined;
      if (!def) return;
      const frag = `#/definitions/${def}`;
      issues = replaceUnder(issues, pointer, run(validatorFor(RULES_SCHEMA, frag), rule, schemaRef(RULES_SCHEMA, frag), data, pointer));
    });
  });
  return issues.map((issue) => finding(SCHEMA_RULES.rules, file, ruleObject(data, issue.pointer), issue));
}

function ruleObject(data: unknown, pointer: string): string {
  const m = /^\/groups\/(\d+)(?:\/rules\/(\d+))?/.exec(pointer);
  if (!m) return 'rule file';
  const group = at(data, `/groups/${m[1]}`);
  const groupName = isRecord(group) && typeof group.name === 'string' ? `group ${group.name}` : `group #${m[1]}`;
  if (m[2] === undefined) return groupName;
  const rule = at(data, `/groups/${m[1]}/rules/${m[2]}`);
  if (isRecord(rule) && typeof rule.alert === 'string') return `${groupName} / alert ${rule.alert}`;
  if (isRecord(rule) && typeof rule.record === 'string') return `${groupName} / record ${rule.record}`;
  return `${groupName} / rule #${m[2]}`;
}

/** Validates a `promtool test rules` file (parsed YAML) against schemas/prometheus/prometheus.rules.test.json. */
export function validateRuleTestFile(file: string, doc: unknown): Finding[] {
  const data = toJson(doc);
  return run(validatorFor(RULE_TESTS_SCHEMA), data, schemaRef(RULE_TESTS_SCHEMA)).map((issue) => {
    const m = /^\/tests\/(\d+)(?:\/(alert_rule_test|promql_expr_test|input_series)\/(\d+))?/.exec(issue.pointer);
    let object = 'rule test file';
    if (m) {
      object = `test #${m[1]}`;
      if (m[2] !== undefined) {
        const item = at(data, `/tests/${m[1]}/${m[2]}/${m[3]}`);
        const label =
          isRecord(item) && typeof item.alertname === 'string' ? ` (alert ${item.alertname})`
          : isRecord(item) && typeof item.expr === 'string' ? ` (${brief(item.expr)})`
          : isRecord(item) && typeof item.series === 'string' ? ` (${brief(item.series)})`
          : '';
        object += ` / ${m[2]} #${m[3]}${label}`;
      }
    }
    return finding(SCHEMA_RULES.ruleTests, file, object, issue);
  });
}

// ---------------------------------------------------------------------------------------------------------
// Compose files and GitHub workflows (for later use)

/** Validates a Docker Compose file (parsed YAML) against schemas/compose/compose-spec.json. */
export function validateCompose(file: string, doc: unknown): Finding[] {
  const data = toJson(doc);
  return run(validatorFor(COMPOSE_SCHEMA), data, schemaRef(COMPOSE_SCHEMA)).map((issue) => {
    const m = /^\/(services|networks|volumes|secrets|configs|models)\/([^/]+)/.exec(issue.pointer);
    const object = m ? `${m[1]!.replace(/s$/, '')} ${m[2]!.replace(/~1/g, '/').replace(/~0/g, '~')}` : 'compose file';
    return finding(SCHEMA_RULES.compose, file, object, issue);
  });
}

/**
 * Validates a GitHub Actions workflow (parsed YAML) against schemas/github/github-workflow.json.
 * The schema is a fallback: actionlint checks far more (see schemas/README.md).
 */
export function validateWorkflow(file: string, doc: unknown): Finding[] {
  const data = toJson(doc);
  return run(validatorFor(WORKFLOW_SCHEMA), data, schemaRef(WORKFLOW_SCHEMA)).map((issue) => {
    const m = /^\/jobs\/([^/]+)(?:\/steps\/(\d+))?/.exec(issue.pointer);
    let object = 'workflow';
    if (m) {
      const job = m[1]!.replace(/~1/g, '/').replace(/~0/g, '~');
      object = `job ${job}`;
      if (m[2] !== undefined) {
        const step = at(data, `/jobs/${m[1]}/steps/${m[2]}`);
        object += ` / step #${m[2]}${isRecord(step) && typeof step.name === 'string' ? ` "${step.name}"` : ''}`;
      }
    }
    return finding(SCHEMA_RULES.workflow, file, object, issue);
  });
}

// ---------------------------------------------------------------------------------------------------------
// Project tree

/** Sorts findings by file, then object, rule and message (plain code-unit order, independent of locale). */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...findings].sort(
    (a, b) => cmp(a.file, b.file) || cmp(a.object, b.object) || cmp(a.rule, b.rule) || cmp(a.message, b.message),
  );
}

async function listFiles(root: string, dir: string, exts: readonly string[]): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(path.join(root, dir));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return [];
    throw e;
  }
  return names.filter((n) => exts.some((x) => n.endsWith(x))).sort().map((n) => `${dir}/${n}`);
}

type Parsed = { ok: true; value: unknown } | { ok: false; finding: Finding };

async function parseFile(root: string, file: string, kind: 'json' | 'yaml'): Promise<Parsed> {
  return parseText(file, await readFile(path.join(root, file), 'utf8'), kind);
}

function parseText(file: string, text: string, kind: 'json' | 'yaml'): Parsed {
  const parseError = (message: string): Parsed => ({
    ok: false,
    finding: {
      rule: SCHEMA_RULES.parse, file, object: kind === 'json' ? 'JSON document' : 'YAML document',
      message: `does not parse: ${message}`,
      fix: `Fix the ${kind === 'json' ? 'JSON' : 'YAML'} syntax (or regenerate the file).`,
    },
  });
  if (kind === 'json') {
    try {
      return { ok: true, value: JSON.parse(text) as unknown };
    } catch (e) {
      return parseError((e as Error).message);
    }
  }
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) return parseError(doc.errors.map((e) => (e.message.split('\n')[0] ?? '').replace(/:\s*$/, '')).join('; '));
  return { ok: true, value: doc.toJS() as unknown };
}

/**
 * Validates the project's provisioned artefacts under `root`:
 * - `infra/grafana/provisioning/dashboards/*.json` as dashboards,
 * - `infra/prometheus/*.yml|*.yaml` that have a top-level `groups:` as rule files (never `prometheus.yml`),
 * - `infra/prometheus/tests/*.yml|*.yaml` as promtool rule-test files.
 * Files are read in sorted order; the findings are sorted with `sortFindings`. Paths are relative to `root`.
 */
export async function validateProjectSchemas(root: string): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const file of await listFiles(root, 'infra/grafana/provisioning/dashboards', ['.json'])) {
    const parsed = await parseFile(root, file, 'json');
    findings.push(...(parsed.ok ? validateDashboard(file, parsed.value) : [parsed.finding]));
  }
  for (const file of await listFiles(root, 'infra/prometheus', ['.yml', '.yaml'])) {
    if (/^prometheus\.ya?ml$/.test(path.posix.basename(file))) continue;
    const text = await readFile(path.join(root, file), 'utf8');
    if (!/^groups\s*:/m.test(text)) continue; // alertmanager.yml, web config, ...
    const parsed = parseText(file, text, 'yaml');
    findings.push(...(parsed.ok ? validateRuleFile(file, parsed.value) : [parsed.finding]));
  }
  for (const file of await listFiles(root, 'infra/prometheus/tests', ['.yml', '.yaml'])) {
    const parsed = await parseFile(root, file, 'yaml');
    findings.push(...(parsed.ok ? validateRuleTestFile(file, parsed.value) : [parsed.finding]));
  }
  return sortFindings(findings);
}
