import type http from 'node:http';
import { PortalErrorCode } from '../../common/contract/errors.js';
import { PortalError } from './portal-error.js';

/** A full push batch (500 events) is about 250 KB; leave room, refuse the absurd. */
export const MAX_BODY_BYTES = 2 * 1024 * 1024;

/** The request body parsed as JSON; an empty body is `undefined`. */
export async function readJsonBody(req: http.IncomingMessage, limit = MAX_BODY_BYTES): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limit) {
      throw new PortalError(PortalErrorCode.BadRequest, `body larger than ${limit} bytes`, { status: 413 });
    }
    chunks.push(buf);
  }
  if (size === 0) return undefined;
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    throw new PortalError(PortalErrorCode.BadRequest, 'body is not valid JSON');
  }
}
