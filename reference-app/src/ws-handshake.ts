// The HTTP side of a WebSocket upgrade: one-time tickets in Redis (issued over HTTP with the access
// token, redeemed once by the upgrade request), and refusing an upgrade with an HTTP status and a JSON body.
import { randomBytes } from 'node:crypto';
import type { Duplex } from 'node:stream';
import type { Dependencies } from './dependencies.js';

const TICKET = /^[A-Za-z0-9_-]{20,100}$/;

/** Whether the text can be a ticket at all (checked before Redis is asked). */
export const isTicket = (text: string): boolean => TICKET.test(text);

/** A one-time ticket for the WS endpoints, valid WS_TICKET_TTL_S seconds. */
export async function issueTicket(
  ctx: Pick<Dependencies, 'config' | 'redis'>,
  userId: number,
): Promise<{ ticket: string; expires_in: number }> {
  const ticket = randomBytes(24).toString('base64url');
  const ttl = ctx.config.WS_TICKET_TTL_S;
  await ctx.redis.run((r) => r.set(`wsticket:${ticket}`, String(userId), 'EX', ttl));
  return { ticket, expires_in: ttl };
}

/** The ticket's user id, deleting the ticket; null when it is invalid, expired or already used. */
export function redeemTicket(ctx: Pick<Dependencies, 'redis'>, ticket: string): Promise<string | null> {
  return ctx.redis.run((r) => r.getdel(`wsticket:${ticket}`));
}

/** Answers the upgrade request with an HTTP error instead of switching protocols. */
export function rejectUpgrade(socket: Duplex, status: number, code: string, message: string): void {
  const body = JSON.stringify({ error: code, message });
  const text =
    { 400: 'Bad Request', 401: 'Unauthorized', 404: 'Not Found', 503: 'Service Unavailable' }[status] ?? 'Error';
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
