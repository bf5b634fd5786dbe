import { describe, expect, it } from 'vitest';
import { qrSvgPath } from './qr-svg-path.js';

/** A matrix from rows of `#` (dark) and `.` (light). */
function matrix(rows: string[]) {
  return { size: rows.length, get: (row: number, col: number) => rows[row]?.[col] === '#' };
}

describe('qrSvgPath', () => {
  it('draws each run of dark modules as one rectangle, offset by the quiet zone', () => {
    const shape = qrSvgPath(matrix(['##.', '.#.', '###']));
    expect(shape.viewSize).toBe(3 + 8);
    expect(shape.path).toBe('M4 4h2v1h-2zM5 5h1v1h-1zM4 6h3v1h-3z');
  });

  it('draws nothing for an all-light matrix, and accepts 0/1 modules', () => {
    expect(qrSvgPath(matrix(['..', '..'])).path).toBe('');
    expect(qrSvgPath({ size: 2, get: (r, c) => (r === c ? 1 : 0) }).path).toBe('M4 4h1v1h-1zM5 5h1v1h-1z');
  });
});
