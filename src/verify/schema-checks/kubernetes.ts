// Kubernetes manifests (infra/kubernetes/): custom resources against their vendored CRDs, and what
// the CRDs leave to the API server (apiVersion, kind, metadata names and labels, ConfigMaps), plus
// the references between them a TestRun needs to start (its script ConfigMap and profile key).
import { parseAllDocuments } from 'yaml';
import { K6_SCRIPT_MOUNT } from '../../synth/k6-testrun.js';
import type { Finding } from '../../kernel/findings.js';
import { crdValidator, CRD_SCHEMAS } from './crds.js';
import { brief, finding, isRecord, run, toJson, type Issue } from './issues.js';
import { SCHEMA_RULES } from './registry.js';

/** A parsed manifest: the file, the document's index in it, the resource. */
export interface Manifest {
  readonly file: string;
  readonly index: number;
  readonly doc: unknown;
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_KEY =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const CONFIGMAP_KEY = /^[-._a-zA-Z0-9]+$/;
/** The API server's limit on one object (etcd), which is what bounds a ConfigMap. */
const CONFIGMAP_MAX_BYTES = 1024 * 1024;
/** k6-operator's script key when a TestRun names none. */
const K6_DEFAULT_SCRIPT = 'test.js';

const KNOWN = [...Object.keys(CRD_SCHEMAS), 'v1 ConfigMap'];

/** Parses a manifest file; every document of a multi-document file is one manifest. */
export function parseManifests(file: string, text: string): { manifests: Manifest[]; findings: Finding[] } {
  const manifests: Manifest[] = [];
  const findings: Finding[] = [];
  parseAllDocuments(text).forEach((d, index) => {
    if (d.errors.length) {
      findings.push({
        rule: SCHEMA_RULES.parse,
        file,
        object: `YAML document #${index}`,
        message: `does not parse: ${d.errors.map((e) => e.message.split('\n')[0]).join('; ')}`,
        fix: 'Fix the YAML syntax (or regenerate the file with `make synth`).',
      });
    } else if (d.contents !== null) manifests.push({ file, index, doc: toJson(d.toJS()) });
  });
  return { manifests, findings };
}

const issue = (pointer: string, keyword: string, message: string, fix: string): Issue => ({
  pointer,
  keyword,
  message,
  fix,
});

/** What the CRDs do not check: the object's identity and metadata. */
function metadataIssues(doc: Record<string, unknown>): Issue[] {
  const out: Issue[] = [];
  const meta = isRecord(doc.metadata) ? doc.metadata : undefined;
  if (!meta) return [issue('/metadata', 'required', 'has no metadata mapping', 'Add metadata with at least a name.')];
  const name = meta.name;
  if (typeof name !== 'string' || name.length > 253 || !DNS_SUBDOMAIN.test(name)) {
    out.push(
      issue(
        '/metadata/name',
        'dns1123',
        `must be a DNS-1123 subdomain (lower-case alphanumerics, '-' and '.', at most 253 characters), got ${brief(name)}`,
        'Rename the object, e.g. stressgate-moderate.',
      ),
    );
  }
  const labels = meta.labels === undefined ? {} : meta.labels;
  if (!isRecord(labels))
    out.push(issue('/metadata/labels', 'type', 'must be a mapping of strings', 'Write labels as key: "value" pairs.'));
  else {
    for (const [k, v] of Object.entries(labels)) {
      const key = k.replace(/~/g, '~0').replace(/\//g, '~1');
      const bad = (k.includes('/') ? k.slice(k.indexOf('/') + 1) : k).length > 63 || !LABEL_KEY.test(k);
      if (bad)
        out.push(
          issue(
            `/metadata/labels/${key}`,
            'labelKey',
            `label key ${brief(k)} is not a valid Kubernetes label key`,
            'Use an optional DNS prefix and a name of at most 63 alphanumerics, -, _ and .',
          ),
        );
      if (typeof v !== 'string' || v.length > 63 || !LABEL_VALUE.test(v)) {
        out.push(
          issue(
            `/metadata/labels/${key}`,
            'labelValue',
            `label value ${brief(v)} must be a string of at most 63 alphanumerics, -, _ and .`,
            'Quote the value and shorten it.',
          ),
        );
      }
    }
  }
  if (
    meta.annotations !== undefined &&
    (!isRecord(meta.annotations) || Object.values(meta.annotations).some((v) => typeof v !== 'string'))
  ) {
    out.push(
      issue('/metadata/annotations', 'type', 'annotations must map keys to strings', 'Quote every annotation value.'),
    );
  }
  return out;
}

function configMapIssues(doc: Record<string, unknown>): Issue[] {
  const out: Issue[] = [];
  for (const key of Object.keys(doc)) {
    if (!['apiVersion', 'kind', 'metadata', 'data', 'binaryData', 'immutable'].includes(key)) {
      out.push(
        issue(
          `/${key}`,
          'additionalProperties',
          `a ConfigMap has no field "${key}"`,
          `Remove /${key} or correct its name.`,
        ),
      );
    }
  }
  const data = doc.data === undefined ? {} : doc.data;
  if (!isRecord(data))
    return [...out, issue('/data', 'type', 'must be a mapping of strings', 'Write data as key: "value" pairs.')];
  for (const [k, v] of Object.entries(data)) {
    if (!CONFIGMAP_KEY.test(k))
      out.push(
        issue(
          `/data/${k}`,
          'configMapKey',
          `key ${brief(k)} may hold only alphanumerics, -, _ and .`,
          'Rename the key.',
        ),
      );
    if (typeof v !== 'string')
      out.push(issue(`/data/${k}`, 'type', `must be a string, got ${brief(v)}`, 'Quote the value.'));
  }
  const bytes = Buffer.byteLength(JSON.stringify(doc));
  if (bytes > CONFIGMAP_MAX_BYTES) {
    out.push(
      issue(
        '/data',
        'maxBytes',
        `the ConfigMap is ${bytes} bytes, over the API server's ${CONFIGMAP_MAX_BYTES}`,
        'Split it, or shrink the bundle (it is minifiable).',
      ),
    );
  }
  return out;
}

const objectName = (doc: Record<string, unknown>) => {
  const name = isRecord(doc.metadata) && typeof doc.metadata.name === 'string' ? doc.metadata.name : '(no name)';
  return `${typeof doc.kind === 'string' ? doc.kind : 'object'} ${name}`;
};

/** Validates one manifest on its own. */
export function validateManifest(m: Manifest): Finding[] {
  const add = (issues: Issue[], object: string) =>
    issues.map((i) => finding(SCHEMA_RULES.kubernetes, m.file, object, i));
  if (!isRecord(m.doc))
    return add(
      [
        issue(
          '',
          'type',
          `a manifest must be a mapping, got ${brief(m.doc)}`,
          'Write the resource as apiVersion, kind, metadata, spec.',
        ),
      ],
      `document #${m.index}`,
    );
  const doc = m.doc;
  const object = objectName(doc);
  const { apiVersion, kind } = doc;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string' || !KNOWN.includes(`${apiVersion} ${kind}`)) {
    return add(
      [
        issue(
          '',
          'kind',
          `apiVersion ${brief(apiVersion)} with kind ${brief(kind)} has no schema here (known: ${KNOWN.join(', ')})`,
          'Use one of the known kinds, or vendor its CRD into schemas/kubernetes/ and add it to CRD_SCHEMAS in src/verify/schema-checks/crds.ts.',
        ),
      ],
      object,
    );
  }
  const issues = metadataIssues(doc);
  const validator = crdValidator(apiVersion, kind);
  if (validator)
    issues.push(...run(validator, doc, `the ${kind} CRD (schemas/${CRD_SCHEMAS[`${apiVersion} ${kind}`]})`));
  else issues.push(...configMapIssues(doc));
  return add(issues, object);
}

/** A TestRun's script ConfigMap and its PROFILE_FILE must be among the manifests, or its pods never start. */
function referenceFindings(manifests: readonly Manifest[]): Finding[] {
  const configMaps = new Map<string, Record<string, unknown>>();
  for (const { doc } of manifests) {
    if (isRecord(doc) && doc.kind === 'ConfigMap' && isRecord(doc.metadata) && typeof doc.metadata.name === 'string') {
      configMaps.set(doc.metadata.name, isRecord(doc.data) ? doc.data : {});
    }
  }
  const out: Finding[] = [];
  for (const m of manifests) {
    const doc = m.doc;
    if (
      !isRecord(doc) ||
      doc.kind !== 'TestRun' ||
      !isRecord(doc.spec) ||
      !isRecord(doc.spec.script) ||
      !isRecord(doc.spec.script.configMap)
    )
      continue;
    const ref = doc.spec.script.configMap;
    const add = (pointer: string, message: string, fix: string) =>
      out.push(finding(SCHEMA_RULES.kubernetes, m.file, objectName(doc), issue(pointer, 'reference', message, fix)));
    const data = typeof ref.name === 'string' ? configMaps.get(ref.name) : undefined;
    if (!data) {
      add(
        '/spec/script/configMap/name',
        `ConfigMap ${brief(ref.name)} is not among the manifests`,
        'Point the TestRun at the generated script ConfigMap (run `make synth`).',
      );
      continue;
    }
    const script = typeof ref.file === 'string' ? ref.file : K6_DEFAULT_SCRIPT;
    if (!(script in data))
      add(
        '/spec/script/configMap/file',
        `ConfigMap ${String(ref.name)} has no key ${brief(script)}`,
        'Name a key the ConfigMap holds.',
      );
    for (const pod of ['initializer', 'runner'] as const) {
      const spec = isRecord(doc.spec[pod]) ? doc.spec[pod] : {};
      (Array.isArray(spec.env) ? spec.env : []).forEach((e, i) => {
        if (!isRecord(e) || e.name !== 'PROFILE_FILE' || typeof e.value !== 'string') return;
        const key = e.value.startsWith(`${K6_SCRIPT_MOUNT}/`) ? e.value.slice(K6_SCRIPT_MOUNT.length + 1) : undefined;
        if (key === undefined || !(key in data)) {
          add(
            `/spec/${pod}/env/${i}/value`,
            `PROFILE_FILE ${brief(e.value)} is not a key of ConfigMap ${String(ref.name)} mounted at ${K6_SCRIPT_MOUNT}/`,
            'Point it at a profile the ConfigMap holds.',
          );
        }
      });
    }
  }
  return out;
}

/** Validates a set of manifest files (path → text): each document, then the references between them. */
export function validateKubernetesFiles(
  files: ReadonlyArray<{ readonly file: string; readonly text: string }>,
): Finding[] {
  const manifests: Manifest[] = [];
  const findings: Finding[] = [];
  for (const { file, text } of files) {
    const parsed = parseManifests(file, text);
    manifests.push(...parsed.manifests);
    findings.push(...parsed.findings);
  }
  for (const m of manifests) findings.push(...validateManifest(m));
  return [...findings, ...referenceFindings(manifests)];
}
