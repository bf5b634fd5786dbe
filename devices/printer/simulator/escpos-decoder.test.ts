import fc from 'fast-check';
import { PrinterTypes, ThermalPrinter } from 'node-thermal-printer';
import { describe, expect, it } from 'vitest';
import { encodeGb18030 } from '../gb18030.js';
import { decodeEscPos } from './escpos-decoder.js';
import { tokenize, TokenKind } from './escpos-tokenizer.js';

const b = (...parts: Array<number[] | Buffer | string>): Buffer =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

/** C0 controls other than TAB: none may reach decoded text. */
const hasControl = (text: string): boolean => Array.from(text).some((ch) => (ch.codePointAt(0) ?? 0) < 0x20);

describe('decodeEscPos', () => {
  it('reads ASCII lines and GB18030 inside FS & ... FS .', () => {
    const bytes = b([0x1b, 0x40], 'Hello\n', [0x1c, 0x26], encodeGb18030('社会保障'), [0x1c, 0x2e], ' A023\n');
    expect(decodeEscPos(bytes).lines).toEqual(['Hello', '社会保障 A023']);
  });

  it('reads bytes >= 0x80 outside FS & with the code page (ESC t), not as Chinese', () => {
    const bytes = b([0x1b, 0x74, 16], [0xe9], '\n');
    expect(decodeEscPos(bytes).lines).toEqual(['é']);
  });

  it('skips the argument bytes of text-style commands', () => {
    const bytes = b(
      [0x1b, 0x61, 0x01], [0x1b, 0x45, 0x01], [0x1b, 0x21, 0x30], [0x1d, 0x21, 0x33], [0x1b, 0x74, 0x00],
      [0x1b, 0x52, 0x0f], [0x1b, 0x4d, 0x01], [0x1b, 0x2d, 0x02], [0x1d, 0x42, 0x01], [0x1b, 0x33, 0x41], 'X\n',
    );
    expect(decodeEscPos(bytes).lines).toEqual(['X']);
  });

  it('feeds lines with ESC d n and trims blank paper before the cut', () => {
    const r = decodeEscPos(b('a', [0x1b, 0x64, 0x02], 'b\n', [0x1b, 0x64, 0x04], [0x1d, 0x56, 0x42, 0x00]));
    expect(r.lines).toEqual(['a', '', 'b']);
    expect(r.cut).toBe(true);
  });

  it('knows every cut form', () => {
    for (const cut of [[0x1d, 0x56, 0x00], [0x1d, 0x56, 0x01], [0x1d, 0x56, 0x31], [0x1d, 0x56, 0x41, 0x03], [0x1b, 0x69], [0x1b, 0x6d]]) {
      const r = decodeEscPos(b('x\n', cut, 'y\n'));
      expect(r.cut).toBe(true);
      expect(r.lines).toEqual(['x', 'y']);
    }
    expect(decodeEscPos(b('x\n')).cut).toBe(false);
  });

  it('collects QR data stored with GS ( k fn 80 and printed with fn 81', () => {
    const data = Buffer.from('https://e.cn/t/1');
    const n = data.length + 3;
    const bytes = b(
      [0x1d, 0x28, 0x6b, 0x04, 0x00, 0x31, 0x41, 0x32, 0x00],
      [0x1d, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x43, 0x06],
      [0x1d, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x45, 0x31],
      [0x1d, 0x28, 0x6b, n, 0x00, 0x31, 0x50, 0x30], data,
      [0x1d, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x51, 0x30],
      'after\n',
    );
    const r = decodeEscPos(bytes);
    expect(r.qrCodes).toEqual(['https://e.cn/t/1']);
    expect(r.lines).toEqual(['[QR:https://e.cn/t/1]', 'after']);
  });

  it('skips raster data (GS v 0) and shows its size', () => {
    const raster = b([0x1d, 0x76, 0x30, 0x00, 0x02, 0x00, 0x03, 0x00], Buffer.alloc(6, 0x0a), 'ok\n');
    expect(decodeEscPos(raster).lines).toEqual(['[raster 16x3]', 'ok']);
  });

  it('answers nothing for status queries in the stream and keeps them out of the text', () => {
    const r = decodeEscPos(b('a', [0x10, 0x04, 0x01], 'b', [0x1d, 0x72, 0x01], '\n'));
    expect(r.lines).toEqual(['ab']);
  });

  it('skips only the ESC byte of an unknown command', () => {
    expect(decodeEscPos(b([0x1b], 'Zok\n')).lines).toEqual(['Zok']);
    // 0x99 is then an ordinary cp437 byte (Ö), as a printer would print it.
    expect(decodeEscPos(b([0x1d, 0x99], 'ok\n')).lines).toEqual(['Öok']);
  });

  it('does not throw on a truncated command at the end', () => {
    expect(decodeEscPos(b('ok\n', [0x1d, 0x28, 0x6b, 0xff, 0xff, 0x31])).lines[0]).toBe('ok');
    expect(decodeEscPos(b('ok\n', [0x1b])).lines).toEqual(['ok']);
  });

  it('reads what node-thermal-printer emits for the features we use and more', () => {
    const p = new ThermalPrinter({ type: PrinterTypes.EPSON, interface: '', width: 48 });
    p.alignCenter();
    p.bold(true);
    p.println('Title');
    p.bold(false);
    p.setTextSize(7, 7);
    p.println('A023');
    p.setTextNormal();
    p.setTextQuadArea();
    p.setTextDoubleHeight();
    p.setTextDoubleWidth();
    p.setTypeFontB();
    p.underline(true);
    p.invert(true);
    p.upsideDown(false);
    p.setLineSpacing(40);
    p.resetLineSpacing();
    p.alignLeft();
    p.leftRight('L', 'R');
    p.drawLine('=');
    p.code128('ABC123');
    p.printBarcode('4006381333931', 67);
    p.printQR('QRDATA');
    p.beep();
    p.partialCut();
    p.cut();
    const r = decodeEscPos(p.getBuffer());
    expect(r.lines[0]).toBe('Title');
    expect(r.lines[1]).toBe('A023');
    expect(r.lines).toContain(`L${' '.repeat(46)}R`);
    expect(r.lines).toContain('='.repeat(48));
    expect(r.lines).toContain('[barcode:{BABC123]');
    expect(r.lines).toContain('[barcode:4006381333931]');
    expect(r.qrCodes).toEqual(['QRDATA']);
    expect(r.cut).toBe(true);
    expect(hasControl(r.text.replaceAll('\n', ''))).toBe(false);
  });

  it('never throws on random bytes, and its lines never contain control characters', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        const r = decodeEscPos(bytes);
        expect(r.text).toBe(r.lines.join('\n'));
        for (const line of r.lines) expect(hasControl(line)).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on random command soup built from real prefixes', () => {
    const piece = fc.oneof(
      fc.constantFrom([0x1b], [0x1d], [0x1c], [0x10], [0x1b, 0x40], [0x1c, 0x26], [0x1c, 0x2e], [0x0a], [0x1d, 0x28, 0x6b], [0x1d, 0x76, 0x30]),
      fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 6 }),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 60 }), (pieces) => {
        const bytes = Uint8Array.from(pieces.flat());
        decodeEscPos(bytes);
        const { tokens, rest } = tokenize(bytes);
        const covered = tokens.reduce((n, t) => n + (t.end - t.start), 0);
        expect(covered).toBe(rest);
        expect(tokens.every((t) => t.end > t.start)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

describe('tokenize', () => {
  it('reports where an unfinished command starts', () => {
    const { tokens, rest } = tokenize(b('ab', [0x1d, 0x28, 0x6b, 0x05, 0x00, 0x31]));
    expect(tokens.map((t) => t.kind)).toEqual([TokenKind.Data]);
    expect(rest).toBe(2);
  });

  it('marks status queries and cuts', () => {
    const { tokens } = tokenize(b([0x10, 0x04, 0x04], [0x1d, 0x56, 0x42, 0x00]));
    expect(tokens.map((t) => t.kind)).toEqual([TokenKind.StatusQuery, TokenKind.Cut]);
  });
});
