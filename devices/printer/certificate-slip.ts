import type { LocalizedText } from '../../common/contract/localized-text.js';
import { DocumentBuilder } from './document-layout.js';
import { qrCodeCommands } from './escpos-qr.js';
import { formatHallTime, type ReceiptTextOptions } from './ticket-receipt.js';

/** What an e-certificate verification slip (电子证照核验单) says. */
export interface CertificateSlip {
  hallName: LocalizedText;
  /** What the certificate certifies, e.g. 社保参保证明. */
  title: LocalizedText;
  /** Masked as everywhere (`张*三`). */
  holderName: string;
  caseNumber: string;
  issuedAt: Date;
  /** IANA zone for the printed date. */
  timeZone: string;
  /** The certificate code (`HKC1.…`), printed as the QR anyone can verify. */
  code: string;
}

/**
 * The slip a visitor takes to whoever needs proof: the certificate's title, masked holder, case
 * number, issue date and a QR code (GS ( k, as on the ticket) carrying the signed certificate code.
 * The printed text is for people; the QR is what a verifier trusts.
 */
export function composeCertificateSlip(s: CertificateSlip, opts: ReceiptTextOptions = {}): Buffer {
  const doc = new DocumentBuilder(opts);
  doc.bold(s.hallName.zh).line(s.hallName.en).rule();
  doc.bold('电子证照核验单').line('E-certificate verification slip').blank();
  doc.bold(s.title.zh).line(s.title.en).blank();
  doc.left();
  doc.line(`持证人 / Holder: ${s.holderName}`);
  doc.line(`办件编号 / Case: ${s.caseNumber}`);
  doc.line(`签发日期 / Issued: ${formatHallTime(s.issuedAt, s.timeZone).slice(0, 10)}`);
  doc.center().blank();
  // A long code needs a smaller module to stay within the paper's width.
  doc.raw(qrCodeCommands(s.code, { moduleSize: s.code.length > 300 ? 4 : 6 })).blank();
  doc.line('扫码核验 / Scan to verify');
  return doc.finish();
}
