// The schema registry: one Ajv instance over the vendored upstream JSON Schemas (schemas/README.md),
// schemas added per folder on first use, validators compiled once. Validators per artefact live beside it.
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type AnySchemaObject, type ValidateFunction } from 'ajv';
import type { FormatsPlugin } from 'ajv-formats';

const require = createRequire(import.meta.url);

/** Absolute path of the vendored schemas (`<repo>/schemas`). */
export const SCHEMA_DIR: string = fileURLToPath(new URL('../../../schemas', import.meta.url));
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
  kubernetes: 'schema-kubernetes',
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

export const DASHBOARD_SCHEMA = 'grafana/dashboard.jsonschema.json';
export const RULES_SCHEMA = 'prometheus/prometheus.rules.json';
export const RULE_TESTS_SCHEMA = 'prometheus/prometheus.rules.test.json';
export const COMPOSE_SCHEMA = 'compose/compose-spec.json';
export const WORKFLOW_SCHEMA = 'github/github-workflow.json';

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
    for (const name of readdirSync(dir)
      .filter((n) => n.endsWith('.json'))
      .sort()) {
      const schema = JSON.parse(readFileSync(path.join(dir, name), 'utf8')) as AnySchemaObject;
      if (!ajv.validateSchema(schema))
        problems.push(`schemas/${group}/${name}: ${ajv.errorsText(ajv.errors, { dataVar: 'schema' })}`);
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
  for (const name of readdirSync(dir)
    .filter((n) => n.endsWith('.json'))
    .sort()) {
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
export function validatorFor(file: string, fragment = ''): ValidateFunction {
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

export function hasDefinition(file: string, name: string): boolean {
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
