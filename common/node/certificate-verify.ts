import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { CertificateVerdict, type CertificateKey, type CertificatePayload } from '../contract/cases-api.js';
import { parseCertificateCode } from '../domain/certificate-code.js';

/**
 * Verifies an e-certificate code (common/domain/certificate-code.ts) against a hall's public keys:
 * the one check the portal's public verification page and the kiosk's offline one share. Ed25519
 * from node:crypto, so it lives in common/node (Node, importable by the portal and the kiosk core).
 */
export interface CertificateVerification {
  verdict: CertificateVerdict;
  /** The certificate, only when the verdict is `valid`: a forged or altered one is never shown as if it were. */
  certificate: CertificatePayload | null;
}

/** A key as CertificateKey carries it (SPKI DER, base64); null unless it is an Ed25519 public key. */
export function certificatePublicKey(key: CertificateKey): KeyObject | null {
  try {
    const object = createPublicKey({ key: Buffer.from(key.publicKey, 'base64'), format: 'der', type: 'spki' });
    return object.asymmetricKeyType === 'ed25519' ? object : null;
  } catch {
    return null;
  }
}

/**
 * `malformed` (not a certificate code), `unknown-key` (its key id is none of `keys`: another hall's,
 * a key the caller has not pulled yet, or made up), `bad-signature` (forged or altered), `valid`.
 */
export function verifyCertificateCode(code: string, keys: readonly CertificateKey[]): CertificateVerification {
  const parsed = parseCertificateCode(code);
  if (!parsed) return { verdict: CertificateVerdict.Malformed, certificate: null };
  const key = keys.find((k) => k.keyId === parsed.keyId);
  const publicKey = key ? certificatePublicKey(key) : null;
  if (!publicKey) return { verdict: CertificateVerdict.UnknownKey, certificate: null };
  const ok = verify(null, parsed.payloadBytes, publicKey, parsed.signature);
  return ok ? { verdict: CertificateVerdict.Valid, certificate: parsed.payload } : { verdict: CertificateVerdict.BadSignature, certificate: null };
}
