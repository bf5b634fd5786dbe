import { CertificateVerdict, type CertificateKey } from '../../common/contract/cases-api.js';
import { verifyCertificateCode, type CertificateVerification } from '../../common/node/certificate-verify.js';

export interface CertificateCheckDeps {
  /** The hall's public keys as last pulled. */
  keys: () => readonly CertificateKey[];
  /** One bounded pull (skipped while the portal is known offline). Absent: no second look. */
  refresh?: () => Promise<void>;
}

/**
 * A slip's code checked at the kiosk with the public keys it pulled: offline by design. A key it
 * does not hold may simply be new — the hall's first certificate creates its signing key, and keys
 * reach kiosks only with their next pull — so a slip this kiosk printed moments ago would be
 * refused as "not signed by this hall". An unknown key is therefore looked for once more after one
 * pull; offline, or still unknown after it, the verdict stands.
 */
export async function checkCertificate(code: string, deps: CertificateCheckDeps): Promise<CertificateVerification> {
  const first = verifyCertificateCode(code, deps.keys());
  if (first.verdict !== CertificateVerdict.UnknownKey || !deps.refresh) return first;
  await deps.refresh();
  return verifyCertificateCode(code, deps.keys());
}
