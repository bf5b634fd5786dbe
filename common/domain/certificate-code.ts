import { CERTIFICATE_CODE_PREFIX, CertificateCode, CertificatePayload } from '../contract/cases-api.js';
import { decodeBase64Url, decodeUtf8, encodeBase64Url, encodeUtf8 } from './base64url.js';

/**
 * The e-certificate code (电子证照) a verification slip's QR carries, as pure rules shared by the
 * portal (which signs) and the kiosk (which verifies offline):
 *
 *   HKC1.<keyId>.<base64url(payload bytes)>.<base64url(Ed25519 signature)>
 *
 * The payload bytes are the canonical JSON of a CertificatePayload: object keys sorted by UTF-16
 * code units (at every depth), no whitespace, UTF-8. The signature covers exactly those bytes. A
 * code whose payload is not in canonical form is malformed, not merely unsigned: one certificate
 * has one spelling, so a slip cannot be re-encoded into a different-looking valid one.
 * Verification itself needs Ed25519, a Node matter: common/node/certificate-verify.ts.
 */

type Json = string | number | boolean | null | readonly Json[] | { readonly [key: string]: Json };

/** JSON with sorted keys and no whitespace (RFC 8785 for the strings and integers a payload holds). */
export function canonicalJson(value: Json): string {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError('canonical JSON has no NaN or Infinity');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((v: Json) => canonicalJson(v)).join(',')}]`;
  const object = value as { readonly [key: string]: Json };
  const keys = Object.keys(object)
    .filter((k) => object[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(object[k] as Json)}`).join(',')}}`;
}

/** The bytes a certificate's signature covers: its payload, checked, in canonical form. */
export function certificatePayloadBytes(payload: CertificatePayload): Uint8Array {
  return encodeUtf8(canonicalJson(CertificatePayload.parse(payload)));
}

/** `HKC1.<keyId>.<payload>.<signature>`: what the slip's QR carries. */
export function formatCertificateCode(keyId: string, payloadBytes: Uint8Array, signature: Uint8Array): string {
  return `${CERTIFICATE_CODE_PREFIX}.${keyId}.${encodeBase64Url(payloadBytes)}.${encodeBase64Url(signature)}`;
}

/** An Ed25519 signature is 64 bytes. */
export const CERTIFICATE_SIGNATURE_BYTES = 64;

export interface ParsedCertificateCode {
  keyId: string;
  payload: CertificatePayload;
  /** Exactly the bytes the signature must cover. */
  payloadBytes: Uint8Array;
  signature: Uint8Array;
}

/**
 * The parts of a code, or null when it is not a well-formed certificate code (verdict
 * `malformed`): wrong shape or prefix, bad base64url, a payload that is not UTF-8 JSON of a
 * CertificatePayload in canonical form, or a signature of the wrong length. Whitespace around
 * the code (a scanner's line end) is ignored. Says nothing about the signature.
 */
export function parseCertificateCode(text: string): ParsedCertificateCode | null {
  const code = text.trim();
  if (!CertificateCode.safeParse(code).success) return null;
  const [prefix, keyId, payloadText, signatureText] = code.split('.');
  if (prefix !== CERTIFICATE_CODE_PREFIX || keyId === undefined || payloadText === undefined || signatureText === undefined) return null;
  const payloadBytes = decodeBase64Url(payloadText);
  const signature = decodeBase64Url(signatureText);
  if (!payloadBytes || !signature || signature.length !== CERTIFICATE_SIGNATURE_BYTES) return null;
  const json = decodeUtf8(payloadBytes);
  if (json === null) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return null;
  }
  const payload = CertificatePayload.strict().safeParse(raw);
  if (!payload.success) return null;
  if (canonicalJson(payload.data) !== json) return null;
  return { keyId, payload: payload.data, payloadBytes, signature };
}
