import { z } from 'zod';

/** The kiosk's peripherals, as the screen and the technician see them. */
export enum DeviceKind {
  Reader = 'reader',
  Scanner = 'scanner',
  Printer = 'printer',
}

export enum DeviceState {
  Ready = 'ready',
  /** Not in this kiosk's configuration: optional devices may be absent. */
  NotConfigured = 'not-configured',
  /** Opening the port, or no answer yet. */
  Connecting = 'connecting',
  /** The port is gone (unplugged, closed); the driver keeps trying. */
  Disconnected = 'disconnected',
  /** The device answers and reports a fault (paper out, SAM not authorised...). */
  Fault = 'fault',
}

export const DeviceStatus = z.object({
  device: z.enum(DeviceKind),
  state: z.enum(DeviceState),
  /** A short technical note (e.g. `paper-out`, `sam 66 not authorised`); never personal data. */
  detail: z.string().max(200).nullable(),
  changedAt: z.iso.datetime(),
});
export type DeviceStatus = z.infer<typeof DeviceStatus>;
