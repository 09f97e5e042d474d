// The vendored CustomResourceDefinitions (schemas/kubernetes/) as ajv validators: a resource's schema
// is its CRD's spec.versions[<version>].schema.openAPIV3Schema, compiled once on first use.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Ajv, type AnySchemaObject, type ValidateFunction } from 'ajv';
import type { FormatsPlugin } from 'ajv-formats';
import { parse } from 'yaml';
import { SCHEMA_DIR } from './registry.js';

/** `apiVersion kind` → the CRD file (relative to schemas/) that defines it. */
export const CRD_SCHEMAS: Readonly<Record<string, string>> = {
  'k6.io/v1alpha1 TestRun': 'kubernetes/k6.io_testruns.crd.yaml',
  'monitoring.coreos.com/v1 PrometheusRule': 'kubernetes/monitoring.coreos.com_prometheusrules.crd.yaml',
  'monitoring.coreos.com/v1alpha1 AlertmanagerConfig': 'kubernetes/monitoring.coreos.com_alertmanagerconfigs.crd.yaml',
  'grafana.integreatly.org/v1beta1 GrafanaDashboard': 'kubernetes/grafana.integreatly.org_grafanadashboards.crd.yaml',
};

/**
 * CRD patterns are Go (RE2) regular expressions; the one construct JavaScript lacks here is the
 * inline `(?i)` flag (PrometheusRule's `^(?i)(abort|warn)?$`): drop it and compile case-insensitive.
 */
const goRegExp = Object.assign(
  (source: string, flags: string) =>
    source.includes('(?i)') ? new RegExp(source.replaceAll('(?i)', ''), `${flags}i`) : new RegExp(source, flags),
  { code: 'goRegExp' },
);

/**
 * The API server prunes fields a structural schema does not declare and `kubectl apply` (strict
 * field validation) refuses them, so a misspelt field is an error here too: every object schema that
 * lists its properties and neither sets additionalProperties nor preserves unknown fields is closed.
 */
export function closeStructural(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(closeStructural);
  if (typeof node !== 'object' || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    // `properties` maps field names to schemas: recurse into each schema, not into the map as one.
    out[k] =
      k === 'properties' && typeof v === 'object' && v !== null
        ? Object.fromEntries(Object.entries(v).map(([name, s]) => [name, closeStructural(s)]))
        : closeStructural(v);
  }
  const open = out['x-kubernetes-preserve-unknown-fields'] === true || 'additionalProperties' in out;
  if (!open && typeof out.properties === 'object' && out.properties !== null) out.additionalProperties = false;
  return out;
}

let ajv: Ajv | undefined;
const validators = new Map<string, ValidateFunction>();

function getAjv(): Ajv {
  if (!ajv) {
    // The TestRun CRD inlines three pod specs: ajv's code optimisation pass doubles its compile
    // time and buys nothing for a handful of small manifests.
    ajv = new Ajv({ strict: false, allErrors: true, code: { regExp: goRegExp, optimize: false } });
    (createRequire(import.meta.url)('ajv-formats') as FormatsPlugin)(ajv);
    // `x-kubernetes-int-or-string` fields take a number or a string; the format itself restricts nothing.
    ajv.addFormat('int-or-string', true);
  }
  return ajv;
}

interface Crd {
  spec: {
    group: string;
    names: { kind: string };
    versions: Array<{ name: string; schema?: { openAPIV3Schema?: AnySchemaObject } }>;
  };
}

/** The resource schema a CRD file declares for `apiVersion`, closed (see closeStructural). */
export function crdSchema(file: string, apiVersion: string): AnySchemaObject {
  const crd = parse(readFileSync(path.join(SCHEMA_DIR, file), 'utf8')) as Crd;
  const version = apiVersion.slice(apiVersion.indexOf('/') + 1);
  const schema = crd.spec.versions.find((v) => v.name === version)?.schema?.openAPIV3Schema;
  if (!schema) throw new Error(`schemas/${file}: no openAPIV3Schema for version ${version}`);
  return closeStructural(schema) as AnySchemaObject;
}

/** The validator for a custom resource, or undefined when no vendored CRD defines `apiVersion`/`kind`. */
export function crdValidator(apiVersion: string, kind: string): ValidateFunction | undefined {
  const key = `${apiVersion} ${kind}`;
  const file = CRD_SCHEMAS[key];
  if (!file) return undefined;
  let v = validators.get(key);
  if (!v) {
    v = getAjv().compile(crdSchema(file, apiVersion));
    validators.set(key, v);
  }
  return v;
}
