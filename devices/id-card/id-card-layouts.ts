/**
 * Byte layouts of the 256-byte text block (UCS-2LE, padded with `20 00`), docs/devices.md. Bytes
 * 248-249 hold the card type marker: spaces on a mainland card, `J`, `I` or `Y` otherwise.
 * Shared by the decoder and the simulator's encoder so the two cannot drift apart.
 */

export const TEXT_BLOCK_LENGTH = 256;
export const TYPE_MARKER_OFFSET = 248;

export interface FieldSpan {
  offset: number;
  /** Bytes (two per UCS-2 character). */
  length: number;
}

function spans<K extends string>(fields: ReadonlyArray<readonly [K, number]>): Record<K, FieldSpan> {
  const out = {} as Record<K, FieldSpan>;
  let offset = 0;
  for (const [name, length] of fields) {
    out[name] = { offset, length };
    offset += length;
  }
  if (offset !== TEXT_BLOCK_LENGTH) throw new Error(`layout covers ${offset} bytes, not ${TEXT_BLOCK_LENGTH}`);
  return out;
}

/** 居民身份证. */
export const MAINLAND_LAYOUT = spans([
  ['name', 30], ['gender', 2], ['nation', 4], ['birth', 16], ['address', 70], ['idNumber', 36],
  ['authority', 30], ['validFrom', 16], ['validTo', 16], ['reserved', 36],
] as const);

/** 港澳台居民居住证, marker `J`. */
export const J_LAYOUT = spans([
  ['name', 30], ['gender', 2], ['reserved1', 4], ['birth', 16], ['address', 70], ['idNumber', 36],
  ['authority', 30], ['validFrom', 16], ['validTo', 16], ['passNumber', 18], ['issueCount', 4],
  ['reserved2', 6], ['type', 2], ['reserved3', 6],
] as const);

/** 外国人永久居留身份证 (2017), marker `I`. */
export const I_LAYOUT = spans([
  ['nameEn', 120], ['gender', 2], ['permitNumber', 30], ['nationality', 6], ['name', 30],
  ['validFrom', 16], ['validTo', 16], ['birth', 16], ['version', 4], ['authorityCode', 8],
  ['type', 2], ['reserved', 6],
] as const);

/**
 * 外国人永久居留身份证 (2023), marker `Y`. docs/devices.md fixes only the number (18 characters,
 * leading 9, MOD 11-2) and the marker; the rest follows the 2023 machine-readable rules as far as
 * they could be reconstructed (resident-card positions, English name where the address is):
 * VERIFY AGAINST A REAL CARD before relying on nameEn / nationality / renewalCount.
 */
export const Y_LAYOUT = spans([
  ['name', 30], ['gender', 2], ['renewalCount', 4], ['birth', 16], ['nameEn', 70], ['idNumber', 36],
  ['authority', 30], ['validFrom', 16], ['validTo', 16], ['nameEnContinued', 22], ['nationality', 6],
  ['type', 2], ['reserved', 6],
] as const);
