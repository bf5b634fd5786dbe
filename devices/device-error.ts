/** The tagged failure kinds every device driver reports (docs/architecture.md §6). */
export enum DeviceErrorKind {
  /** The link is gone (cable pulled, peer closed, nothing listening). */
  Disconnected = 'disconnected',
  /** The device did not answer within its budget. */
  Timeout = 'timeout',
  /** The device answered, but not with a frame we can read. */
  BadFrame = 'bad-frame',
  /** The device answered and reports a fault (paper out, cover open...). */
  DeviceError = 'device-error',
}

export class DeviceError extends Error {
  readonly kind: DeviceErrorKind;
  /** Which device, e.g. `printer tcp://127.0.0.1:9100`. */
  readonly device: string;

  constructor(kind: DeviceErrorKind, device: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DeviceError';
    this.kind = kind;
    this.device = device;
  }
}

export function isDeviceError(err: unknown, kind?: DeviceErrorKind): err is DeviceError {
  return err instanceof DeviceError && (kind === undefined || err.kind === kind);
}
