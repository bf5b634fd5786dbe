import { z } from 'zod';
import { LocalizedText, ServiceId } from './catalog.js';
import { CaseNumber, StaffId } from './counter-api.js';
import { IdNumberInput } from './booking-api.js';
import { RouteAuth, type RouteSpec } from './route-spec.js';
import { HallId } from './staff-api.js';

/**
 * Cases (办件) and their progress (办件进度): completing a ticket at the counter with a case number
 * opens a case; clerks and managers move it along its timeline; citizens follow it online (case
 * number + ID number) and at the kiosk (ID card). A case concluded with a certificate yields a
 * signed e-certificate (电子证照) anyone can verify, the kiosk even offline.
 */
export enum CaseStatus {
  /** 受理 */
  Accepted = 'accepted',
  /** 办理中 */
  Processing = 'processing',
  /** 办结 */
  Concluded = 'concluded',
  /** 不予受理 */
  Rejected = 'rejected',
  /** 待取件 */
  ReadyForPickup = 'ready-for-pickup',
  /** 已取件 */
  PickedUp = 'picked-up',
}

/** The moves a case may make; anything else is 409 `invalid-transition`. */
export const CASE_TRANSITIONS: Readonly<Record<CaseStatus, readonly CaseStatus[]>> = {
  [CaseStatus.Accepted]: [CaseStatus.Processing, CaseStatus.Rejected],
  [CaseStatus.Processing]: [CaseStatus.Concluded, CaseStatus.Rejected],
  [CaseStatus.Concluded]: [CaseStatus.ReadyForPickup, CaseStatus.PickedUp],
  [CaseStatus.ReadyForPickup]: [CaseStatus.PickedUp],
  [CaseStatus.Rejected]: [],
  [CaseStatus.PickedUp]: [],
};

export const CaseTimelineEntry = z.object({
  status: z.enum(CaseStatus),
  at: z.iso.datetime(),
  /** Shown to the citizen as written: plain text. */
  note: z.string().max(500).nullable(),
});

/**
 * A signed e-certificate. `payload` is the canonical JSON the signature covers; `code` is what the
 * verification slip's QR carries: `HKC1.<keyId>.<payload base64url>.<signature base64url>`.
 */
export const CertificatePayload = z.object({
  certificateId: z.uuid(),
  hallId: HallId,
  caseNumber: CaseNumber,
  serviceId: ServiceId,
  /** What it certifies, e.g. 社保参保证明. */
  title: LocalizedText,
  /** Masked as on every screen (`张*三`). */
  holderName: z.string().max(40),
  issuedAt: z.iso.datetime(),
});
export type CertificatePayload = z.infer<typeof CertificatePayload>;

export const CERTIFICATE_CODE_PREFIX = 'HKC1';
export const CertificateCode = z.string().regex(/^HKC1\.[A-Za-z0-9_-]{1,32}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/).max(2000);

export const CertificateView = z.object({ payload: CertificatePayload, code: CertificateCode });
export type CertificateView = z.infer<typeof CertificateView>;

export const CaseView = z.object({
  caseNumber: CaseNumber,
  serviceId: ServiceId,
  serviceName: LocalizedText,
  status: z.enum(CaseStatus),
  /** Oldest first. */
  timeline: z.array(CaseTimelineEntry),
  /** Promised by (working days of the hall calendar from acceptance), when the guide sets one. */
  dueDay: z.string().nullable(),
  certificate: CertificateView.nullable(),
  updatedAt: z.iso.datetime(),
});
export type CaseView = z.infer<typeof CaseView>;

export const CaseParams = z.object({ caseNumber: CaseNumber });
export const CaseResponse = z.object({ case: CaseView });
export const CasesQuery = z.object({ status: z.enum(CaseStatus).optional() });
export const StaffCase = CaseView.extend({ ticketId: z.uuid().nullable(), openedBy: StaffId.nullable() });
export type StaffCase = z.infer<typeof StaffCase>;
export const CasesResponse = z.object({ cases: z.array(StaffCase) });

export const UpdateCaseRequest = z.object({
  status: z.enum(CaseStatus),
  note: z.string().max(500).nullable().default(null),
  /** With `concluded`: issue an e-certificate with this title. */
  certificateTitle: LocalizedText.nullable().default(null),
});

export const CitizenCaseLookupRequest = z.object({ hallId: HallId, caseNumber: CaseNumber, idNumber: IdNumberInput });

export const VerifyCertificateRequest = z.object({ code: z.string().max(2000) });
export enum CertificateVerdict {
  Valid = 'valid',
  /** Not a certificate code at all. */
  Malformed = 'malformed',
  /** Signed by a key the hall does not hold. */
  UnknownKey = 'unknown-key',
  /** The signature does not match the payload: forged or altered. */
  BadSignature = 'bad-signature',
}
export const VerifyCertificateResponse = z.object({
  verdict: z.enum(CertificateVerdict),
  certificate: CertificatePayload.nullable(),
});

/** A hall's certificate verification key, pulled by kiosks to verify slips offline. */
export const CertificateKey = z.object({
  keyId: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/),
  /** Ed25519 public key, SPKI DER, base64. */
  publicKey: z.string().min(40).max(200),
});
export type CertificateKey = z.infer<typeof CertificateKey>;

export const casesRoutes = {
  listCases: {
    method: 'get', path: '/v1/cases', auth: RouteAuth.Staff,
    summary: "The hall's cases, newest first", request: null, response: CasesResponse, query: CasesQuery,
  },
  getCase: {
    method: 'get', path: '/v1/cases/{caseNumber}', auth: RouteAuth.Staff,
    summary: 'One case with its timeline', request: null, response: CaseResponse, params: CaseParams,
  },
  updateCase: {
    method: 'post', path: '/v1/cases/{caseNumber}/status', auth: RouteAuth.Staff,
    summary: 'Move a case along its timeline (a certificate may be issued on conclusion)', request: UpdateCaseRequest, response: CaseResponse,
    params: CaseParams,
  },
  citizenLookup: {
    method: 'post', path: '/v1/citizen/cases/lookup', auth: RouteAuth.None,
    summary: "A citizen's case by case number and ID number (matched by HMAC)", request: CitizenCaseLookupRequest, response: CaseResponse,
  },
  verifyCertificate: {
    method: 'post', path: '/v1/public/certificates/verify', auth: RouteAuth.None,
    summary: 'Verify the code of an e-certificate slip', request: VerifyCertificateRequest, response: VerifyCertificateResponse,
  },
} as const satisfies Record<string, RouteSpec>;
