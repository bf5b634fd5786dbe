import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { downloadText } from './download-text.js';

describe('downloadText', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('clicks a link to a UTF-8 blob with the file name, and lets the blob go later', async () => {
    const clicked: { href: string; download: string }[] = [];
    const blobs: Blob[] = [];
    const revoked: string[] = [];
    downloadText(
      'kiosk-1-logs.txt',
      '刘*䶮 1101**********1234',
      { createElement: () => ({ href: '', download: '', click() { clicked.push({ href: this.href, download: this.download }); } }) },
      { createObjectURL: (blob) => (blobs.push(blob), 'blob:kiosk/1'), revokeObjectURL: (url) => void revoked.push(url) },
    );
    expect(clicked).toEqual([{ href: 'blob:kiosk/1', download: 'kiosk-1-logs.txt' }]);
    expect(blobs[0]?.type).toBe('text/plain;charset=utf-8');
    await expect(blobs[0]?.text()).resolves.toBe('刘*䶮 1101**********1234');
    expect(revoked).toEqual([]);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(revoked).toEqual(['blob:kiosk/1']);
  });
});
