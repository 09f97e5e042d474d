// Reading OpenSLO v1 YAML: every document of a file (a document may also be a list of objects, as the
// Go SDK writes them), each checked against the v1 schema. A bad file fails naming the file, the
// document and the field (a UsageError: exit 2, nothing written).
import { parseAllDocuments } from 'yaml';
import { UsageError } from '../usage-error.js';
import { documentSchema, type OpenSloDocument } from './schema.js';

export interface ParsedFile {
  readonly file: string;
  readonly documents: readonly OpenSloDocument[];
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
  const documents = objects.map((raw, i) => {
    const result = documentSchema.safeParse(raw);
    if (result.success) return result.data;
    const issue = result.error.issues[0]!;
    const field = issue.path.join('.') || 'kind';
    throw new UsageError(`${file}: ${describe(raw, i)}: field "${field}": ${issue.message}`);
  });
  return { file, documents };
}
