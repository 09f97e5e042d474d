// Ajv errors as issues with an absolute JSON pointer into the validated file (combinator noise
// collapsed, each with a fix), and the small helpers every validator shares.
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { Finding } from '../../kernel/findings.js';

export interface Issue {
  /** JSON pointer into the validated document ('' = the root). */
  readonly pointer: string;
  readonly keyword: string;
  readonly message: string;
  readonly fix: string;
}

export const toJson = (x: unknown): unknown => (x === undefined ? undefined : JSON.parse(JSON.stringify(x)));

export function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

export function at(root: unknown, pointer: string): unknown {
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
export const under = (pointer: string, prefix: string) => pointer === prefix || pointer.startsWith(`${prefix}/`);
export const show = (p: string) => p || '/';

export function brief(value: unknown): string {
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
export function run(v: ValidateFunction, data: unknown, where: string, root: unknown = data, base = ''): Issue[] {
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
      out.push({
        pointer,
        keyword: err.keyword,
        message,
        fix: `Make ${show(pointer)} match exactly one alternative of ${where}.`,
        err,
      });
      continue;
    }
    const d = describe(err, at(root, pointer));
    out.push({ pointer, keyword: err.keyword, message: d.message, fix: d.fix(pointer, where), err });
  }
  // allErrors can report the same problem twice (e.g. through two $refs); keep the first. A `type` error
  // next to an `enum`/`const` error on the same value says less: keep the latter only.
  const seen = new Set<string>();
  const valueRestricted = new Set(
    out.filter((i) => i.keyword === 'enum' || i.keyword === 'const').map((i) => i.pointer),
  );
  return out
    .filter((i) => !(i.keyword === 'type' && valueRestricted.has(i.pointer)))
    .filter((i) => {
      const k = `${i.pointer}\u0000${i.message}`;
      return seen.has(k) ? false : (seen.add(k), true);
    })
    .map(({ pointer, keyword, message, fix }) => ({ pointer, keyword, message, fix }));
}

/** Replaces the issues under `prefix` by `replacement`, at the position of the first replaced one. */
export function replaceUnder(issues: Issue[], prefix: string, replacement: Issue[]): Issue[] {
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

export const schemaRef = (file: string, fragment = '') => `schemas/${file}${fragment}`;

export function finding(rule: string, file: string, object: string, issue: Issue): Finding {
  return { rule, file, object, message: `${show(issue.pointer)}: ${issue.message}`, fix: issue.fix };
}
