import { gb11643CheckChar } from '../../common/domain/id-number.js';

/**
 * Test and bench support: the n-th of a run of distinct, valid GB 11643 numbers (Beijing Chaoyang
 * region code, birth dates from 1960 on, a thousand people per birth date).
 */
export function validIdNumber(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n >= 10_000_000) throw new RangeError(`id number index ${n}`);
  const birth = new Date(Date.UTC(1960, 0, 1) + Math.floor(n / 1000) * 86_400_000).toISOString().slice(0, 10).replace(/-/g, '');
  const first17 = `110105${birth}${String(n % 1000).padStart(3, '0')}`;
  return `${first17}${gb11643CheckChar(first17)}`;
}
