import { describe, expect, it } from 'vitest';
import { IdNumberProblem, idNumberCheckCharacter, idNumberProblem } from './id-number.js';

describe('idNumberProblem (GB 11643)', () => {
  it('accepts the standard\'s own example and other well-formed numbers', () => {
    // The example printed in GB 11643-1999, whose check character is X.
    expect(idNumberProblem('11010519491231002X')).toBeNull();
    expect(idNumberProblem('11010519491231002x')).toBeNull();
    expect(idNumberProblem('440304199001011233')).toBeNull();
    // 29 February of a leap year; a Hong Kong residence permit number (810000...).
    expect(idNumberProblem('110101200002290018')).toBeNull();
    expect(idNumberProblem('810000199001011230')).toBeNull();
  });

  it('computes the check character from the weighted sum mod 11', () => {
    expect(idNumberCheckCharacter('11010519491231002')).toBe('X');
    expect(idNumberCheckCharacter('44030419900101123')).toBe('3');
    expect(() => idNumberCheckCharacter('1101051949123100')).toThrow(RangeError);
  });

  it('refuses a wrong check character, every single-digit typo included', () => {
    expect(idNumberProblem('110105194912310021')).toBe(IdNumberProblem.CheckCharacter);
    const valid = '440304199001011233';
    for (let i = 0; i < 17; i++) {
      // Keep the birth date real so the check character is what fails.
      if (i >= 6 && i < 14) continue;
      const digit = Number(valid[i]);
      const typo = `${valid.slice(0, i)}${(digit + 1) % 10}${valid.slice(i + 1)}`;
      expect(idNumberProblem(typo), typo).toBe(IdNumberProblem.CheckCharacter);
    }
  });

  it('refuses a birth date that does not exist and anything not 18 characters', () => {
    expect(idNumberProblem('110101199002300012')).toBe(IdNumberProblem.BirthDate);
    expect(idNumberProblem('110101190002290016')).toBe(IdNumberProblem.BirthDate);
    expect(idNumberProblem('11010519491231002')).toBe(IdNumberProblem.Format);
    expect(idNumberProblem('1101051949123100XX')).toBe(IdNumberProblem.Format);
    expect(idNumberProblem('１１010519491231002X')).toBe(IdNumberProblem.Format);
  });
});
