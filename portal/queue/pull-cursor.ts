import { createHash } from 'node:crypto';
import { z } from 'zod';
import { PortalErrorCode } from '../../common/contract/errors.js';
import { BusinessDay } from '../../common/domain/business-day.js';
import { PortalError } from '../http/portal-error.js';
import { isRealDay } from '../../common/domain/business-day.js';

const CURSOR_VERSION = 1;

/**
 * Where a kiosk's last pull left off. Opaque to the kiosk (base64url of a JSON array) and checked
 * when it comes back; never trusted beyond "what to send again".
 */
export interface PullCursor {
  /** Which hall issued it: a cursor from another hall means "send everything". */
  hallTag: string;
  catalogVersion: number;
  /** The hall's appointment change counter the kiosk has seen everything up to. */
  appointmentSeq: number;
  /**
   * The last business day that pull covered (its "tomorrow"). Appointments of later days were
   * not sent whatever their change_seq, so a day entering the window is sent in full.
   */
  coveredUntil: BusinessDay;
}

const Counter = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const CursorTuple = z.tuple([z.literal(CURSOR_VERSION), z.string().regex(/^[0-9a-f]{12}$/), Counter, Counter, BusinessDay]);

/** 12 hex digits of SHA-256: enough to tell halls apart, short enough to keep the cursor small. */
export function hallTagOf(hallId: string): string {
  return createHash('sha256').update(hallId, 'utf8').digest('hex').slice(0, 12);
}

export function encodePullCursor(cursor: PullCursor): string {
  const tuple = [CURSOR_VERSION, cursor.hallTag, cursor.catalogVersion, cursor.appointmentSeq, cursor.coveredUntil];
  return Buffer.from(JSON.stringify(CursorTuple.parse(tuple)), 'utf8').toString('base64url');
}

/** The cursor a kiosk sent back; 400 bad-request when it is not one this portal issued. */
export function decodePullCursor(text: string): PullCursor {
  const malformed = () => new PortalError(PortalErrorCode.BadRequest, 'invalid cursor: send the cursor of the last pull, or none');
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(text)) throw malformed();
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw malformed();
  }
  const parsed = CursorTuple.safeParse(json);
  if (!parsed.success) throw malformed();
  const [, hallTag, catalogVersion, appointmentSeq, coveredUntil] = parsed.data;
  if (!isRealDay(coveredUntil)) throw malformed();
  return { hallTag, catalogVersion, appointmentSeq, coveredUntil };
}
