import iconv from 'iconv-lite';
import { decodeGb18030 } from '../gb18030.js';
import { ESC, FS, GS, readToken, TokenKind, u16, type EscPosToken } from './escpos-tokenizer.js';

/** What a receipt says on paper, as text. */
export interface DecodedReceipt {
  lines: string[];
  /** `lines` joined with '\n'. */
  text: string;
  /** Data of every QR code printed (GS ( k fn 81), in order. */
  qrCodes: string[];
  /** A cut command was seen. */
  cut: boolean;
  /** Every raster image (GS v 0), in order; its line reads `[raster WxH]`. */
  rasters: DecodedRaster[];
}

export interface DecodedRaster {
  widthDots: number;
  heightDots: number;
  /** Rows of ceil(width / 8) bytes, MSB leftmost, 1 = black. */
  bits: Buffer;
}

/** ESC t n -> iconv name, for the single-byte pages a receipt might use; others read as cp437. */
const CODE_PAGES: Record<number, string> = {
  0: 'cp437', 2: 'cp850', 3: 'cp860', 4: 'cp863', 5: 'cp865', 16: 'cp1252', 17: 'cp866', 18: 'cp852', 19: 'cp858',
};

class ReceiptText {
  readonly lines: string[] = [];
  readonly qrCodes: string[] = [];
  readonly rasters: DecodedRaster[] = [];
  cut = false;
  private line = '';
  private pending: number[] = [];
  private pendingEncoding = 'cp437';
  /** FS & : bytes >= 0x80 are GB18030. */
  kanji = false;
  codePage = 'cp437';
  private qrStored: Buffer | null = null;

  data(bytes: Uint8Array): void {
    const encoding = this.kanji ? 'gb18030' : this.codePage;
    if (encoding !== this.pendingEncoding) this.flushPending();
    this.pendingEncoding = encoding;
    for (const b of bytes) this.pending.push(b);
  }

  private flushPending(): void {
    if (this.pending.length === 0) return;
    const bytes = Buffer.from(this.pending);
    this.line += this.pendingEncoding === 'gb18030' ? decodeGb18030(bytes) : iconv.decode(bytes, this.pendingEncoding);
    this.pending = [];
  }

  /** Ends the line being printed (LF). */
  newLine(): void {
    this.flushPending();
    this.lines.push(this.line);
    this.line = '';
  }

  /** Prints the buffer without feeding an empty line when nothing is pending (ESC J, ESC d 0). */
  endLineIfAny(): void {
    this.flushPending();
    if (this.line.length > 0) this.newLine();
  }

  /** A graphic (QR, raster, barcode) takes a line of its own. */
  block(label: string): void {
    this.endLineIfAny();
    this.lines.push(label);
  }

  tab(): void {
    this.flushPending();
    this.line += ' '.repeat(8 - (this.line.length % 8));
  }

  storeQr(data: Buffer): void {
    this.qrStored = data;
  }

  printQr(): void {
    if (!this.qrStored) return;
    const text = this.qrStored.toString('utf8');
    this.qrCodes.push(text);
    this.block(`[QR:${text}]`);
  }

  finish(): DecodedReceipt {
    this.endLineIfAny();
    const lines = [...this.lines];
    // Blank paper fed before the cut says nothing.
    while (lines.length > 0 && lines[lines.length - 1]?.trim() === '') lines.pop();
    return { lines, text: lines.join('\n'), qrCodes: [...this.qrCodes], cut: this.cut, rasters: [...this.rasters] };
  }
}


function applyCommand(out: ReceiptText, cmd: Uint8Array): void {
  const [prefix, code] = cmd;
  if (prefix === ESC) {
    switch (code) {
      case 0x40: // ESC @
        out.kanji = false;
        out.codePage = 'cp437';
        return;
      case 0x64: {
        // ESC d n: print and feed n lines
        const n = cmd[2] ?? 0;
        if (n === 0) out.endLineIfAny();
        for (let i = 0; i < n; i++) out.newLine();
        return;
      }
      case 0x4a: // ESC J n: print and feed n dots
        out.endLineIfAny();
        return;
      case 0x74:
        out.codePage = CODE_PAGES[cmd[2] ?? 0] ?? 'cp437';
        return;
      case 0x2a:
        out.block(`[bit-image ${u16(cmd, 3)} dots]`);
        return;
      default:
        return;
    }
  }
  if (prefix === FS) {
    if (code === 0x26) out.kanji = true;
    if (code === 0x2e) out.kanji = false;
    return;
  }
  if (prefix === GS) {
    switch (code) {
      case 0x28: {
        // GS ( k pL pH cn fn ...: QR code (cn 49) store (fn 80, m 48) and print (fn 81).
        if (cmd[2] !== 0x6b || cmd[5] !== 0x31) return;
        if (cmd[6] === 0x50 && cmd[7] === 0x30) out.storeQr(Buffer.from(cmd.subarray(8)));
        if (cmd[6] === 0x51) out.printQr();
        return;
      }
      case 0x76: {
        const widthDots = u16(cmd, 4) * 8;
        out.rasters.push({ widthDots, heightDots: u16(cmd, 6), bits: Buffer.from(cmd.subarray(8)) });
        out.block(`[raster ${widthDots}x${u16(cmd, 6)}]`);
        return;
      }
      case 0x6b: {
        const m = cmd[2] ?? 0;
        const data = m <= 6 ? cmd.subarray(3, cmd.length - 1) : cmd.subarray(4);
        out.block(`[barcode:${Buffer.from(data).toString('latin1')}]`);
        return;
      }
      default:
        return;
    }
  }
}

function applyControl(out: ReceiptText, byte: number): void {
  if (byte === 0x0a || byte === 0x0c) out.newLine();
  else if (byte === 0x09) out.tab();
  // CR, NUL and the rest print nothing.
}

/**
 * Reads a receipt the way a printer would, into text. Unknown or truncated commands never throw:
 * only their prefix byte is skipped, as a printer ignores what it cannot parse.
 */
export function decodeEscPos(bytes: Uint8Array): DecodedReceipt {
  const out = new ReceiptText();
  let pos = 0;
  while (pos < bytes.length) {
    const token: EscPosToken = readToken(bytes, pos) ?? { kind: TokenKind.UnknownPrefix, start: pos, end: pos + 1 };
    const slice = bytes.subarray(token.start, token.end);
    switch (token.kind) {
      case TokenKind.Data:
        out.data(slice);
        break;
      case TokenKind.Control:
      case TokenKind.UnknownPrefix:
        applyControl(out, slice[0] ?? 0);
        break;
      case TokenKind.Cut:
        out.endLineIfAny();
        out.cut = true;
        break;
      case TokenKind.Command:
        applyCommand(out, slice);
        break;
      case TokenKind.StatusQuery:
        break;
    }
    pos = token.end;
  }
  return out.finish();
}
