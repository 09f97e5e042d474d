// Errors the handlers throw; the error handler turns them into JSON bodies without stack traces.
import type { ZodType } from 'zod';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
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

/** Parses `data` with `schema`; the first issue becomes a 400 naming `where.path` (e.g. `body.title`). */
export function parse<T>(schema: ZodType<T>, data: unknown, where: 'body' | 'params' | 'query' | 'message'): T {
  const r = schema.safeParse(data ?? {});
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const field = [where, ...issue.path.map(String)].join('.');
  throw new ValidationError(field, issue.message);
}
