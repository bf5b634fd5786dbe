import type pg from 'pg';
import { z } from 'zod';
import type { CaseView } from '../../common/contract/cases-api.js';
import { PortalErrorCode } from '../../common/contract/errors.js';
import { citizenHmacOf } from '../citizen/citizen-hmac.js';
import { idNumberProblem } from '../citizen/id-number.js';
import { PortalError } from '../http/portal-error.js';
import { citizenView, readCases } from './case-store.js';

/**
 * A citizen's case online (办件进度查询): case number and ID number. The ID number is turned into
 * the hall's HMAC at once and goes no further: not stored, not logged, not in any answer. A case
 * that does not exist and a case of someone else look exactly the same from outside (the same
 * coded 404, the same message, the same one query), so the page cannot be used to learn which
 * case numbers exist, nor to confirm a guessed ID number for a known case.
 */

export interface CitizenCaseLookup {
  hallId: string;
  caseNumber: string;
  idNumber: string;
}

/** The one refusal for "no such case" and "not your case". */
export function caseLookupMiss(): PortalError {
  return new PortalError(PortalErrorCode.NotFound, 'no case with this number for this ID number in this hall');
}

const HallKey = z.object({ citizen_hmac_key: z.string() });

/** The case, or null for a miss (unknown hall, unknown case, or the ID number does not match). */
export async function lookupCaseForCitizen(db: pg.Pool, lookup: CitizenCaseLookup): Promise<CaseView | null> {
  const problem = idNumberProblem(lookup.idNumber);
  // A number no card can carry is a typing error to point out, not a guess: it matches nobody.
  if (problem !== null) throw new PortalError(PortalErrorCode.BadRequest, `ID number is not valid (${problem}): check it`);
  const hall = await db.query('SELECT citizen_hmac_key FROM halls WHERE hall_id = $1', [lookup.hallId]);
  if (hall.rows.length === 0) return null;
  const citizenHmac = citizenHmacOf(HallKey.parse(hall.rows[0]).citizen_hmac_key, lookup.idNumber);
  const [found] = await readCases(db, lookup.hallId, { caseNumber: lookup.caseNumber, citizenHmac });
  return found ? citizenView(found) : null;
}
