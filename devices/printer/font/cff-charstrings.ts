/**
 * Just enough of CFF (the outlines of OpenType .otf/.ttc fonts such as Noto Sans CJK) to turn a
 * glyph into closed polygons: INDEX and DICT parsing, CID-keyed fonts (FDArray + FDSelect), and a
 * Type 2 charstring interpreter with subroutines, hints skipped and curves flattened.
 */

export type Point = readonly [x: number, y: number];
/** Closed polygons in font units, y up. */
export type Contours = Point[][];

export class FontFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FontFormatError';
  }
}

interface CffIndex {
  items: Array<{ start: number; end: number }>;
  /** Offset just past the INDEX. */
  end: number;
}

function readIndex(b: Buffer, pos: number): CffIndex {
  const count = b.readUInt16BE(pos);
  if (count === 0) return { items: [], end: pos + 2 };
  const offSize = b.readUInt8(pos + 2);
  if (offSize < 1 || offSize > 4) throw new FontFormatError(`CFF INDEX offSize ${offSize}`);
  const offsetAt = (i: number): number => b.readUIntBE(pos + 3 + i * offSize, offSize);
  const dataStart = pos + 3 + (count + 1) * offSize - 1;
  const items: CffIndex['items'] = [];
  for (let i = 0; i < count; i++) items.push({ start: dataStart + offsetAt(i), end: dataStart + offsetAt(i + 1) });
  return { items, end: dataStart + offsetAt(count) };
}

type Dict = Map<number, number[]>;

function readDict(b: Buffer, start: number, end: number): Dict {
  const dict: Dict = new Map();
  let operands: number[] = [];
  let pos = start;
  while (pos < end) {
    const b0 = b.readUInt8(pos++);
    if (b0 <= 21) {
      const op = b0 === 12 ? 1200 + b.readUInt8(pos++) : b0;
      dict.set(op, operands);
      operands = [];
    } else if (b0 === 28) {
      operands.push(b.readInt16BE(pos));
      pos += 2;
    } else if (b0 === 29) {
      operands.push(b.readInt32BE(pos));
      pos += 4;
    } else if (b0 === 30) {
      // Real number in nibbles; only its extent matters for the keys we read.
      let s = '';
      for (;;) {
        const byte = b.readUInt8(pos++);
        const nibbles = [byte >> 4, byte & 15];
        let done = false;
        for (const n of nibbles) {
          if (n === 0xf) done = true;
          else if (!done) s += ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '.', 'E', 'E-', '', '-'][n] ?? '';
        }
        if (done) break;
      }
      operands.push(Number.parseFloat(s) || 0);
    } else if (b0 >= 32 && b0 <= 246) operands.push(b0 - 139);
    else if (b0 >= 247 && b0 <= 250) operands.push((b0 - 247) * 256 + b.readUInt8(pos++) + 108);
    else if (b0 >= 251 && b0 <= 254) operands.push(-(b0 - 251) * 256 - b.readUInt8(pos++) - 108);
    else throw new FontFormatError(`CFF DICT byte ${b0}`);
  }
  return dict;
}

function subrBias(count: number): number {
  return count < 1240 ? 107 : count < 33900 ? 1131 : 32768;
}

interface PrivateData {
  subrs: CffIndex;
}

const OP = { charStrings: 17, private: 18, subrs: 19, ros: 1230, fdArray: 1236, fdSelect: 1237 } as const;

/** The CFF table of one font: glyph id -> contours. */
export class CffOutlines {
  private readonly charStrings: CffIndex;
  private readonly globalSubrs: CffIndex;
  private readonly privates: PrivateData[];
  private readonly fdOf: (gid: number) => number;

  constructor(private readonly b: Buffer) {
    const hdrSize = b.readUInt8(2);
    const names = readIndex(b, hdrSize);
    const topDicts = readIndex(b, names.end);
    const strings = readIndex(b, topDicts.end);
    this.globalSubrs = readIndex(b, strings.end);
    const top = topDicts.items[0];
    if (!top) throw new FontFormatError('CFF without a Top DICT');
    const dict = readDict(b, top.start, top.end);
    const cs = dict.get(OP.charStrings)?.[0];
    if (cs === undefined) throw new FontFormatError('CFF without CharStrings');
    this.charStrings = readIndex(b, cs);
    const glyphs = this.charStrings.items.length;

    if (dict.has(OP.ros)) {
      const fdArrayAt = dict.get(OP.fdArray)?.[0];
      const fdSelectAt = dict.get(OP.fdSelect)?.[0];
      if (fdArrayAt === undefined || fdSelectAt === undefined) throw new FontFormatError('CID font without FDArray/FDSelect');
      this.privates = readIndex(b, fdArrayAt).items.map((fd) => this.readPrivate(readDict(b, fd.start, fd.end)));
      this.fdOf = this.readFdSelect(fdSelectAt, glyphs);
    } else {
      this.privates = [this.readPrivate(dict)];
      this.fdOf = () => 0;
    }
  }

  get glyphCount(): number {
    return this.charStrings.items.length;
  }

  private readPrivate(dict: Dict): PrivateData {
    const p = dict.get(OP.private);
    if (!p || p.length < 2) return { subrs: { items: [], end: 0 } };
    const [size, offset] = p as [number, number];
    const priv = readDict(this.b, offset, offset + size);
    const subrs = priv.get(OP.subrs)?.[0];
    return { subrs: subrs === undefined ? { items: [], end: 0 } : readIndex(this.b, offset + subrs) };
  }

  private readFdSelect(at: number, glyphs: number): (gid: number) => number {
    const format = this.b.readUInt8(at);
    if (format === 0) return (gid) => this.b.readUInt8(at + 1 + gid);
    if (format !== 3) throw new FontFormatError(`FDSelect format ${format}`);
    const n = this.b.readUInt16BE(at + 1);
    const firsts: number[] = [];
    const fds: number[] = [];
    for (let i = 0; i < n; i++) {
      firsts.push(this.b.readUInt16BE(at + 3 + i * 3));
      fds.push(this.b.readUInt8(at + 5 + i * 3));
    }
    return (gid) => {
      if (gid >= glyphs) return 0;
      let lo = 0;
      let hi = n - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if ((firsts[mid] ?? 0) <= gid) lo = mid;
        else hi = mid - 1;
      }
      return fds[lo] ?? 0;
    };
  }

  contours(gid: number): Contours {
    const item = this.charStrings.items[gid];
    if (!item) return [];
    const priv = this.privates[this.fdOf(gid)] ?? this.privates[0];
    return new Type2Interpreter(this.b, this.globalSubrs, priv?.subrs ?? { items: [], end: 0 }).run(item);
  }
}

const CURVE_STEPS = 8;

/** Executes one charstring; hints are counted (hintmask needs their number) and otherwise ignored. */
class Type2Interpreter {
  private stack: number[] = [];
  private stems = 0;
  private widthTaken = false;
  private x = 0;
  private y = 0;
  private readonly out: Point[][] = [];
  private current: Point[] | null = null;
  private depth = 0;
  private ended = false;

  constructor(
    private readonly b: Buffer,
    private readonly gsubrs: CffIndex,
    private readonly lsubrs: CffIndex,
  ) {}

  run(item: { start: number; end: number }): Contours {
    this.exec(item.start, item.end);
    this.close();
    return this.out;
  }

  private moveTo(x: number, y: number): void {
    this.close();
    this.x = x;
    this.y = y;
    this.current = [[x, y]];
  }

  private lineTo(x: number, y: number): void {
    this.x = x;
    this.y = y;
    (this.current ??= [[x, y]]).push([x, y]);
  }

  private curveTo(c1x: number, c1y: number, c2x: number, c2y: number, x: number, y: number): void {
    const x0 = this.x;
    const y0 = this.y;
    const pts = (this.current ??= [[x0, y0]]);
    for (let i = 1; i <= CURVE_STEPS; i++) {
      const t = i / CURVE_STEPS;
      const u = 1 - t;
      pts.push([
        u * u * u * x0 + 3 * u * u * t * c1x + 3 * u * t * t * c2x + t * t * t * x,
        u * u * u * y0 + 3 * u * u * t * c1y + 3 * u * t * t * c2y + t * t * t * y,
      ]);
    }
    this.x = x;
    this.y = y;
  }

  private close(): void {
    if (this.current && this.current.length > 2) this.out.push(this.current);
    this.current = null;
  }

  /** Drops the advance width that may precede the first stack-clearing operator. */
  private takeWidth(hasExtra: boolean): void {
    if (!this.widthTaken && hasExtra) this.stack.shift();
    this.widthTaken = true;
  }

  private shift(): number {
    return this.stack.shift() ?? 0;
  }

  private exec(start: number, end: number): void {
    if (++this.depth > 10) throw new FontFormatError('charstring subroutines nest too deep');
    const b = this.b;
    let pos = start;
    while (pos < end && !this.ended) {
      const v = b.readUInt8(pos++);
      if (v >= 32) {
        if (v <= 246) this.stack.push(v - 139);
        else if (v <= 250) this.stack.push((v - 247) * 256 + b.readUInt8(pos++) + 108);
        else if (v <= 254) this.stack.push(-(v - 251) * 256 - b.readUInt8(pos++) - 108);
        else {
          this.stack.push(b.readInt32BE(pos) / 65536);
          pos += 4;
        }
        continue;
      }
      const s = this.stack;
      switch (v) {
        case 28:
          s.push(b.readInt16BE(pos));
          pos += 2;
          break;
        case 1: // hstem
        case 3: // vstem
        case 18: // hstemhm
        case 23: // vstemhm
          this.takeWidth(s.length % 2 === 1);
          this.stems += s.length >> 1;
          this.stack = [];
          break;
        case 19: // hintmask
        case 20: // cntrmask
          this.takeWidth(s.length % 2 === 1);
          this.stems += s.length >> 1;
          this.stack = [];
          pos += (this.stems + 7) >> 3;
          break;
        case 21: // rmoveto
          this.takeWidth(s.length > 2);
          this.moveTo(this.x + this.shift(), this.y + this.shift());
          this.stack = [];
          break;
        case 22: // hmoveto
          this.takeWidth(s.length > 1);
          this.moveTo(this.x + this.shift(), this.y);
          this.stack = [];
          break;
        case 4: // vmoveto
          this.takeWidth(s.length > 1);
          this.moveTo(this.x, this.y + this.shift());
          this.stack = [];
          break;
        case 5: // rlineto
          while (s.length >= 2) this.lineTo(this.x + this.shift(), this.y + this.shift());
          this.stack = [];
          break;
        case 6: // hlineto
        case 7: {
          // vlineto
          let horizontal = v === 6;
          while (s.length > 0) {
            if (horizontal) this.lineTo(this.x + this.shift(), this.y);
            else this.lineTo(this.x, this.y + this.shift());
            horizontal = !horizontal;
          }
          break;
        }
        case 8: // rrcurveto
          while (s.length >= 6) this.rrcurve();
          this.stack = [];
          break;
        case 24: // rcurveline
          while (s.length > 2) this.rrcurve();
          this.lineTo(this.x + this.shift(), this.y + this.shift());
          this.stack = [];
          break;
        case 25: // rlinecurve
          while (s.length > 6) this.lineTo(this.x + this.shift(), this.y + this.shift());
          this.rrcurve();
          this.stack = [];
          break;
        case 26: {
          // vvcurveto
          let dx1 = s.length % 2 === 1 ? this.shift() : 0;
          while (s.length >= 4) {
            const c1x = this.x + dx1;
            const c1y = this.y + this.shift();
            const c2x = c1x + this.shift();
            const c2y = c1y + this.shift();
            this.curveTo(c1x, c1y, c2x, c2y, c2x, c2y + this.shift());
            dx1 = 0;
          }
          this.stack = [];
          break;
        }
        case 27: {
          // hhcurveto
          let dy1 = s.length % 2 === 1 ? this.shift() : 0;
          while (s.length >= 4) {
            const c1x = this.x + this.shift();
            const c1y = this.y + dy1;
            const c2x = c1x + this.shift();
            const c2y = c1y + this.shift();
            this.curveTo(c1x, c1y, c2x, c2y, c2x + this.shift(), c2y);
            dy1 = 0;
          }
          this.stack = [];
          break;
        }
        case 30: // vhcurveto
        case 31: {
          // hvcurveto
          let horizontal = v === 31;
          while (s.length >= 4) {
            if (horizontal) {
              const c1x = this.x + this.shift();
              const c1y = this.y;
              const c2x = c1x + this.shift();
              const c2y = c1y + this.shift();
              const y = c2y + this.shift();
              this.curveTo(c1x, c1y, c2x, c2y, c2x + (s.length === 1 ? this.shift() : 0), y);
            } else {
              const c1x = this.x;
              const c1y = this.y + this.shift();
              const c2x = c1x + this.shift();
              const c2y = c1y + this.shift();
              const x = c2x + this.shift();
              this.curveTo(c1x, c1y, c2x, c2y, x, c2y + (s.length === 1 ? this.shift() : 0));
            }
            horizontal = !horizontal;
          }
          this.stack = [];
          break;
        }
        case 10: // callsubr
        case 29: {
          // callgsubr
          const index = v === 10 ? this.lsubrs : this.gsubrs;
          const n = (s.pop() ?? 0) + subrBias(index.items.length);
          const subr = index.items[n];
          if (!subr) throw new FontFormatError(`charstring calls missing subroutine ${n}`);
          this.exec(subr.start, subr.end);
          break;
        }
        case 11: // return
          this.depth--;
          return;
        case 14: // endchar
          this.takeWidth(s.length > 0 && s.length !== 4);
          this.close();
          this.ended = true;
          break;
        case 12:
          this.escape(b.readUInt8(pos++));
          break;
        default:
          // Reserved or arithmetic operators: not used by the fonts we render.
          this.stack = [];
      }
    }
    this.depth--;
  }

  private rrcurve(): void {
    const c1x = this.x + this.shift();
    const c1y = this.y + this.shift();
    const c2x = c1x + this.shift();
    const c2y = c1y + this.shift();
    this.curveTo(c1x, c1y, c2x, c2y, c2x + this.shift(), c2y + this.shift());
  }

  private escape(op: number): void {
    const a = this.stack;
    const y0 = this.y;
    const x0 = this.x;
    const n = (i: number): number => a[i] ?? 0;
    switch (op) {
      case 35: {
        // flex
        const c1x = x0 + n(0), c1y = y0 + n(1), c2x = c1x + n(2), c2y = c1y + n(3), px = c2x + n(4), py = c2y + n(5);
        this.curveTo(c1x, c1y, c2x, c2y, px, py);
        const c3x = px + n(6), c3y = py + n(7), c4x = c3x + n(8), c4y = c3y + n(9);
        this.curveTo(c3x, c3y, c4x, c4y, c4x + n(10), c4y + n(11));
        break;
      }
      case 34: {
        // hflex
        const c1x = x0 + n(0), c2x = c1x + n(1), c2y = y0 + n(2), px = c2x + n(3);
        this.curveTo(c1x, y0, c2x, c2y, px, c2y);
        const c3x = px + n(4), c4x = c3x + n(5);
        this.curveTo(c3x, c2y, c4x, y0, c4x + n(6), y0);
        break;
      }
      case 36: {
        // hflex1
        const c1x = x0 + n(0), c1y = y0 + n(1), c2x = c1x + n(2), c2y = c1y + n(3), px = c2x + n(4);
        this.curveTo(c1x, c1y, c2x, c2y, px, c2y);
        const c3x = px + n(5), c4x = c3x + n(6), c4y = c2y + n(7);
        this.curveTo(c3x, c2y, c4x, c4y, c4x + n(8), y0);
        break;
      }
      case 37: {
        // flex1
        const c1x = x0 + n(0), c1y = y0 + n(1), c2x = c1x + n(2), c2y = c1y + n(3), px = c2x + n(4), py = c2y + n(5);
        this.curveTo(c1x, c1y, c2x, c2y, px, py);
        const c3x = px + n(6), c3y = py + n(7), c4x = c3x + n(8), c4y = c3y + n(9);
        const dx = c4x - x0;
        const dy = c4y - y0;
        if (Math.abs(dx) > Math.abs(dy)) this.curveTo(c3x, c3y, c4x, c4y, c4x + n(10), y0);
        else this.curveTo(c3x, c3y, c4x, c4y, x0, c4y + n(10));
        break;
      }
      default:
        break;
    }
    this.stack = [];
  }
}
