import { describe, expect, it } from 'vitest';
import { Appointment } from '../../common/contract/sync-api.js';
import { REFERENCE_ALPHABET, newAppointmentReference } from './appointment-reference.js';

describe('newAppointmentReference', () => {
  it('makes HKA- and 8 symbols of the unambiguous alphabet, matching the contract', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const reference = newAppointmentReference();
      expect(reference).toMatch(/^HKA-[23456789ABCDEFGHJKMNPQRSTWXYZ]{8}$/);
      expect(Appointment.shape.reference.safeParse(reference).success).toBe(true);
      seen.add(reference);
    }
    expect(seen.size).toBe(200);
    expect(REFERENCE_ALPHABET).not.toMatch(/[01ILOUV]/);
  });

  it('drops bytes that would bias the choice instead of folding them in', () => {
    // 29 symbols: bytes 232..255 would favour the first 24 symbols, so they are skipped.
    const bytes = [255, 232, 0, 1, 28, 29, 231, 250, 2, 3, 4];
    let offset = 0;
    const random = (n: number): Uint8Array => {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = bytes[offset++ % bytes.length] ?? 0;
      return out;
    };
    const a = REFERENCE_ALPHABET;
    expect(newAppointmentReference(random)).toBe(`HKA-${a[0]}${a[1]}${a[28]}${a[0]}${a[231 % 29]}${a[2]}${a[3]}${a[4]}`);
  });
});
