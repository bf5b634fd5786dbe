import { DeviceError, DeviceErrorKind } from '../device-error.js';

export enum QrErrorCorrection {
  L = 0x30,
  M = 0x31,
  Q = 0x32,
  H = 0x33,
}

/** Byte-mode capacity of a version 40 symbol at level L; printers reject anything longer. */
const MAX_QR_BYTES = 2953;

const GS_PAREN_K = [0x1d, 0x28, 0x6b] as const;

/**
 * `GS ( k` for a model 2 QR code (docs/devices.md): model, module size, error correction, store, print.
 * Written by hand because node-thermal-printer sizes the store command in UTF-16 units, not bytes.
 */
export function qrCodeCommands(data: string, opts: { moduleSize?: number; correction?: QrErrorCorrection } = {}): Buffer {
  const moduleSize = opts.moduleSize ?? 6;
  const correction = opts.correction ?? QrErrorCorrection.M;
  if (!Number.isInteger(moduleSize) || moduleSize < 1 || moduleSize > 16) {
    throw new RangeError(`qrCodeCommands: moduleSize must be 1..16, got ${moduleSize}`);
  }
  const payload = Buffer.from(data, 'utf8');
  if (payload.length === 0 || payload.length > MAX_QR_BYTES) {
    throw new DeviceError(DeviceErrorKind.BadFrame, 'printer', `QR data must be 1..${MAX_QR_BYTES} bytes, got ${payload.length}`);
  }
  const storeLength = payload.length + 3;
  return Buffer.concat([
    Buffer.from([...GS_PAREN_K, 0x04, 0x00, 0x31, 0x41, 0x32, 0x00]),
    Buffer.from([...GS_PAREN_K, 0x03, 0x00, 0x31, 0x43, moduleSize]),
    Buffer.from([...GS_PAREN_K, 0x03, 0x00, 0x31, 0x45, correction]),
    Buffer.from([...GS_PAREN_K, storeLength & 0xff, storeLength >> 8, 0x31, 0x50, 0x30]),
    payload,
    Buffer.from([...GS_PAREN_K, 0x03, 0x00, 0x31, 0x51, 0x30]),
  ]);
}
