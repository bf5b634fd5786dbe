/**
 * UUIDv7 (RFC 9562): 48-bit Unix milliseconds, then random bits. Time-ordered, so outbox
 * rows and tickets sort by creation. Randomness is injected: common/ has no runtime of its own.
 */
export function uuidV7(nowMs: number, random16: Uint8Array): string {
  if (random16.length < 16) throw new RangeError('uuidV7 needs 16 random bytes');
  const b = Uint8Array.from(random16.subarray(0, 16));
  let ms = Math.floor(nowMs);
  for (let i = 5; i >= 0; i--) {
    b[i] = ms % 256;
    ms = Math.floor(ms / 256);
  }
  b[6] = 0x70 | ((b[6] ?? 0) & 0x0f);
  b[8] = 0x80 | ((b[8] ?? 0) & 0x3f);
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
