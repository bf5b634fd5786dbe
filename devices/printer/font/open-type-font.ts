import { readFileSync } from 'node:fs';
import { CffOutlines, FontFormatError, type Contours, type Point } from './cff-charstrings.js';

export { FontFormatError } from './cff-charstrings.js';
export type { Contours, Point } from './cff-charstrings.js';

interface TableRecord {
  offset: number;
  length: number;
}

const QUAD_STEPS = 6;

/** TrueType outlines (glyf/loca): quadratic contours, composite glyphs by offset. */
class GlyfOutlines {
  constructor(
    private readonly b: Buffer,
    private readonly glyf: TableRecord,
    private readonly loca: TableRecord,
    private readonly longLoca: boolean,
    private readonly glyphs: number,
  ) {}

  private range(gid: number): [number, number] | null {
    if (gid < 0 || gid >= this.glyphs) return null;
    const at = (i: number): number => (this.longLoca ? this.b.readUInt32BE(this.loca.offset + i * 4) : this.b.readUInt16BE(this.loca.offset + i * 2) * 2);
    const start = at(gid);
    const end = at(gid + 1);
    return end > start ? [this.glyf.offset + start, this.glyf.offset + end] : null;
  }

  contours(gid: number, depth = 0): Contours {
    const r = this.range(gid);
    if (!r || depth > 8) return [];
    const b = this.b;
    const [start] = r;
    const numContours = b.readInt16BE(start);
    if (numContours < 0) return this.composite(start + 10, depth);
    let pos = start + 10;
    const ends: number[] = [];
    for (let i = 0; i < numContours; i++, pos += 2) ends.push(b.readUInt16BE(pos));
    const count = (ends[ends.length - 1] ?? -1) + 1;
    pos += 2 + b.readUInt16BE(pos);
    const flags: number[] = [];
    while (flags.length < count) {
      const f = b.readUInt8(pos++);
      flags.push(f);
      if (f & 8) for (let n = b.readUInt8(pos++); n > 0; n--) flags.push(f);
    }
    const coords = (shortBit: number, sameBit: number): number[] => {
      const out: number[] = [];
      let v = 0;
      for (const f of flags.slice(0, count)) {
        if (f & shortBit) v += f & sameBit ? b.readUInt8(pos++) : -b.readUInt8(pos++);
        else if (!(f & sameBit)) {
          v += b.readInt16BE(pos);
          pos += 2;
        }
        out.push(v);
      }
      return out;
    };
    const xs = coords(2, 16);
    const ys = coords(4, 32);
    const contours: Contours = [];
    let first = 0;
    for (const last of ends) {
      const pts = [];
      for (let i = first; i <= last; i++) pts.push({ x: xs[i] ?? 0, y: ys[i] ?? 0, on: ((flags[i] ?? 0) & 1) === 1 });
      first = last + 1;
      if (pts.length > 1) contours.push(flattenQuadratic(pts));
    }
    return contours;
  }

  private composite(pos: number, depth: number): Contours {
    const b = this.b;
    const out: Contours = [];
    for (;;) {
      const flags = b.readUInt16BE(pos);
      const gid = b.readUInt16BE(pos + 2);
      pos += 4;
      const words = (flags & 1) !== 0;
      const dx = words ? b.readInt16BE(pos) : b.readInt8(pos);
      const dy = words ? b.readInt16BE(pos + 2) : b.readInt8(pos + 1);
      pos += words ? 4 : 2;
      let m = [1, 0, 0, 1];
      const f2dot14 = (at: number): number => b.readInt16BE(at) / 16384;
      if (flags & 8) {
        m = [f2dot14(pos), 0, 0, f2dot14(pos)];
        pos += 2;
      } else if (flags & 0x40) {
        m = [f2dot14(pos), 0, 0, f2dot14(pos + 2)];
        pos += 4;
      } else if (flags & 0x80) {
        m = [f2dot14(pos), f2dot14(pos + 2), f2dot14(pos + 4), f2dot14(pos + 6)];
        pos += 8;
      }
      const [a = 1, c = 0, d = 0, e = 1] = m;
      // Point-matching placement (ARGS_ARE_XY_VALUES clear) is rare in CJK fonts: placed at 0,0.
      const offset = flags & 2 ? [dx, dy] : [0, 0];
      for (const contour of this.contours(gid, depth + 1)) {
        out.push(contour.map(([x, y]): Point => [a * x + d * y + (offset[0] ?? 0), c * x + e * y + (offset[1] ?? 0)]));
      }
      if (!(flags & 0x20)) return out;
    }
  }
}

function flattenQuadratic(pts: Array<{ x: number; y: number; on: boolean }>): Point[] {
  // Start on an on-curve point; two off-curve points imply the on-curve midpoint between them.
  const n = pts.length;
  let startIndex = pts.findIndex((p) => p.on);
  const out: Point[] = [];
  let start: { x: number; y: number };
  if (startIndex < 0) {
    const a = pts[0] ?? { x: 0, y: 0 };
    const z = pts[n - 1] ?? a;
    start = { x: (a.x + z.x) / 2, y: (a.y + z.y) / 2 };
    startIndex = 0;
  } else start = pts[startIndex] ?? { x: 0, y: 0 };
  out.push([start.x, start.y]);
  let cur = start;
  let control: { x: number; y: number } | null = null;
  const quad = (c: { x: number; y: number }, to: { x: number; y: number }): void => {
    for (let i = 1; i <= QUAD_STEPS; i++) {
      const t = i / QUAD_STEPS;
      const u = 1 - t;
      out.push([u * u * cur.x + 2 * u * t * c.x + t * t * to.x, u * u * cur.y + 2 * u * t * c.y + t * t * to.y]);
    }
    cur = to;
  };
  const begin = pts[startIndex]?.on ? startIndex + 1 : startIndex;
  for (let k = 0; k < n; k++) {
    const p = pts[(begin + k) % n] ?? { ...start, on: true };
    if (p.on) {
      if (control) quad(control, p);
      else {
        out.push([p.x, p.y]);
        cur = p;
      }
      control = null;
    } else if (control) {
      const mid = { x: (control.x + p.x) / 2, y: (control.y + p.y) / 2 };
      quad(control, mid);
      control = p;
    } else control = p;
  }
  if (control) quad(control, start);
  return out;
}

export interface FontMetrics {
  unitsPerEm: number;
  ascender: number;
  descender: number;
}

/**
 * One face of an OpenType font file (.otf, .ttf, or one member of a .ttc collection): the cmap
 * (formats 4 and 12), horizontal metrics, and outlines from CFF or glyf. Read-only and pure JS,
 * so it runs wherever Node runs (no native canvas on 信创 CPUs needed).
 */
export class OpenTypeFont {
  readonly metrics: FontMetrics;
  private readonly tables = new Map<string, TableRecord>();
  private readonly cmap: (codePoint: number) => number;
  private readonly outlines: { contours(gid: number): Contours };
  private readonly glyphs: number;

  private constructor(private readonly b: Buffer, faceOffset: number) {
    const numTables = b.readUInt16BE(faceOffset + 4);
    for (let i = 0; i < numTables; i++) {
      const rec = faceOffset + 12 + i * 16;
      this.tables.set(b.toString('latin1', rec, rec + 4), { offset: b.readUInt32BE(rec + 8), length: b.readUInt32BE(rec + 12) });
    }
    const head = this.table('head');
    const hhea = this.table('hhea');
    const maxp = this.table('maxp');
    this.glyphs = b.readUInt16BE(maxp.offset + 4);
    this.metrics = {
      unitsPerEm: b.readUInt16BE(head.offset + 18),
      ascender: b.readInt16BE(hhea.offset + 4),
      descender: b.readInt16BE(hhea.offset + 6),
    };
    this.cmap = this.readCmap();
    const cff = this.tables.get('CFF ');
    if (cff) {
      const cffOutlines = new CffOutlines(b.subarray(cff.offset, cff.offset + cff.length));
      this.outlines = cffOutlines;
    } else {
      const glyf = this.table('glyf');
      const loca = this.table('loca');
      this.outlines = new GlyfOutlines(b, glyf, loca, b.readInt16BE(head.offset + 50) === 1, this.glyphs);
    }
  }

  /** Loads face `index` of a .ttc (ignored for a single-face file). Throws FontFormatError. */
  static load(path: string, index = 0): OpenTypeFont {
    const b = readFileSync(path);
    return OpenTypeFont.fromBuffer(b, index);
  }

  static fromBuffer(b: Buffer, index = 0): OpenTypeFont {
    try {
      if (b.length < 12) throw new FontFormatError('file too short for a font');
      const tag = b.toString('latin1', 0, 4);
      if (tag === 'ttcf') {
        const faces = b.readUInt32BE(8);
        if (index < 0 || index >= faces) throw new FontFormatError(`font collection has ${faces} faces; index ${index} is not one`);
        return new OpenTypeFont(b, b.readUInt32BE(12 + index * 4));
      }
      if (tag !== 'OTTO' && tag !== 'true' && b.readUInt32BE(0) !== 0x00010000) throw new FontFormatError('not an OpenType/TrueType font');
      return new OpenTypeFont(b, 0);
    } catch (err) {
      if (err instanceof FontFormatError) throw err;
      // Out-of-range reads of a damaged file.
      throw new FontFormatError(`damaged font: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** Glyph id for a code point; 0 (.notdef) when the font lacks it. */
  glyphId(codePoint: number): number {
    return this.cmap(codePoint);
  }

  hasGlyph(codePoint: number): boolean {
    return this.glyphId(codePoint) !== 0;
  }

  /** Outline of a glyph in font units, y up. */
  contours(gid: number): Contours {
    try {
      return this.outlines.contours(gid);
    } catch (err) {
      if (err instanceof FontFormatError) throw err;
      throw new FontFormatError(`damaged glyph ${gid}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private table(tag: string): TableRecord {
    const t = this.tables.get(tag);
    if (!t) throw new FontFormatError(`font has no '${tag}' table`);
    return t;
  }

  private readCmap(): (cp: number) => number {
    const b = this.b;
    const cmap = this.table('cmap');
    const n = b.readUInt16BE(cmap.offset + 2);
    const subtables: Array<{ platform: number; encoding: number; at: number; format: number }> = [];
    for (let i = 0; i < n; i++) {
      const rec = cmap.offset + 4 + i * 8;
      const at = cmap.offset + b.readUInt32BE(rec + 4);
      subtables.push({ platform: b.readUInt16BE(rec), encoding: b.readUInt16BE(rec + 2), at, format: b.readUInt16BE(at) });
    }
    const full = subtables.find((s) => s.format === 12 && (s.platform === 3 || s.platform === 0));
    if (full) {
      const groups = b.readUInt32BE(full.at + 12);
      return (cp) => {
        let lo = 0;
        let hi = groups - 1;
        while (lo <= hi) {
          const mid = (lo + hi) >> 1;
          const g = full.at + 16 + mid * 12;
          const startChar = b.readUInt32BE(g);
          const endChar = b.readUInt32BE(g + 4);
          if (cp < startChar) hi = mid - 1;
          else if (cp > endChar) lo = mid + 1;
          else return b.readUInt32BE(g + 8) + (cp - startChar);
        }
        return 0;
      };
    }
    const bmp = subtables.find((s) => s.format === 4 && (s.platform === 3 || s.platform === 0));
    if (!bmp) throw new FontFormatError('font has no Unicode cmap (format 4 or 12)');
    const segX2 = b.readUInt16BE(bmp.at + 6);
    const ends = bmp.at + 14;
    const starts = ends + segX2 + 2;
    const deltas = starts + segX2;
    const rangeOffsets = deltas + segX2;
    return (cp) => {
      if (cp > 0xffff) return 0;
      for (let i = 0; i < segX2 / 2; i++) {
        if (cp > b.readUInt16BE(ends + i * 2)) continue;
        const start = b.readUInt16BE(starts + i * 2);
        if (cp < start) return 0;
        const delta = b.readInt16BE(deltas + i * 2);
        const ro = b.readUInt16BE(rangeOffsets + i * 2);
        if (ro === 0) return (cp + delta) & 0xffff;
        const at = rangeOffsets + i * 2 + ro + (cp - start) * 2;
        const g = b.readUInt16BE(at);
        return g === 0 ? 0 : (g + delta) & 0xffff;
      }
      return 0;
    };
  }
}
