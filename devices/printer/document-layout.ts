import { lineBytes, type ReceiptTextOptions } from './ticket-receipt.js';

/**
 * The few ESC/POS layout commands the kiosk's printed documents other than the ticket (guide
 * materials list, certificate slip) are built from, and a builder that keeps their lines in order.
 * Text always goes through lineBytes: GB18030 in FS &, a raster line for a character the
 * printer's font lacks, control characters from outside neutralised.
 */
const ESC_INIT = Buffer.from([0x1b, 0x40]);
const ALIGN_LEFT = Buffer.from([0x1b, 0x61, 0x00]);
const ALIGN_CENTER = Buffer.from([0x1b, 0x61, 0x01]);
const BOLD_ON = Buffer.from([0x1b, 0x45, 0x01]);
const BOLD_OFF = Buffer.from([0x1b, 0x45, 0x00]);
const LF = Buffer.from([0x0a]);
/** GS V 66 0: feed to the cutter, then cut. */
const FEED_AND_CUT = Buffer.from([0x1d, 0x56, 0x42, 0x00]);
/** 48 columns of font A on 80 mm paper. */
const RULE = '-'.repeat(48);

export class DocumentBuilder {
  private readonly parts: Buffer[] = [ESC_INIT, ALIGN_CENTER];

  constructor(private readonly opts: ReceiptTextOptions = {}) {}

  line(text: string): this {
    this.parts.push(lineBytes(text, this.opts));
    return this;
  }

  bold(text: string): this {
    this.parts.push(BOLD_ON, lineBytes(text, this.opts), BOLD_OFF);
    return this;
  }

  blank(): this {
    this.parts.push(LF);
    return this;
  }

  rule(): this {
    return this.line(RULE);
  }

  left(): this {
    this.parts.push(ALIGN_LEFT);
    return this;
  }

  center(): this {
    this.parts.push(ALIGN_CENTER);
    return this;
  }

  raw(bytes: Buffer): this {
    this.parts.push(bytes);
    return this;
  }

  /** The document, fed and cut. */
  finish(): Buffer {
    return Buffer.concat([...this.parts, LF, LF, FEED_AND_CUT]);
  }
}
