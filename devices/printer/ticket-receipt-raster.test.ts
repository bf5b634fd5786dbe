import { describe, expect, it } from 'vitest';
import { maskName } from '../../common/domain/masking.js';
import { TextRasterizer } from './font/text-raster.js';
import { decodeEscPos } from './simulator/escpos-decoder.js';
import { sampleReceipt } from './test-receipt.fixture.js';
import { composeTicketReceipt, lineBytes, needsRaster, textBytes } from './ticket-receipt.js';

describe('生僻字 on receipts', () => {
  const rasterizer = TextRasterizer.load();

  it('knows which characters a printer font lacks: those GB18030 encodes in four bytes', () => {
    expect(needsRaster('䶮')).toBe(true);
    expect(needsRaster('𠮷')).toBe(true);
    expect(needsRaster('张三 A023 社会保障卡')).toBe(false);
    expect(needsRaster('ABC')).toBe(false);
  });

  it('prints the masked name 䶮* as one raster line and never a "?"', () => {
    const holderName = maskName('䶮华');
    expect(holderName).toBe('䶮*');
    const bytes = composeTicketReceipt(sampleReceipt({ holderName }), { rasterizer });
    const receipt = decodeEscPos(bytes);
    expect(receipt.text).not.toContain('?');
    expect(receipt.text).not.toContain('䶮'); // it is a picture, not text
    expect(receipt.rasters).toHaveLength(1);
    const expected = rasterizer.rasterize('姓名 / Name: 䶮*');
    const raster = receipt.rasters[0];
    expect(raster?.widthDots).toBe(expected.widthDots);
    expect(raster?.heightDots).toBe(24);
    expect(raster?.bits.equals(expected.bits)).toBe(true);
    // Where the name line would be: after the issued time, before the QR code.
    const at = receipt.lines.indexOf(`[raster ${expected.widthDots}x24]`);
    expect(at).toBeGreaterThan(receipt.lines.findIndex((l) => l.includes('取号时间')));
    expect(at).toBeLessThan(receipt.lines.findIndex((l) => l.startsWith('[QR:')));
    // The rest of the receipt is still text, and it stays under 2 KB.
    expect(receipt.lines).toContain('A023');
    expect(bytes.length).toBeLessThan(2048);
  });

  it('prints a plain name as text', () => {
    const receipt = decodeEscPos(composeTicketReceipt(sampleReceipt({ holderName: '张*' }), { rasterizer }));
    expect(receipt.rasters).toHaveLength(0);
    expect(receipt.lines).toContain('姓名 / Name: 张*');
  });

  it('ends a text line with LF and a raster line without one (no blank line after it)', () => {
    expect(lineBytes('张三', { rasterizer }).at(-1)).toBe(0x0a);
    const raster = lineBytes('𠮷', { rasterizer });
    expect([...raster.subarray(0, 3)]).toEqual([0x1d, 0x76, 0x30]);
    expect(raster.equals(textBytes('𠮷', { rasterizer }))).toBe(true);
    const receipt = decodeEscPos(Buffer.concat([lineBytes('𠮷', { rasterizer }), lineBytes('next', { rasterizer })]));
    expect(receipt.lines).toEqual(['[raster 24x24]', 'next']);
  });
});
