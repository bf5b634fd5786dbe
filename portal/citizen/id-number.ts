/**
 * GB 11643-1999 citizen identification number check, the portal's own copy (the portal depends on
 * nothing outside common/ and itself). 17 digits, then a check character: the weighted sum of the
 * digits (weights 2^(17-i) mod 11) mod 11 picks it from `10X98765432`. Residence permits for
 * Hong Kong, Macau and Taiwan residents (83/81/82...) and the 2023 foreign permanent residence
 * card (9...) use the same rule. The 8 digits from position 7 are the birth date.
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARACTERS = '10X98765432';

export enum IdNumberProblem {
  Format = 'format',
  BirthDate = 'birth-date',
  CheckCharacter = 'check-character',
}

/** The check character the first 17 digits call for. */
export function idNumberCheckCharacter(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('expected 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (WEIGHTS[i] ?? 0);
  return CHECK_CHARACTERS[sum % 11] ?? '';
}

function isRealDate(yyyymmdd: string): boolean {
  const y = Number(yyyymmdd.slice(0, 4));
  const m = Number(yyyymmdd.slice(4, 6));
  const d = Number(yyyymmdd.slice(6, 8));
  if (y < 1800 || m < 1 || m > 12 || d < 1) return false;
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** Null when `idNumber` (any case of the final X) is a well-formed 18-character number. */
export function idNumberProblem(idNumber: string): IdNumberProblem | null {
  const upper = idNumber.toUpperCase();
  if (!/^\d{17}[\dX]$/.test(upper)) return IdNumberProblem.Format;
  if (!isRealDate(upper.slice(6, 14))) return IdNumberProblem.BirthDate;
  if (idNumberCheckCharacter(upper.slice(0, 17)) !== upper[17]) return IdNumberProblem.CheckCharacter;
  return null;
}
