import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IdGender } from '../../common/domain/id-number.js';
import { I_LAYOUT, MAINLAND_LAYOUT, Y_LAYOUT } from './id-card-layouts.js';
import { decodeIdCardText, IdCardTextError, IdCardTextErrorCode, IdCardType, isIdCardExpired, LONG_TERM } from './id-card-text.js';
import { encodeIdCardText } from './simulator/card-text-encoder.js';
import { sampleCard, SampleCardName } from './simulator/sample-cards.js';

const TODAY = '2025-06-01';

function codeOf(fn: () => unknown): IdCardTextErrorCode | 'no error' {
  try {
    fn();
    return 'no error';
  } catch (err) {
    if (err instanceof IdCardTextError) return err.code;
    throw err;
  }
}

function withField(block: Buffer, span: { offset: number; length: number }, value: string): Buffer {
  const copy = Buffer.from(block);
  for (let i = 0; i < span.length; i += 2) copy.writeUInt16LE(0x20, span.offset + i);
  Buffer.from(value, 'utf16le').copy(copy, span.offset);
  return copy;
}

describe('decodeIdCardText', () => {
  it.each(Object.values(SampleCardName))('round-trips the %s sample card', (name) => {
    const card = sampleCard(name);
    expect(decodeIdCardText(encodeIdCardText(card), { today: TODAY })).toEqual(card);
  });

  it('reads the mainland layout byte for byte', () => {
    const block = encodeIdCardText(sampleCard(SampleCardName.Mainland));
    expect(block.length).toBe(256);
    expect(block.subarray(0, 4).equals(Buffer.from('张三', 'utf16le'))).toBe(true);
    expect([...block.subarray(4, 8)]).toEqual([0x20, 0x00, 0x20, 0x00]);
    expect(block.subarray(30, 32).toString('utf16le')).toBe('1');
    expect(block.subarray(36, 52).toString('utf16le')).toBe('19900307');
    expect(block.subarray(122, 158).toString('utf16le')).toBe('110101199003071233');
    expect([...block.subarray(248, 250)]).toEqual([0x20, 0x00]);
    const card = decodeIdCardText(block, { today: TODAY });
    expect(card).toMatchObject({ cardType: IdCardType.Mainland, name: '张三', gender: IdGender.Male, birthDate: '1990-03-07', nation: { code: '01', name: '汉' } });
  });

  it('marks the J, I and Y cards at bytes 248-249', () => {
    expect([...encodeIdCardText(sampleCard(SampleCardName.HkMacauTaiwan)).subarray(248, 250)]).toEqual([0x4a, 0x00]);
    expect([...encodeIdCardText(sampleCard(SampleCardName.Foreign2017)).subarray(248, 250)]).toEqual([0x49, 0x00]);
    expect([...encodeIdCardText(sampleCard(SampleCardName.Foreign2023)).subarray(248, 250)]).toEqual([0x59, 0x00]);
  });

  it('keeps 䶮 (outside GBK) in the name', () => {
    expect(decodeIdCardText(encodeIdCardText(sampleCard(SampleCardName.RareName)), { today: TODAY }).name).toBe('䶮华');
  });

  it('reads 长期 as long-term, and an expired card decodes (expiry is for the flow to judge)', () => {
    expect(decodeIdCardText(encodeIdCardText(sampleCard(SampleCardName.Elderly)), { today: TODAY }).validTo).toBe(LONG_TERM);
    const expired = decodeIdCardText(encodeIdCardText(sampleCard(SampleCardName.Expired)), { today: TODAY });
    expect(isIdCardExpired(expired, TODAY)).toBe(true);
    expect(isIdCardExpired({ validTo: LONG_TERM }, TODAY)).toBe(false);
    expect(isIdCardExpired({ validTo: TODAY }, TODAY)).toBe(false);
  });

  it('uses the English name on a 2017 card without a Chinese one', () => {
    const card = { ...sampleCard(SampleCardName.Foreign2017), name: 'SMITH JOHN' };
    const decoded = decodeIdCardText(encodeIdCardText(card), { today: TODAY });
    expect(decoded.name).toBe('SMITH JOHN');
    expect(decoded.nameEn).toBe('SMITH JOHN');
  });

  it('joins a long English name across the two Y fields', () => {
    const nameEn = 'MONTGOMERY-WORTHINGTON ALEXANDRA ELIZABETH';
    const card = { ...sampleCard(SampleCardName.Foreign2023), nameEn };
    expect(nameEn.length).toBeGreaterThan(Y_LAYOUT.nameEn.length / 2);
    expect(decodeIdCardText(encodeIdCardText(card), { today: TODAY }).nameEn).toBe(nameEn);
  });

  it('rejects blocks of the wrong length and unknown type markers', () => {
    expect(codeOf(() => decodeIdCardText(Buffer.alloc(255), { today: TODAY }))).toBe(IdCardTextErrorCode.WrongLength);
    const block = encodeIdCardText(sampleCard(SampleCardName.Mainland));
    block.writeUInt16LE(0x5a, 248); // 'Z'
    expect(codeOf(() => decodeIdCardText(block, { today: TODAY }))).toBe(IdCardTextErrorCode.UnknownCardType);
  });

  it('names the field at fault', () => {
    const block = encodeIdCardText(sampleCard(SampleCardName.Mainland));
    const cases: Array<[Buffer, IdCardTextErrorCode, string]> = [
      [withField(block, MAINLAND_LAYOUT.gender, '3'), IdCardTextErrorCode.BadField, 'gender'],
      [withField(block, MAINLAND_LAYOUT.birth, '19900230'), IdCardTextErrorCode.BadField, 'birth'],
      [withField(block, MAINLAND_LAYOUT.birth, '19900308'), IdCardTextErrorCode.BadField, 'birth'],
      [withField(block, MAINLAND_LAYOUT.idNumber, '110101199003071234'), IdCardTextErrorCode.BadIdNumber, 'idNumber'],
      [withField(block, MAINLAND_LAYOUT.idNumber, '810000198001010014'), IdCardTextErrorCode.BadIdNumber, 'idNumber'],
      [withField(block, MAINLAND_LAYOUT.name, ''), IdCardTextErrorCode.BadField, 'name'],
      [withField(block, MAINLAND_LAYOUT.name, '张\u0007三'), IdCardTextErrorCode.BadField, 'name'],
      [withField(block, MAINLAND_LAYOUT.nation, 'AB'), IdCardTextErrorCode.BadField, 'nation'],
      [withField(block, MAINLAND_LAYOUT.validTo, '2035'), IdCardTextErrorCode.BadField, 'validTo'],
    ];
    for (const [bad, code, field] of cases) {
      let caught: unknown;
      try {
        decodeIdCardText(bad, { today: TODAY });
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(IdCardTextError);
      expect((caught as IdCardTextError).code).toBe(code);
      expect((caught as IdCardTextError).field).toBe(field);
    }
  });

  it('rejects a 2017 permit number of the wrong shape', () => {
    const block = withField(encodeIdCardText(sampleCard(SampleCardName.Foreign2017)), I_LAYOUT.permitNumber, 'US1234');
    expect(codeOf(() => decodeIdCardText(block, { today: TODAY }))).toBe(IdCardTextErrorCode.BadIdNumber);
  });

  it('rejects a lone surrogate as not text', () => {
    const block = encodeIdCardText(sampleCard(SampleCardName.Mainland));
    block.writeUInt16LE(0xd800, 0);
    expect(codeOf(() => decodeIdCardText(block, { today: TODAY }))).toBe(IdCardTextErrorCode.BadField);
  });
});

describe('decodeIdCardText fuzz', () => {
  const codes = new Set<string>(Object.values(IdCardTextErrorCode));
  const expectCodedOrCard = (block: Uint8Array): void => {
    try {
      const card = decodeIdCardText(block, { today: TODAY });
      expect(Object.values(IdCardType)).toContain(card.cardType);
    } catch (err) {
      expect(err).toBeInstanceOf(IdCardTextError);
      expect(codes.has((err as IdCardTextError).code)).toBe(true);
    }
  };

  it('random blocks of any length: a card or a coded error, nothing else', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), expectCodedOrCard), { numRuns: 500 });
    fc.assert(fc.property(fc.uint8Array({ minLength: 256, maxLength: 256 }), expectCodedOrCard), { numRuns: 500 });
  });

  it('real blocks of every layout with bytes changed: a card or a coded error', () => {
    const blocks = Object.values(SampleCardName).map((n) => encodeIdCardText(sampleCard(n)));
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: blocks.length - 1 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
        (which, changes) => {
          const block = Buffer.from(blocks[which] ?? Buffer.alloc(256));
          for (const [at, value] of changes) block[at] = value;
          expectCodedOrCard(block);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

// Found by `npm run test:fuzz`.
describe('decodeIdCardText: what fuzzing found', () => {
  it.each(['0085', '009B', '0080', '009F'])('refuses the C1 control U+%s in a name', (code) => {
    const block = withField(encodeIdCardText(sampleCard(SampleCardName.Mainland)), MAINLAND_LAYOUT.name, `张${String.fromCharCode(parseInt(code, 16))}三`);
    expect(codeOf(() => decodeIdCardText(block, { today: TODAY }))).toBe(IdCardTextErrorCode.BadField);
  });

  it('bounds the birth date of a 2017 foreign card by today, as the number does on the others', () => {
    const sample = encodeIdCardText(sampleCard(SampleCardName.Foreign2017));
    expect(codeOf(() => decodeIdCardText(withField(sample, I_LAYOUT.birth, '20250602'), { today: TODAY }))).toBe(IdCardTextErrorCode.BadField);
    expect(decodeIdCardText(withField(sample, I_LAYOUT.birth, '20250601'), { today: TODAY }).birthDate).toBe(TODAY);
  });
});
