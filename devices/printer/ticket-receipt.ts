import { PrinterTypes, ThermalPrinter } from 'node-thermal-printer';
import { qrCodeCommands } from './escpos-qr.js';
import { rasterImageCommand, TextRasterizer } from './font/text-raster.js';
import { encodeGb18030, printerFontLacks } from './gb18030.js';

export interface TicketReceipt {
  hallName: { zh: string; en: string };
  serviceName: { zh: string; en: string };
  /** e.g. 'A023' or 'A2-047' */
  number: string;
  peopleAhead: number | null;
  peopleAheadApproximate: boolean;
  issuedAt: Date;
  /** IANA zone for the printed time, e.g. 'Asia/Shanghai' */
  timeZone: string;
  /** Prints a line 离线出票 / Issued offline. */
  issuedOffline: boolean;
  /** Encoded with GS ( k. */
  qrData: string;
  /** Already masked by the caller, e.g. '张*三'. */
  holderName: string | null;
  /** An appointment check-in: the booked slot's start, printed as "预约 09:30 / Appointment 09:30". */
  appointmentStart?: Date | null;
}

const FS_KANJI_ON = Buffer.from([0x1c, 0x26]);
const FS_KANJI_OFF = Buffer.from([0x1c, 0x2e]);
const ESC_INIT = Buffer.from([0x1b, 0x40]);

/**
 * node-thermal-printer only builds the buffer here: this interface object is what its
 * constructor accepts besides a URI (docs/devices.md), and it refuses to send anything.
 */
const BUFFER_ONLY_INTERFACE = {
  execute: (): Promise<never> => Promise.reject(new Error('receipt composer never sends; use a PrinterTransport')),
  isPrinterConnected: (): Promise<boolean> => Promise.resolve(false),
};

function newComposer(): ThermalPrinter {
  return new ThermalPrinter({
    type: PrinterTypes.EPSON,
    // The typings say string; the runtime takes an interface object as well (lib/interfaces/index.js).
    interface: BUFFER_ONLY_INTERFACE as unknown as string,
    width: 48,
  });
}

export interface ReceiptTextOptions {
  /**
   * Draws lines with characters the printer's font lacks. Default: TextRasterizer.load() (Debian's
   * Noto Sans CJK), loaded on first need; the kiosk passes one built from its configured font.
   */
  rasterizer?: TextRasterizer;
}

let defaultRasterizer: TextRasterizer | null = null;

function rasterizerOf(opts: ReceiptTextOptions): TextRasterizer {
  if (opts.rasterizer) return opts.rasterizer;
  defaultRasterizer ??= TextRasterizer.load();
  return defaultRasterizer;
}

/** C0 controls and DEL become spaces: text from the portal or the card must never smuggle in printer commands. */
function cleanText(text: string): string {
  return Array.from(text, (ch) => {
    const code = ch.codePointAt(0) ?? 0;
    return code < 0x20 || code === 0x7f ? ' ' : ch;
  }).join('');
}

/**
 * Text with a character outside GB2312/GBK (䶮 U+4DAE, 𠮷 U+20BB7, ...; see printerFontLacks):
 * a receipt printer's built-in font does not have it and would print `?` or a wrong glyph.
 */
export function needsRaster(text: string): boolean {
  for (const ch of text) if (printerFontLacks(ch)) return true;
  return false;
}

/**
 * ESC/POS bytes for one piece of text. ASCII goes out as is; every other run is GB18030 inside
 * FS & ... FS . — the library's CHINA set would send EUC-CN with a '?' for anything outside cp936.
 * Text with a character the printer's font lacks (needsRaster) becomes one raster image
 * (`GS v 0`) of the whole text instead, which ends the line by itself: use lineBytes for lines.
 */
export function textBytes(text: string, opts: ReceiptTextOptions = {}): Buffer {
  const clean = cleanText(text);
  if (needsRaster(clean)) return rasterImageCommand(rasterizerOf(opts).rasterize(clean));
  const parts: Buffer[] = [];
  for (const run of clean.match(/[\u0020-\u007e]+|[^\u0020-\u007e]+/g) ?? []) {
    if (/^[\u0020-\u007e]/.test(run)) parts.push(Buffer.from(run, 'latin1'));
    else parts.push(FS_KANJI_ON, encodeGb18030(run), FS_KANJI_OFF);
  }
  return Buffer.concat(parts);
}

/** One printed line: text and LF, or a raster line (which feeds by itself: no LF, or a blank line would follow). */
export function lineBytes(text: string, opts: ReceiptTextOptions = {}): Buffer {
  const bytes = textBytes(text, opts);
  return needsRaster(cleanText(text)) ? bytes : Buffer.concat([bytes, Buffer.from([0x0a])]);
}

/** YYYY-MM-DD HH:mm in the hall's zone, independent of the machine's. */
export function formatHallTime(at: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const get = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '??';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}

/** HH:mm in the hall's zone: the time of day a visitor was booked for. */
export function formatHallClock(at: Date, timeZone: string): string {
  return formatHallTime(at, timeZone).slice(11);
}

function peopleAheadLine(r: TicketReceipt): string {
  const n = r.peopleAhead === null ? '—' : String(r.peopleAhead);
  const approx = r.peopleAhead !== null && r.peopleAheadApproximate;
  return approx ? `前面还有约 ${n} 人 / approx. ${n} ahead` : `前面还有 ${n} 人 / ${n} ahead`;
}

/**
 * The queue ticket a visitor holds: ESC/POS bytes, well under 2 KB. A line with a character the
 * printer's font lacks (a 生僻字 in the holder's name) is printed as one raster line.
 */
export function composeTicketReceipt(r: TicketReceipt, opts: ReceiptTextOptions = {}): Buffer {
  const p = newComposer();
  const line = (text: string): void => {
    p.add(lineBytes(text, opts));
  };

  p.add(ESC_INIT); // the library's initHardware() is missing from its typings
  p.alignCenter();
  p.bold(true);
  line(r.hallName.zh);
  p.bold(false);
  p.setTypeFontB();
  line(r.hallName.en);
  p.setTypeFontA();
  p.drawLine('-');

  p.bold(true);
  line(r.serviceName.zh);
  p.bold(false);
  line(r.serviceName.en);
  p.newLine();

  p.bold(true);
  p.setTextSize(3, 3);
  line(r.number);
  p.setTextSize(0, 0);
  p.setTextNormal();
  p.bold(false);
  if (r.appointmentStart) {
    // What the visitor booked, under the number: the counter calls appointments first among equals.
    p.bold(true);
    line(`预约 ${formatHallClock(r.appointmentStart, r.timeZone)} / Appointment ${formatHallClock(r.appointmentStart, r.timeZone)}`);
    p.bold(false);
  }
  p.newLine();

  line(peopleAheadLine(r));
  line(`取号时间 / Issued ${formatHallTime(r.issuedAt, r.timeZone)}`);
  if (r.issuedOffline) {
    p.bold(true);
    line('离线出票 / Issued offline');
    p.bold(false);
  }
  if (r.holderName !== null) line(`姓名 / Name: ${r.holderName}`);
  p.newLine();

  p.add(qrCodeCommands(r.qrData));
  p.newLine();
  line('请留意叫号 / Please wait for your number');
  p.cut();

  const bytes = p.getBuffer();
  // The library re-initialises after every cut; our receipts start with ESC @ themselves, and a
  // trailing one would only be read as the start of the next job.
  return bytes.subarray(bytes.length - 2).equals(ESC_INIT) ? Buffer.from(bytes.subarray(0, bytes.length - 2)) : bytes;
}
