// What a client frame on a WebSocket gets back: JSON text only, `ping` answered with `pong`, anything
// else handed to the channel's handler and acknowledged with its result, or answered with an error.
import type { RawData } from 'ws';
import type { Dependencies } from './dependencies.js';
import { HttpError } from './errors.js';

/** Handles a client frame on a channel; returns the reply to send back (or nothing). */
export type InboundHandler = (userId: number, msg: unknown) => Promise<unknown>;

/** The reply to one client frame; handler failures other than HTTP errors are logged and answered as internal errors. */
export async function answerFrame(
  data: RawData,
  isBinary: boolean,
  channel: string,
  handler: InboundHandler | undefined,
  userId: number,
  log: Dependencies['log'],
): Promise<unknown> {
  let msg: unknown;
  try {
    if (isBinary) throw new Error('binary frames are not supported');
    msg = JSON.parse(data.toString());
  } catch {
    return { type: 'error', error: 'validation_failed', field: 'message', message: 'frames must be JSON text' };
  }
  const ref = (msg as { ref?: unknown })?.ref;
  if ((msg as { type?: unknown })?.type === 'ping') return { type: 'pong', ref };
  if (!handler) return { type: 'error', ref, error: 'unsupported', message: `the ${channel} channel only pushes` };
  try {
    const result = await handler(userId, msg);
    return { type: 'ack', ref, data: result };
  } catch (err) {
    const e = err instanceof HttpError ? err : new HttpError(500, 'internal_error', 'internal error');
    if (!(err instanceof HttpError)) log.error({ err }, 'websocket handler failed');
    return { type: 'error', ref, error: e.code, message: e.message, status: e.status, ...e.extra };
  }
}
