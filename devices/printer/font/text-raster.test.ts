import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FontFormatError, OpenTypeFont } from './open-type-font.js';
import { DEFAULT_PRINTER_FONT_PATH, PrinterFontError, PrinterFontErrorCode, rasterImageCommand, TextRasterizer } from './text-raster.js';

/** TrueType (glyf) outlines; fonts-dejavu-core is in Debian's base image (fontconfig-config). */
const DEJAVU = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';
const dir = mkdtempSync(path.join(os.tmpdir(), 'font-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function blackDots(bits: Buffer): number {
  let n = 0;
  for (const byte of bits) for (let b = byte; b; b &= b - 1) n++;
  return n;
}

function dot(image: { widthDots: number; bits: Buffer }, x: number, y: number): boolean {
  return (((image.bits[y * (image.widthDots / 8) + (x >> 3)] ?? 0) >> (7 - (x & 7))) & 1) === 1;
}

describe('TextRasterizer with Noto Sans CJK (CFF outlines in a .ttc)', () => {
  const r = TextRasterizer.load();

  it('has the characters GBK lacks', () => {
    expect(r.covers('䶮')).toBe(true);
    expect(r.covers('𠮷')).toBe(true);
  });

  it('draws a wide character in a 24x24 cell and ASCII in 12x24', () => {
    const img = r.rasterize('䶮');
    expect([img.widthDots, img.heightDots]).toEqual([24, 24]);
    expect(img.bits.length).toBe(3 * 24);
    const dots = blackDots(img.bits);
    // A real glyph: clearly inked, clearly not a filled block.
    expect(dots).toBeGreaterThan(60);
    expect(dots).toBeLessThan(400);
    expect(r.rasterize('䶮*A').widthDots).toBe(48);
  });

  it('draws different characters differently and the same one the same way', () => {
    expect(r.rasterize('䶮').bits.equals(r.rasterize('䶮').bits)).toBe(true);
    expect(r.rasterize('䶮').bits.equals(r.rasterize('𠮷').bits)).toBe(false);
  });

  it('draws 一 as one horizontal stroke', () => {
    const img = r.rasterize('一');
    const rows = Array.from({ length: 24 }, (_, y) => Array.from({ length: 24 }, (_, x) => dot(img, x, y)).filter(Boolean).length);
    const inked = rows.filter((n) => n > 0);
    expect(inked.length).toBeGreaterThanOrEqual(1);
    expect(inked.length).toBeLessThanOrEqual(4);
    expect(Math.max(...rows)).toBeGreaterThanOrEqual(14);
  });

  it('leaves spaces blank', () => {
    expect(blackDots(r.rasterize('  ').bits)).toBe(0);
  });
});

describe('TextRasterizer with a TrueType (glyf) font', () => {
  it('draws Latin (simple and composite glyphs) from DejaVu Sans and a box for what that font lacks', () => {
    const r = TextRasterizer.load({ fontPath: DEJAVU });
    expect(blackDots(r.rasterize('A').bits)).toBeGreaterThan(15);
    // é is built from e and an accent: more ink than e alone.
    expect(blackDots(r.rasterize('é').bits)).toBeGreaterThan(blackDots(r.rasterize('e').bits));
    expect(r.covers('𠮷')).toBe(false);
    const box = r.rasterize('𠮷');
    // The box's left edge: a vertical run in the middle rows.
    expect(dot(box, 1, 12)).toBe(true);
    expect(dot(box, 12, 12)).toBe(false);
  });
});

describe('TextRasterizer errors', () => {
  it('says plainly when the font file is missing', () => {
    let caught: unknown;
    try {
      TextRasterizer.load({ fontPath: path.join(dir, 'nope.ttc') });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(PrinterFontError);
    expect((caught as PrinterFontError).code).toBe(PrinterFontErrorCode.Missing);
    expect((caught as PrinterFontError).message).toContain('fonts-noto-cjk');
  });

  it('refuses a file that is not a font, a truncated font and a wrong face index', () => {
    const notFont = path.join(dir, 'not-a-font.ttf');
    writeFileSync(notFont, 'hello, this is not a font at all');
    const truncated = path.join(dir, 'truncated.ttf');
    writeFileSync(truncated, readFileSync(DEJAVU).subarray(0, 2000));
    for (const [fontPath, fontIndex] of [[notFont, 0], [truncated, 0], [DEFAULT_PRINTER_FONT_PATH, 99]] as const) {
      let caught: unknown;
      try {
        TextRasterizer.load({ fontPath, fontIndex });
      } catch (err) {
        caught = err;
      }
      expect((caught as PrinterFontError).code).toBe(PrinterFontErrorCode.Unreadable);
    }
  });

  it('reports damage inside a font as FontFormatError, never a bare RangeError', () => {
    const bytes = Buffer.from(readFileSync(DEJAVU));
    for (const cut of [12, 200, 5000]) {
      let caught: unknown;
      try {
        OpenTypeFont.fromBuffer(bytes.subarray(0, cut)).contours(100);
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(FontFormatError);
    }
  });
});

describe('rasterImageCommand', () => {
  it('writes GS v 0 with the width in bytes and the height in dots, little-endian', () => {
    const cmd = rasterImageCommand({ widthDots: 16, heightDots: 3, bits: Buffer.alloc(6, 0xff) });
    expect([...cmd.subarray(0, 8)]).toEqual([0x1d, 0x76, 0x30, 0x00, 0x02, 0x00, 0x03, 0x00]);
    expect(cmd.length).toBe(14);
    expect(() => rasterImageCommand({ widthDots: 16, heightDots: 3, bits: Buffer.alloc(5) })).toThrow(RangeError);
  });
});
