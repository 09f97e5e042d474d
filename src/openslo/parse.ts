// Reading OpenSLO v1 YAML: every document of a file (a document may also be a list of objects, as the
// Go SDK writes them), each checked against the v1 schema. A bad file fails naming the file, the
// document and the field (a UsageError: exit 2, nothing written).
import { parseAllDocuments } from 'yaml';
import { UsageError } from '../usage-error.js';
import { documentSchema, type OpenSloDocument } from './schema.js';
import { upgradeV1alpha, V1ALPHA, v1alphaSloSchema } from './v1alpha.js';

export interface ParsedFile {
  readonly file: string;
  readonly documents: readonly OpenSloDocument[];
  /** What reading it changed: v1alpha objects brought to v1. */
  readonly notes: readonly string[];
}

const describe = (raw: unknown, index: number) => {
  const o = (raw ?? {}) as { kind?: unknown; metadata?: { name?: unknown } };
  const what = [o.kind, o.metadata?.name].filter((x) => typeof x === 'string').join(' ');
  return `object ${index + 1}${what ? ` (${what})` : ''}`;
};

export function parseOpenSlo(text: string, file: string): ParsedFile {
  const objects: unknown[] = [];
  for (const doc of parseAllDocuments(text)) {
    if ('errors' in doc && doc.errors.length) {
      const e = doc.errors[0]!;
      throw new UsageError(`${file}: line ${e.linePos?.[0].line ?? '?'}: ${e.message.split('\n')[0]}`);
    }
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) continue;
    objects.push(...(Array.isArray(value) ? value : [value]));
  }
  if (!objects.length) throw new UsageError(`${file}: no OpenSLO object in the file`);
  const notes: string[] = [];
  const fail = (raw: unknown, i: number, issue: { path: PropertyKey[]; message: string }) => {
    throw new UsageError(`${file}: ${describe(raw, i)}: field "${issue.path.join('.') || 'kind'}": ${issue.message}`);
  };
  // sloth's v1alpha SLOs, as v1 objects; any other v1alpha kind fails below, naming the version.
  const v1 = objects.flatMap((raw, i) => {
    if ((raw as { apiVersion?: unknown })?.apiVersion !== V1ALPHA || (raw as { kind?: unknown }).kind !== 'SLO')
      return [raw];
    const alpha = v1alphaSloSchema.safeParse(raw);
    if (!alpha.success) return fail(raw, i, alpha.error.issues[0]!);
    const upgraded = upgradeV1alpha(alpha.data);
    notes.push(...upgraded.notes);
    return upgraded.objects;
  });
  if (v1.length !== objects.length || objects.some((o) => (o as { apiVersion?: unknown })?.apiVersion === V1ALPHA))
    notes.unshift(`${file}: OpenSLO v1alpha (sloth's format), read as v1`);
  const documents = v1.map((raw, i) => {
    const result = documentSchema.safeParse(raw);
    return result.success ? result.data : fail(raw, i, result.error.issues[0]!);
  });
  return { file, documents, notes };
}
