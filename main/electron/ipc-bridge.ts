import type { IpcMain, IpcMainEvent, IpcMainInvokeEvent, WebContents, WebFrameMain } from 'electron';
import { KioskErrorCode, toKioskErrorPayload } from '../../common/contract/errors.js';
import { kioskEventNames, kioskMethodNames, type KioskMethodName } from '../../common/contract/kiosk-api.js';
import type { DispatchResult, KioskBridgeTarget, KioskEventListener } from '../core/kiosk-dispatcher.js';
import { isTrustedKioskFrame } from './kiosk-origin.js';

/** Sync channel the preload uses once, at load, to learn the contract's names. */
export const kioskDescribeChannel = 'kiosk:describe';
/** Main -> renderer channel for contract events: `{ event, payload }`. */
export const kioskEventChannel = 'kiosk:event';

export function kioskMethodChannel(method: KioskMethodName): string {
  return `kiosk:${method}`;
}

export type FrameTrust = (frame: WebFrameMain | null) => boolean;

export interface KioskDescription {
  methods: string[];
  events: string[];
}

export interface KioskEventMessage {
  event: string;
  payload: unknown;
}

const unauthorized: DispatchResult = {
  ok: false,
  error: { code: KioskErrorCode.Unauthorized, message: 'caller is not the kiosk page' },
};

/**
 * Bridges every contract method generically: channel `kiosk:<method>` -> `runtime.dispatch`.
 * The sender frame is checked on every call. A handler never throws, so nothing but
 * `{ code, message }` ever reaches the renderer. Returns a disposer that removes the handlers.
 */
export function registerKioskIpc(ipcMain: IpcMain, runtime: KioskBridgeTarget, isTrustedFrame: FrameTrust): () => void {
  const channels = kioskMethodNames.map((method) => {
    const channel = kioskMethodChannel(method);
    ipcMain.handle(channel, async (event: IpcMainInvokeEvent, request: unknown): Promise<DispatchResult> => {
      if (!trusts(isTrustedFrame, event)) return unauthorized;
      try {
        return await runtime.dispatch(method, request);
      } catch (err) {
        console.error(`kiosk ipc: ${method} failed outside the dispatcher`, err);
        return { ok: false, error: toKioskErrorPayload(err) };
      }
    });
    return channel;
  });

  const describe = (event: IpcMainEvent): void => {
    const description: KioskDescription = trusts(isTrustedFrame, event)
      ? { methods: [...kioskMethodNames], events: [...kioskEventNames] }
      : { methods: [], events: [] };
    // Always set: a sendSync without a returnValue leaves the renderer without an answer.
    event.returnValue = description;
  };
  ipcMain.on(kioskDescribeChannel, describe);

  return () => {
    for (const channel of channels) ipcMain.removeHandler(channel);
    ipcMain.removeListener(kioskDescribeChannel, describe);
  };
}

/**
 * Sends every runtime event to the kiosk page, while that page is still the kiosk page.
 * Stops when the webContents is destroyed or the returned disposer is called.
 */
export function forwardKioskEvents(
  runtime: KioskBridgeTarget,
  webContents: WebContents,
  isTrustedFrame: FrameTrust = isTrustedKioskFrame,
): () => void {
  const listener: KioskEventListener = (event, payload) => {
    if (webContents.isDestroyed()) return;
    if (!trustsFrame(isTrustedFrame, () => webContents.mainFrame)) return;
    const message: KioskEventMessage = { event, payload };
    webContents.send(kioskEventChannel, message);
  };
  const unsubscribe = runtime.subscribe(listener);
  const onDestroyed = (): void => unsubscribe();
  webContents.once('destroyed', onDestroyed);
  return () => {
    unsubscribe();
    webContents.removeListener('destroyed', onDestroyed);
  };
}

function trusts(isTrustedFrame: FrameTrust, event: { senderFrame: WebFrameMain | null }): boolean {
  return trustsFrame(isTrustedFrame, () => event.senderFrame);
}

// Frames throw on property access once disposed (renderer crashed, page gone): that means "no".
function trustsFrame(isTrustedFrame: FrameTrust, frameOf: () => WebFrameMain | null): boolean {
  try {
    const frame = frameOf();
    return frame !== null && isTrustedFrame(frame);
  } catch {
    return false;
  }
}
