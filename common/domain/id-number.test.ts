import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ageOn,
  birthDateOf,
  checkIdNumber,
  gb11643CheckChar,
  IdGender,
  IdNumberError,
  IdNumberErrorCode,
  IdNumberKind,
  validateForeignPermanentResidenceNumber,
  validateIdNumber,
} from './id-number.js';

const TODAY = '2025-06-01';

function codeOf(fn: () => unknown): IdNumberErrorCode | 'no error' {
  try {
    fn();
    return 'no error';
  } catch (err) {
    if (err instanceof IdNumberError) return err.code;
    throw err;
  }
}

describe('gb11643CheckChar', () => {
  it('maps the weighted sum through 10X98765432 (the standard example ends in X)', () => {
    expect(gb11643CheckChar('11010519491231002')).toBe('X');
    expect(gb11643CheckChar('11010119900307123')).toBe('3');
  });

  it('refuses anything but 17 digits', () => {
    expect(codeOf(() => gb11643CheckChar('1101051949123100'))).toBe(IdNumberErrorCode.Format);
  });
});

describe('validateIdNumber', () => {
  it('accepts a valid number with X and says who it is', () => {
    expect(validateIdNumber('11010519491231002X', TODAY)).toEqual({
      idNumber: '11010519491231002X',
      kind: IdNumberKind.Resident,
      birthDate: '1949-12-31',
      gender: IdGender.Female,
    });
  });

  it('normalises a typed lower-case x', () => {
    expect(validateIdNumber('11010519491231002x', TODAY).idNumber).toBe('11010519491231002X');
  });

  it('reads gender from the 17th digit', () => {
    expect(validateIdNumber('110101199003071233', TODAY).gender).toBe(IdGender.Male);
  });

  it('rejects a wrong check character', () => {
    expect(codeOf(() => validateIdNumber('110101199003071234', TODAY))).toBe(IdNumberErrorCode.CheckChar);
    expect(codeOf(() => validateIdNumber('110105194912310021', TODAY))).toBe(IdNumberErrorCode.CheckChar);
  });

  it('rejects bad shapes', () => {
    for (const bad of ['', '11010519491231002', '11010519491231002XX', '1101051949123100AX', 'X10105194912310021', '１１０１０５１９４９１２３１００２Ｘ']) {
      expect(codeOf(() => validateIdNumber(bad, TODAY))).toBe(IdNumberErrorCode.Format);
    }
  });

  it('accepts 29 February in a leap year, rejects it otherwise, and rejects 30 February always', () => {
    expect(validateIdNumber('440304200002290014', TODAY).birthDate).toBe('2000-02-29'); // 2000: divisible by 400
    const feb29 = (year: string): string => `440304${year}0229001`;
    expect(codeOf(() => validateIdNumber(feb29('1900') + gb11643CheckChar(feb29('1900')), TODAY))).toBe(IdNumberErrorCode.BirthDate);
    expect(codeOf(() => validateIdNumber(feb29('2023') + gb11643CheckChar(feb29('2023')), TODAY))).toBe(IdNumberErrorCode.BirthDate);
    expect(codeOf(() => validateIdNumber('11010120000230001X', TODAY))).toBe(IdNumberErrorCode.BirthDate);
  });

  it('rejects month 13, day 0 and 31 April', () => {
    for (const body of ['11010119901301001', '11010119900100001', '11010119900431001']) {
      expect(codeOf(() => validateIdNumber(body + gb11643CheckChar(body), TODAY))).toBe(IdNumberErrorCode.BirthDate);
    }
  });

  it('rejects a birth date after today, and accepts one born today', () => {
    const born = (date: string): string => {
      const body = `110101${date}001`;
      return body + gb11643CheckChar(body);
    };
    expect(codeOf(() => validateIdNumber(born('20250602'), TODAY))).toBe(IdNumberErrorCode.FutureBirthDate);
    expect(validateIdNumber(born('20250601'), TODAY).birthDate).toBe(TODAY);
  });

  it('does not reject an unknown region code', () => {
    const body = '00000019900307123';
    expect(validateIdNumber(body + gb11643CheckChar(body), TODAY).kind).toBe(IdNumberKind.Resident);
  });

  it('tells HK/Macau/Taiwan residence permits and 2023 foreign cards apart', () => {
    expect(validateIdNumber('810000198001010014', TODAY).kind).toBe(IdNumberKind.HkMacauTaiwanResidence);
    expect(validateIdNumber('911560198506150029', TODAY).kind).toBe(IdNumberKind.ForeignPermanentResidence2023);
  });

  it('refuses a malformed today', () => {
    expect(codeOf(() => validateIdNumber('11010519491231002X', '2025-02-30'))).toBe(IdNumberErrorCode.BadDateArgument);
  });

  it('accepts every number it builds itself and rejects every single-digit change', () => {
    const dateArb = fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2025-05-31T00:00:00Z'), noInvalidDate: true });
    fc.assert(
      fc.property(fc.stringMatching(/^\d{6}$/), dateArb, fc.stringMatching(/^\d{3}$/), fc.integer({ min: 0, max: 16 }), fc.integer({ min: 1, max: 9 }), (area, date, seq, pos, delta) => {
        const ymd = date.toISOString().slice(0, 10);
        const body = `${area}${ymd.replaceAll('-', '')}${seq}`;
        const id = body + gb11643CheckChar(body);
        expect(validateIdNumber(id, TODAY).birthDate).toBe(ymd);
        // MOD 11-2 catches every single-digit substitution.
        const changed = body.slice(0, pos) + String((Number(body[pos]) + delta) % 10) + body.slice(pos + 1) + id[17];
        expect(checkIdNumber(changed, TODAY).ok).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});

describe('validateForeignPermanentResidenceNumber (Y card, 2023)', () => {
  it('accepts a number starting with 9 with a MOD 11-2 check', () => {
    expect(validateForeignPermanentResidenceNumber('911560198506150029', TODAY).birthDate).toBe('1985-06-15');
  });

  it('rejects a resident number and a wrong check character', () => {
    expect(codeOf(() => validateForeignPermanentResidenceNumber('11010519491231002X', TODAY))).toBe(IdNumberErrorCode.WrongKind);
    expect(codeOf(() => validateForeignPermanentResidenceNumber('911560198506150020', TODAY))).toBe(IdNumberErrorCode.CheckChar);
  });
});

describe('birthDateOf and ageOn', () => {
  it('reads the birth date', () => {
    expect(birthDateOf('11010519491231002X')).toBe('1949-12-31');
    expect(codeOf(() => birthDateOf('110105194902310020'))).toBe(IdNumberErrorCode.BirthDate);
  });

  it('counts whole years, turning on the birthday', () => {
    expect(ageOn('1960-06-01', '2025-06-01')).toBe(65);
    expect(ageOn('1960-06-02', '2025-06-01')).toBe(64);
    expect(ageOn('2025-06-01', '2025-06-01')).toBe(0);
  });

  it('ages a 29 February birthday on 1 March in common years', () => {
    expect(ageOn('2000-02-29', '2001-02-28')).toBe(0);
    expect(ageOn('2000-02-29', '2001-03-01')).toBe(1);
    expect(ageOn('2000-02-29', '2004-02-29')).toBe(4);
  });

  it('refuses future births and malformed dates', () => {
    expect(codeOf(() => ageOn('2025-06-02', '2025-06-01'))).toBe(IdNumberErrorCode.FutureBirthDate);
    expect(codeOf(() => ageOn('1990-02-29', '2025-06-01'))).toBe(IdNumberErrorCode.BadDateArgument);
  });
});
