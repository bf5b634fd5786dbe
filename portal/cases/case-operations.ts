import type pg from 'pg';
import { CASE_TRANSITIONS, CaseStatus, type CaseView, type StaffCase } from '../../common/contract/cases-api.js';
import type { LocalizedText } from '../../common/contract/catalog.js';
import { PortalErrorCode } from '../../common/contract/errors.js';
import type { BusinessDay } from '../../common/domain/business-day.js';
import type { StaffPrincipal } from '../auth/principals.js';
import { withTransaction } from '../db/transaction.js';
import { PortalError } from '../http/portal-error.js';
import { recordAudit } from '../staff/audit.js';
import { citizenView, insertCase, lockCase, moveCase, readCases } from './case-store.js';
import { issueCertificate } from './certificates.js';
import { dueDayForService } from './due-day.js';
import type { CertificateKek } from './key-sealing.js';

/**
 * The cases domain's operations (办件进度). A case opens inside the counter's completion (the
 * counter calls `openCaseOnCompletion`); staff move it along CASE_TRANSITIONS, each move one
 * transaction with its timeline entry, its audit line and, on conclusion with a title, its
 * e-certificate. A refused move rolls back and is then audited on its own, as refused.
 */

export interface CompletionWithCase {
  hallId: string;
  /** The clerk completing the ticket. */
  staffId: string;
  ticketId: string;
  serviceId: string;
  caseNumber: string;
  /** The hall's business day now. */
  today: BusinessDay;
}

/**
 * Opens the case of a ticket being completed, in the counter's transaction: the case, its first
 * timeline entry (受理) and its audit line commit with the completion or not at all. A case
 * number the hall already has is refused (409 `duplicate-case-number`), and the completion with it.
 */
export async function openCaseOnCompletion(client: pg.PoolClient, completion: CompletionWithCase): Promise<void> {
  const dueDay = await dueDayForService(client, completion.hallId, completion.serviceId, completion.today);
  const opened = await insertCase(client, {
    hallId: completion.hallId,
    caseNumber: completion.caseNumber,
    ticketId: completion.ticketId,
    staffId: completion.staffId,
    acceptedDay: completion.today,
    dueDay,
  });
  if (!opened) {
    throw new PortalError(
      PortalErrorCode.DuplicateCaseNumber,
      `case number ${completion.caseNumber} is already used in this hall: check the number (the ticket stays as it was)`,
    );
  }
  await recordAudit(client, {
    hallId: completion.hallId,
    actor: { kind: 'staff', id: completion.staffId },
    action: 'case.open',
    target: completion.caseNumber,
    detail: { ticketId: completion.ticketId, serviceId: completion.serviceId, dueDay },
    outcome: 'ok',
  });
}

export interface CaseUpdate {
  status: CaseStatus;
  note: string | null;
  /** With `concluded`: issue an e-certificate with this title. */
  certificateTitle: LocalizedText | null;
}

function caseNotFound(caseNumber: string): PortalError {
  return new PortalError(PortalErrorCode.NotFound, `case ${caseNumber} not found`);
}

/** One move of a case (clerk and above), audited; the case as it is afterwards. */
export async function updateCase(pool: pg.Pool, kek: CertificateKek, actor: StaffPrincipal, caseNumber: string, update: CaseUpdate): Promise<StaffCase> {
  const auditBase = { hallId: actor.hallId, actor: { kind: 'staff' as const, id: actor.staffId }, action: `case.${update.status}`, target: caseNumber };
  try {
    return await withTransaction(pool, async (client) => {
      const current = await lockCase(client, actor.hallId, caseNumber);
      if (!current) throw caseNotFound(caseNumber);
      if (!CASE_TRANSITIONS[current.status].includes(update.status)) {
        const allowed = CASE_TRANSITIONS[current.status];
        throw new PortalError(
          PortalErrorCode.InvalidTransition,
          `case ${caseNumber} is ${current.status}; it can become ${allowed.length > 0 ? allowed.join(' or ') : 'nothing else'}, not ${update.status}`,
        );
      }
      if (update.certificateTitle !== null && update.status !== CaseStatus.Concluded) {
        throw new PortalError(PortalErrorCode.BadRequest, 'a certificate is issued only when the case is concluded');
      }
      const at = await moveCase(client, { hallId: actor.hallId, caseNumber, status: update.status, note: update.note, staffId: actor.staffId });
      const certificate =
        update.certificateTitle === null
          ? null
          : await issueCertificate(client, kek, {
              hallId: actor.hallId,
              caseNumber,
              serviceId: current.service_id,
              title: update.certificateTitle,
              holderName: current.masked_name ?? '',
              issuedAt: at,
            });
      await recordAudit(client, {
        ...auditBase,
        detail: {
          from: current.status,
          to: update.status,
          ...(update.note !== null ? { note: update.note } : {}),
          ...(certificate ? { certificateId: certificate.payload.certificateId, keyId: certificate.code.split('.')[1] } : {}),
        },
        outcome: 'ok',
      });
      const [after] = await readCases(client, actor.hallId, { caseNumber });
      if (!after) throw caseNotFound(caseNumber);
      return after;
    });
  } catch (err) {
    if (err instanceof PortalError) {
      await recordAudit(pool, { ...auditBase, detail: { code: err.code, message: err.message }, outcome: 'refused' }).catch(() => undefined);
    }
    throw err;
  }
}

export async function listCases(db: pg.Pool, hallId: string, status: CaseStatus | null): Promise<StaffCase[]> {
  return readCases(db, hallId, { status });
}

export async function getCase(db: pg.Pool, hallId: string, caseNumber: string): Promise<StaffCase> {
  const [found] = await readCases(db, hallId, { caseNumber });
  if (!found) throw caseNotFound(caseNumber);
  return found;
}

/** How many cases a kiosk shows a visitor: the recent ones. */
export const KIOSK_CASES_SHOWN = 20;

/** The cases of the visitor whose card a kiosk read, in the kiosk's hall only, newest first. */
export async function casesOfCitizen(db: pg.Pool | pg.PoolClient, hallId: string, citizenHmac: string): Promise<CaseView[]> {
  return (await readCases(db, hallId, { citizenHmac }, KIOSK_CASES_SHOWN)).map(citizenView);
}
