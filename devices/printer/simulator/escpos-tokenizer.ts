/**
 * Splits an ESC/POS byte stream into commands with their exact lengths, so the decoder and the
 * simulator agree on where each command ends. Works on partial input: `readToken` returns null
 * when the bytes so far end inside a command (the simulator then waits for more).
 */

export enum TokenKind {
  /** A run of printable bytes (0x20..0x7e and >= 0x80; GB18030 never uses a byte below 0x30). */
  Data = 'data',
  /** One C0 control byte (LF, CR, HT, FF, NUL...). */
  Control = 'control',
  Command = 'command',
  /** `DLE EOT n` (answered at once) or `GS r n` (answered in turn): the printer replies. */
  StatusQuery = 'status-query',
  /** `GS V`, `ESC i`, `ESC m`. */
  Cut = 'cut',
  /** An ESC/GS/FS/DLE we do not know: only the prefix byte is skipped. */
  UnknownPrefix = 'unknown-prefix',
}

export interface EscPosToken {
  kind: TokenKind;
  start: number;
  end: number;
}

export const ESC = 0x1b;
export const GS = 0x1d;
export const FS = 0x1c;
export const DLE = 0x10;

/** Result of sizing a command: a length, 'incomplete' (need more bytes), or 'unknown'. */
type Size = number | 'incomplete' | 'unknown';

/** Commands of the form PREFIX CODE + a fixed number of argument bytes. */
const ESC_FIXED: Record<number, number> = {
  0x0c: 0, 0x20: 1, 0x21: 1, 0x24: 2, 0x25: 1, 0x2d: 1, 0x32: 0, 0x33: 1, 0x3c: 0, 0x3d: 1, 0x3f: 1,
  0x40: 0, 0x42: 2, 0x45: 1, 0x47: 1, 0x4a: 1, 0x4c: 0, 0x4d: 1, 0x52: 1, 0x53: 0, 0x54: 1, 0x55: 1,
  0x56: 1, 0x57: 8, 0x5c: 2, 0x61: 1, 0x63: 2, 0x64: 1, 0x65: 1, 0x70: 3, 0x72: 1, 0x74: 1, 0x75: 1,
  0x76: 0, 0x7b: 1,
};
const GS_FIXED: Record<number, number> = {
  0x21: 1, 0x24: 2, 0x2f: 1, 0x3a: 0, 0x42: 1, 0x45: 1, 0x48: 1, 0x49: 1, 0x4c: 2, 0x50: 2, 0x54: 1,
  0x57: 2, 0x5c: 2, 0x5e: 3, 0x61: 1, 0x62: 1, 0x63: 0, 0x66: 1, 0x67: 4, 0x68: 1, 0x77: 1,
};
const FS_FIXED: Record<number, number> = { 0x21: 1, 0x26: 0, 0x2d: 1, 0x2e: 0, 0x32: 74, 0x43: 1, 0x53: 2, 0x57: 1, 0x70: 2 };

const CUT_NO_FEED = new Set([0x00, 0x01, 0x30, 0x31]);
const CUT_WITH_FEED = new Set([0x41, 0x42, 0x61, 0x62, 0x67, 0x68]);

/** Little-endian 16-bit parameter (pL pH, xL xH ...), as ESC/POS encodes lengths. */
export function u16(b: Uint8Array, i: number): number {
  return (b[i] ?? 0) + 256 * (b[i + 1] ?? 0);
}

/** `need` bytes from `pos` are required; returns the length if they are there. */
function have(b: Uint8Array, pos: number, need: number): Size {
  return pos + need <= b.length ? need : 'incomplete';
}

/** PREFIX CODE fn pL pH d1..d(pL+256pH): `ESC (`, `GS (`, `FS (`. */
function sizeParenCommand(b: Uint8Array, pos: number): Size {
  if (pos + 5 > b.length) return 'incomplete';
  return have(b, pos, 5 + u16(b, pos + 3));
}

function sizeEsc(b: Uint8Array, pos: number): Size {
  const code = b[pos + 1];
  if (code === undefined) return 'incomplete';
  const fixed = ESC_FIXED[code];
  if (fixed !== undefined) return have(b, pos, 2 + fixed);
  switch (code) {
    case 0x69: // ESC i, ESC m: partial cut
    case 0x6d:
      return 2;
    case 0x28:
      return sizeParenCommand(b, pos);
    case 0x2a: {
      // ESC * m nL nH: 8-dot modes send n bytes, 24-dot modes 3n.
      if (pos + 5 > b.length) return 'incomplete';
      const m = b[pos + 2] ?? 0;
      const n = u16(b, pos + 3);
      if (m === 0 || m === 1) return have(b, pos, 5 + n);
      if (m === 32 || m === 33) return have(b, pos, 5 + 3 * n);
      return 'unknown';
    }
    case 0x44: {
      // ESC D n1..nk NUL, k <= 32.
      for (let i = pos + 2; i < Math.min(b.length, pos + 2 + 33); i++) if (b[i] === 0) return i - pos + 1;
      return b.length >= pos + 2 + 33 ? 2 + 32 : 'incomplete';
    }
    case 0x26: {
      // ESC & y c1 c2 [x d1..d(y*x)] for each code c1..c2.
      if (pos + 5 > b.length) return 'incomplete';
      const y = b[pos + 2] ?? 0;
      const count = (b[pos + 4] ?? 0) - (b[pos + 3] ?? 0) + 1;
      if (count < 1) return 5;
      let i = pos + 5;
      for (let c = 0; c < count; c++) {
        const x = b[i];
        if (x === undefined) return 'incomplete';
        i += 1 + y * x;
      }
      return i <= b.length ? i - pos : 'incomplete';
    }
    default:
      return 'unknown';
  }
}

function sizeGs(b: Uint8Array, pos: number): Size {
  const code = b[pos + 1];
  if (code === undefined) return 'incomplete';
  const fixed = GS_FIXED[code];
  if (fixed !== undefined) return have(b, pos, 2 + fixed);
  switch (code) {
    case 0x28:
      return sizeParenCommand(b, pos);
    case 0x2a: {
      // GS * x y d1..d(x*y*8)
      if (pos + 4 > b.length) return 'incomplete';
      return have(b, pos, 4 + (b[pos + 2] ?? 0) * (b[pos + 3] ?? 0) * 8);
    }
    case 0x38: {
      // GS 8 L p1 p2 p3 p4 ...: a 32-bit length.
      if (pos + 7 > b.length) return 'incomplete';
      if (b[pos + 2] !== 0x4c) return 'unknown';
      const n = (b[pos + 3] ?? 0) + (b[pos + 4] ?? 0) * 0x100 + (b[pos + 5] ?? 0) * 0x10000 + (b[pos + 6] ?? 0) * 0x1000000;
      return have(b, pos, 7 + n);
    }
    case 0x56: {
      const m = b[pos + 2];
      if (m === undefined) return 'incomplete';
      if (CUT_NO_FEED.has(m)) return 3;
      if (CUT_WITH_FEED.has(m)) return have(b, pos, 4);
      return 'unknown';
    }
    case 0x6b: {
      // GS k m: format A (m <= 6) ends with NUL; format B (65..79) has a length byte.
      const m = b[pos + 2];
      if (m === undefined) return 'incomplete';
      if (m <= 6) {
        for (let i = pos + 3; i < b.length; i++) if (b[i] === 0) return i - pos + 1;
        return 'incomplete';
      }
      if (m >= 65 && m <= 79) {
        if (pos + 4 > b.length) return 'incomplete';
        return have(b, pos, 4 + (b[pos + 3] ?? 0));
      }
      return 'unknown';
    }
    case 0x72:
      return have(b, pos, 3);
    case 0x76: {
      // GS v 0 m xL xH yL yH d1..d(x*y)
      if (pos + 3 > b.length) return 'incomplete';
      if (b[pos + 2] !== 0x30) return 'unknown';
      if (pos + 8 > b.length) return 'incomplete';
      return have(b, pos, 8 + u16(b, pos + 4) * u16(b, pos + 6));
    }
    default:
      return 'unknown';
  }
}

function sizeFs(b: Uint8Array, pos: number): Size {
  const code = b[pos + 1];
  if (code === undefined) return 'incomplete';
  const fixed = FS_FIXED[code];
  if (fixed !== undefined) return have(b, pos, 2 + fixed);
  if (code === 0x28) return sizeParenCommand(b, pos);
  if (code === 0x71) {
    // FS q n [xL xH yL yH d1..d(x*y*8)] x n: define NV bit images.
    if (pos + 3 > b.length) return 'incomplete';
    let i = pos + 3;
    for (let k = 0; k < (b[pos + 2] ?? 0); k++) {
      if (i + 4 > b.length) return 'incomplete';
      i += 4 + u16(b, i) * u16(b, i + 2) * 8;
    }
    return i <= b.length ? i - pos : 'incomplete';
  }
  return 'unknown';
}

function sizeDle(b: Uint8Array, pos: number): Size {
  const code = b[pos + 1];
  if (code === undefined) return 'incomplete';
  if (code === 0x04) {
    const n = b[pos + 2];
    if (n === undefined) return 'incomplete';
    return n === 7 || n === 8 ? have(b, pos, 4) : 3;
  }
  if (code === 0x05) return have(b, pos, 3);
  if (code === 0x14) {
    const fn = b[pos + 2];
    if (fn === undefined) return 'incomplete';
    if (fn === 8) return have(b, pos, 10);
    if (fn === 7) return have(b, pos, 4);
    return have(b, pos, 5);
  }
  return 'unknown';
}

function kindOf(b: Uint8Array, pos: number): TokenKind {
  const prefix = b[pos];
  const code = b[pos + 1];
  if (prefix === DLE && code === 0x04) return TokenKind.StatusQuery;
  if (prefix === GS && code === 0x72) return TokenKind.StatusQuery;
  if (prefix === GS && code === 0x56) return TokenKind.Cut;
  if (prefix === ESC && (code === 0x69 || code === 0x6d)) return TokenKind.Cut;
  return TokenKind.Command;
}

/** The token at `pos`, or null when the input ends inside it. `pos` must be < bytes.length. */
export function readToken(bytes: Uint8Array, pos: number): EscPosToken | null {
  const first = bytes[pos];
  if (first === undefined) return null;
  if (first >= 0x20 && first !== 0x7f) {
    let end = pos + 1;
    while (end < bytes.length && (bytes[end] ?? 0) >= 0x20 && bytes[end] !== 0x7f) end++;
    return { kind: TokenKind.Data, start: pos, end };
  }
  let size: Size;
  switch (first) {
    case ESC:
      size = sizeEsc(bytes, pos);
      break;
    case GS:
      size = sizeGs(bytes, pos);
      break;
    case FS:
      size = sizeFs(bytes, pos);
      break;
    case DLE:
      size = sizeDle(bytes, pos);
      break;
    default:
      return { kind: TokenKind.Control, start: pos, end: pos + 1 };
  }
  if (size === 'incomplete') return null;
  if (size === 'unknown') return { kind: TokenKind.UnknownPrefix, start: pos, end: pos + 1 };
  return { kind: kindOf(bytes, pos), start: pos, end: pos + size };
}

/** Every complete token of `bytes`; `rest` is where an unfinished command starts (or bytes.length). */
export function tokenize(bytes: Uint8Array): { tokens: EscPosToken[]; rest: number } {
  const tokens: EscPosToken[] = [];
  let pos = 0;
  while (pos < bytes.length) {
    const token = readToken(bytes, pos);
    if (!token) break;
    tokens.push(token);
    pos = token.end;
  }
  return { tokens, rest: pos };
}
