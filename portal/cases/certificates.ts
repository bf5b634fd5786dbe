import { randomBytes, sign } from 'node:crypto';
import type pg from 'pg';
import { z } from 'zod';
import { CertificateCode, CertificatePayload, CertificateVerdict, type CertificateView } from '../../common/contract/cases-api.js';
import type { LocalizedText } from '../../common/contract/catalog.js';
import { PortalErrorCode } from '../../common/contract/errors.js';
import { encodeUtf8 } from '../../common/domain/base64url.js';
import { certificatePayloadBytes, formatCertificateCode, parseCertificateCode } from '../../common/domain/certificate-code.js';
import { uuidV7 } from '../../common/domain/uuid-v7.js';
import { verifyCertificateCode, type CertificateVerification } from '../../common/node/certificate-verify.js';
import { PortalError } from '../http/portal-error.js';
import type { CertificateKek } from './key-sealing.js';
import { certificateKeysOf, signingKeyFor } from './signing-keys.js';

/**
 * E-certificates (电子证照): issued when a case is concluded with a title, signed with the hall's
 * Ed25519 key over the canonical payload (common/domain/certificate-code.ts), stored as exactly
 * the bytes signed and the signature, verified by anyone with the hall's public keys.
 */

export interface CertificateIssue {
  hallId: string;
  caseNumber: string;
  serviceId: string;
  title: LocalizedText;
  /** As masked on every screen; empty when the visit was anonymous. */
  holderName: string;
  issuedAt: Date;
}

/** Signs and stores the certificate of a case, inside the caller's transaction. */
export async function issueCertificate(client: pg.PoolClient, kek: CertificateKek, issue: CertificateIssue): Promise<CertificateView> {
  const payload = CertificatePayload.parse({
    certificateId: uuidV7(issue.issuedAt.getTime(), randomBytes(16)),
    hallId: issue.hallId,
    caseNumber: issue.caseNumber,
    serviceId: issue.serviceId,
    title: issue.title,
    holderName: issue.holderName,
    issuedAt: issue.issuedAt.toISOString(),
  });
  const bytes = certificatePayloadBytes(payload);
  const key = await signingKeyFor(client, issue.hallId, kek);
  const signature = sign(null, bytes, key.privateKey);
  const code = formatCertificateCode(key.keyId, bytes, signature);
  // The slip's QR carries the code: a title too long for it is the clerk's to shorten.
  if (!CertificateCode.safeParse(code).success) {
    throw new PortalError(PortalErrorCode.BadRequest, 'certificate title too long for a verification slip: shorten it');
  }
  await client.query(
    `INSERT INTO certificates (hall_id, certificate_id, case_number, key_id, payload, signature, issued_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [issue.hallId, payload.certificateId, issue.caseNumber, key.keyId, Buffer.from(bytes).toString('utf8'), signature, issue.issuedAt],
  );
  return { payload, code };
}

const CertificateRow = z.object({ case_number: z.string(), key_id: z.string(), payload: z.string(), signature: z.instanceof(Buffer) });

function toCertificateView(raw: unknown): CertificateView {
  const row = CertificateRow.parse(raw);
  const code = formatCertificateCode(row.key_id, encodeUtf8(row.payload), row.signature);
  const parsed = parseCertificateCode(code);
  if (!parsed) throw new Error(`stored certificate of case ${row.case_number} is not a well-formed code`);
  return { payload: parsed.payload, code };
}

/** The certificates of these cases, by case number. */
export async function certificatesOf(db: pg.Pool | pg.PoolClient, hallId: string, caseNumbers: readonly string[]): Promise<Map<string, CertificateView>> {
  if (caseNumbers.length === 0) return new Map();
  const result = await db.query(
    'SELECT case_number, key_id, payload, signature FROM certificates WHERE hall_id = $1 AND case_number = ANY($2::text[])',
    [hallId, caseNumbers],
  );
  return new Map(result.rows.map((raw) => [CertificateRow.parse(raw).case_number, toCertificateView(raw)]));
}

/**
 * The public check of a slip's code: the keys of the hall the payload names (every hall this
 * portal serves), then the shared verification (common/node). A code naming a hall that has no
 * key is `unknown-key`, the same as a key that hall never had.
 */
export async function verifyCertificate(db: pg.Pool | pg.PoolClient, code: string): Promise<CertificateVerification> {
  const parsed = parseCertificateCode(code);
  if (!parsed) return { verdict: CertificateVerdict.Malformed, certificate: null };
  return verifyCertificateCode(code, await certificateKeysOf(db, parsed.payload.hallId));
}
