/**
 * `npx tsx scripts/hash-pin.ts`: reads a technician PIN from standard input (not the command
 * line, which lands in shell history) and prints the `technician.pinHash` value for the kiosk
 * configuration (scrypt, random salt).
 */
import { createInterface } from 'node:readline';
import { PIN_MAX_LENGTH, PIN_MIN_LENGTH, TechnicianPin } from '../common/contract/kiosk-api.js';
import { hashPin } from '../main/core/technician-pin.js';

const lines = createInterface({ input: process.stdin });
if (process.stdin.isTTY) process.stderr.write(`Technician PIN (${PIN_MIN_LENGTH}-${PIN_MAX_LENGTH} digits): `);
for await (const line of lines) {
  const pin = TechnicianPin.safeParse(line.trim());
  if (!pin.success) {
    console.error(`A technician PIN is ${PIN_MIN_LENGTH} to ${PIN_MAX_LENGTH} digits.`);
    process.exit(1);
  }
  console.log(await hashPin(pin.data));
  break;
}
lines.close();
