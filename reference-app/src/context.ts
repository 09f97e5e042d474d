// What every route module gets: the dependencies, metrics, config and the realtime hub.
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Dependencies } from './dependencies.js';
import { parse, unauthorized } from './errors.js';
import type { Hub } from './hub.js';

export interface Context extends Dependencies {
  readonly hub: Hub;
}

/** The authenticated user's id from `Authorization: Bearer <access token>`; 401 otherwise. */
export function userOf(ctx: Context, req: FastifyRequest): number {
  const h = req.headers.authorization;
  if (!h) throw unauthorized('missing Authorization: Bearer <access token>');
  const m = /^Bearer\s+(\S+)$/i.exec(h);
  if (!m) throw unauthorized('Authorization header must be "Bearer <access token>"');
  return ctx.tokens.verifyAccess(m[1]!);
}

export const id = z.coerce.number().int().min(1).max(2_147_483_647);
export const idParams = z.object({ id });
export const page = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.coerce.number().int().min(1).max(2_147_483_647).optional(),
});

export const params = <T>(schema: z.ZodType<T>, req: FastifyRequest) => parse(schema, req.params, 'params');
export const query = <T>(schema: z.ZodType<T>, req: FastifyRequest) => parse(schema, req.query, 'query');
export const body = <T>(schema: z.ZodType<T>, req: FastifyRequest) => parse(schema, req.body, 'body');

/** `{ items, next_cursor }` for id-descending pages fetched with `limit + 1` rows. */
export function paged<T extends { id: number }>(rows: T[], limit: number): { items: T[]; next_cursor: string | null } {
  const items = rows.slice(0, limit);
  return { items, next_cursor: rows.length > limit ? String(items[items.length - 1]!.id) : null };
}
