// Errors the handlers throw; the error handler turns them into JSON bodies without stack traces.
import type { ZodType } from 'zod';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
    /** Response headers that go with the error (`retry-after`). */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new HttpError(404, 'not_found', `${what} not found`);
export const forbidden = (message: string) => new HttpError(403, 'forbidden', message);
export const conflict = (message: string, code = 'conflict') => new HttpError(409, code, message);
export const unauthorized = (message: string) => new HttpError(401, 'unauthorized', message);

/** A dependency (PostgreSQL, Redis) could not serve the request: 503, the dependency named. */
export class DependencyError extends HttpError {
  constructor(
    readonly dependency: 'postgres' | 'redis',
    override readonly cause: unknown,
  ) {
    super(503, 'dependency_unavailable', `${dependency} is unavailable; retry later`, { dependency });
  }
}

export class ValidationError extends HttpError {
  constructor(field: string, message: string) {
    super(400, 'validation_failed', `${field}: ${message}`, { field });
  }
}

/** Refused before the credentials are checked: too many failed logins (reference-app/src/throttle.ts). */
export const tooManyAttempts = (message: string, retryAfterS: number) =>
  new HttpError(
    429,
    'too_many_attempts',
    message,
    { retry_after_s: retryAfterS },
    { 'retry-after': String(retryAfterS) },
  );

/**
 * Why PostgreSQL's text type cannot store a string faithfully: a NUL character it refuses (a 500), or
 * a lone UTF-16 surrogate (`"\ud800"` in JSON) that UTF-8 cannot encode, stored silently altered.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
function unstorable(text: string): string | undefined {
  if (text.includes('\u0000')) return 'must not contain NUL (\\u0000) characters';
  if (LONE_SURROGATE.test(text))
    return 'must be well-formed Unicode (a lone surrogate such as \\ud800 cannot be stored)';
  return undefined;
}

/**
 * The path of the first string (or object key) in `data` that text columns cannot store, and why.
 * Iterative: a 64 KB body can nest deeper than the call stack.
 */
export function unstorableText(data: unknown): { path: (string | number)[]; reason: string } | undefined {
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value: data, path: [] }];
  while (stack.length) {
    const { value, path } = stack.pop()!;
    if (typeof value === 'string') {
      const reason = unstorable(value);
      if (reason) return { path, reason };
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], path: [...path, i] });
    } else if (value && typeof value === 'object') {
      const entries = Object.entries(value);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, v] = entries[i]!;
        const reason = unstorable(key);
        if (reason) return { path: [...path, key], reason };
        stack.push({ value: v, path: [...path, key] });
      }
    }
  }
  return undefined;
}

/**
 * Parses `data` with `schema`; the first issue becomes a 400 naming `where.path` (e.g. `body.title`).
 * Every request body, query, path and WebSocket frame passes here, so text PostgreSQL cannot store
 * (a NUL: a 500; a lone surrogate: silently altered) is refused once, here, as a 400 naming the field.
 */
export function parse<T>(schema: ZodType<T>, data: unknown, where: 'body' | 'params' | 'query' | 'message'): T {
  const bad = unstorableText(data);
  if (bad) throw new ValidationError([where, ...bad.path.map(String)].join('.'), bad.reason);
  const r = schema.safeParse(data ?? {});
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const field = [where, ...issue.path.map(String)].join('.');
  throw new ValidationError(field, issue.message);
}
