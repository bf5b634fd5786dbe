import { existsSync } from 'node:fs';
import { FontFormatError, OpenTypeFont, type Contours } from './open-type-font.js';

/** Debian's fonts-noto-cjk; face 2 of the collection is Noto Sans CJK SC. */
export const DEFAULT_PRINTER_FONT_PATH = '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc';
export const DEFAULT_PRINTER_FONT_INDEX = 2;

/** A 1-bit image: rows top to bottom, `ceil(widthDots / 8)` bytes a row, most significant bit leftmost, 1 = black. */
export interface RasterImage {
  widthDots: number;
  heightDots: number;
  bits: Buffer;
}

export enum PrinterFontErrorCode {
  /** The configured font file does not exist. */
  Missing = 'printer-font.missing',
  /** It exists but is not a font we can read (or the face index is wrong). */
  Unreadable = 'printer-font.unreadable',
}

export class PrinterFontError extends Error {
  readonly code: PrinterFontErrorCode;
  constructor(code: PrinterFontErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PrinterFontError';
    this.code = code;
  }
}

export interface TextRasterizerOptions {
  /** An .otf/.ttf/.ttc with CJK coverage; default DEFAULT_PRINTER_FONT_PATH. */
  fontPath?: string;
  /** Face in a .ttc; default 2 (SC) for the default font, 0 otherwise. */
  fontIndex?: number;
  /** Line height in dots; default 24, the height of the printer's 12x24 / 24x24 font A. */
  lineHeightDots?: number;
}

/** Supersampling per axis: coverage is judged on a 4x4 grid per dot. */
const SS = 4;
/** Dots (of 16 samples) that must be inside the outline for the dot to be black. */
const THRESHOLD = 5;

function isWide(codePoint: number): boolean {
  return codePoint >= 0x1100;
}

/** Fills closed polygons (nonzero winding) into a w x h coverage grid, y down. */
function fill(contours: Array<Array<readonly [number, number]>>, w: number, h: number): Uint8Array {
  const grid = new Uint8Array(w * h);
  const crossings: Array<{ x: number; dir: number }> = [];
  for (let row = 0; row < h; row++) {
    const y = row + 0.5;
    crossings.length = 0;
    for (const poly of contours) {
      for (let i = 0; i < poly.length; i++) {
        const [x0, y0] = poly[i] ?? [0, 0];
        const [x1, y1] = poly[(i + 1) % poly.length] ?? [0, 0];
        if (y0 === y1) continue;
        if ((y >= y0 && y < y1) || (y >= y1 && y < y0)) crossings.push({ x: x0 + ((y - y0) * (x1 - x0)) / (y1 - y0), dir: y1 > y0 ? 1 : -1 });
      }
    }
    crossings.sort((a, b) => a.x - b.x);
    let winding = 0;
    for (let i = 0; i < crossings.length - 1; i++) {
      winding += crossings[i]?.dir ?? 0;
      if (winding === 0) continue;
      const from = Math.max(0, Math.ceil((crossings[i]?.x ?? 0) - 0.5));
      const to = Math.min(w - 1, Math.floor((crossings[i + 1]?.x ?? 0) - 0.5));
      for (let x = from; x <= to; x++) grid[row * w + x] = 1;
    }
  }
  return grid;
}

/**
 * Draws text as a bitmap with an outline font, in the printer's own grid: a wide (CJK) character
 * takes a 24x24 cell, an ASCII character 12x24, so a raster line lines up with printed text.
 * Characters the font lacks come out as an empty box, visibly wrong rather than silently `?`.
 */
export class TextRasterizer {
  private static readonly cache = new Map<string, OpenTypeFont>();
  private readonly glyphCache = new Map<number, { contours: Contours; box: [number, number, number, number] }>();

  private constructor(
    private readonly font: OpenTypeFont,
    readonly lineHeightDots: number,
  ) {}

  /** Loads (once per path and face) the font. Throws PrinterFontError with a clear message. */
  static load(opts: TextRasterizerOptions = {}): TextRasterizer {
    const fontPath = opts.fontPath ?? DEFAULT_PRINTER_FONT_PATH;
    const index = opts.fontIndex ?? (fontPath === DEFAULT_PRINTER_FONT_PATH ? DEFAULT_PRINTER_FONT_INDEX : 0);
    const height = opts.lineHeightDots ?? 24;
    if (!Number.isInteger(height) || height < 8 || height > 255) throw new RangeError(`lineHeightDots must be 8..255, got ${height}`);
    const key = `${fontPath}#${index}`;
    let font = TextRasterizer.cache.get(key);
    if (!font) {
      if (!existsSync(fontPath)) {
        throw new PrinterFontError(
          PrinterFontErrorCode.Missing,
          `printer font ${fontPath} not found: install fonts-noto-cjk (Debian) or configure a CJK .ttc/.otf/.ttf; characters outside GBK cannot be printed without it`,
        );
      }
      try {
        font = OpenTypeFont.load(fontPath, index);
      } catch (err) {
        if (err instanceof FontFormatError) throw new PrinterFontError(PrinterFontErrorCode.Unreadable, `printer font ${fontPath} (face ${index}): ${err.message}`, { cause: err });
        throw new PrinterFontError(PrinterFontErrorCode.Unreadable, `printer font ${fontPath}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
      }
      TextRasterizer.cache.set(key, font);
    }
    return new TextRasterizer(font, height);
  }

  /** Whether the font can draw this character (tests, diagnostics). */
  covers(char: string): boolean {
    return this.font.hasGlyph(char.codePointAt(0) ?? 0);
  }

  /** Width in dots `text` takes in the printer's grid. */
  widthOf(text: string): number {
    let w = 0;
    for (const ch of text) w += isWide(ch.codePointAt(0) ?? 0) ? this.lineHeightDots : this.lineHeightDots / 2;
    return Math.ceil(w);
  }

  rasterize(text: string): RasterImage {
    const h = this.lineHeightDots;
    const widthDots = Math.max(8, this.widthOf(text));
    const rowBytes = Math.ceil(widthDots / 8);
    const bits = Buffer.alloc(rowBytes * h);
    const { unitsPerEm, ascender, descender } = this.font.metrics;
    const emHeight = ascender - descender > 0 ? ascender - descender : unitsPerEm;
    const scale = (h * SS) / emHeight;
    let cellX = 0;
    for (const ch of text) {
      const cp = ch.codePointAt(0) ?? 0;
      const cellW = isWide(cp) ? h : h / 2;
      if (cp !== 0x20) this.drawGlyph(cp, cellX, cellW, scale, ascender, bits, rowBytes);
      cellX += cellW;
    }
    return { widthDots: rowBytes * 8, heightDots: h, bits };
  }

  private glyph(cp: number): { contours: Contours; box: [number, number, number, number] } | null {
    const gid = this.font.glyphId(cp);
    if (gid === 0) return null;
    let g = this.glyphCache.get(gid);
    if (!g) {
      const contours = this.font.contours(gid);
      let minX = Infinity;
      let maxX = -Infinity;
      let minY = Infinity;
      let maxY = -Infinity;
      for (const c of contours) {
        for (const [x, y] of c) {
          minX = Math.min(minX, x);
          maxX = Math.max(maxX, x);
          minY = Math.min(minY, y);
          maxY = Math.max(maxY, y);
        }
      }
      g = { contours, box: [minX, minY, maxX, maxY] };
      this.glyphCache.set(gid, g);
    }
    return g;
  }

  private drawGlyph(cp: number, cellX: number, cellW: number, scale: number, ascender: number, bits: Buffer, rowBytes: number): void {
    const h = this.lineHeightDots;
    const w = Math.round(cellW);
    const W = w * SS;
    const H = h * SS;
    const g = this.glyph(cp);
    let grid: Uint8Array;
    if (!g || g.contours.length === 0) {
      if (g) return; // a blank glyph
      grid = new Uint8Array(W * H);
      // Tofu: an empty box, so a missing glyph is seen, not guessed.
      for (let y = SS * 3; y < H - SS * 3; y++) {
        for (let x = SS; x < W - SS; x++) {
          const edge = y < SS * 5 || y >= H - SS * 5 || x < SS * 3 || x >= W - SS * 3;
          if (edge) grid[y * W + x] = 1;
        }
      }
    } else {
      const [minX, , maxX] = g.box;
      const glyphW = (maxX - minX) * scale;
      // Narrow the glyph if it would spill out of its cell (a proportional Latin 'W' in 12 dots).
      const sx = glyphW > W ? (W / glyphW) * scale : scale;
      const offsetX = (W - (maxX - minX) * sx) / 2 - minX * sx;
      grid = fill(
        g.contours.map((c) => c.map(([x, y]) => [x * sx + offsetX, (ascender - y) * scale] as const)),
        W,
        H,
      );
    }
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        let n = 0;
        for (let sy = 0; sy < SS; sy++) for (let sxi = 0; sxi < SS; sxi++) n += grid[(y * SS + sy) * W + x * SS + sxi] ?? 0;
        if (n < THRESHOLD) continue;
        const px = Math.round(cellX) + x;
        const at = y * rowBytes + (px >> 3);
        if (at < bits.length) bits[at] = (bits[at] ?? 0) | (0x80 >> (px & 7));
      }
    }
  }
}

/** `GS v 0` (print raster bit image, normal density) for an image. */
export function rasterImageCommand(image: RasterImage): Buffer {
  const rowBytes = Math.ceil(image.widthDots / 8);
  if (image.bits.length !== rowBytes * image.heightDots) throw new RangeError('raster bits do not match the image size');
  return Buffer.concat([
    Buffer.from([0x1d, 0x76, 0x30, 0x00, rowBytes & 0xff, rowBytes >> 8, image.heightDots & 0xff, image.heightDots >> 8]),
    image.bits,
  ]);
}
