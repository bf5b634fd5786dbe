/**
 * The sandboxed preload: exposes `window.kiosk` with one named function per contract method and
 * `on(event, listener)`. Sandboxed preloads run as CommonJS and may require only 'electron', so
 * this file is self-contained: it learns the names from the main process instead of importing
 * the contract, and checks them before using them.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';

const NAME = /^[a-zA-Z]{1,40}$/;
const DESCRIBE_CHANNEL = 'kiosk:describe';
const EVENT_CHANNEL = 'kiosk:event';

type Reply = { ok: true; response: unknown } | { ok: false; error: { code: string; message: string } };

function namesIn(description: unknown, key: 'methods' | 'events'): string[] {
  const list: unknown = description !== null && typeof description === 'object' ? (description as Record<string, unknown>)[key] : [];
  return Array.isArray(list) ? list.filter((n): n is string => typeof n === 'string' && NAME.test(n)) : [];
}

/**
 * Rejects with a plain `{ code, message }`: the contextBridge copies an Error as a new Error with
 * its message only, so a `code` property set here would never reach the page.
 */
function unwrap(reply: Reply | undefined): unknown {
  if (reply?.ok === true) return reply.response;
  const error = reply?.ok === false ? reply.error : { code: 'internal', message: 'malformed reply' };
  return Promise.reject({ code: String(error.code), message: String(error.message) });
}

const description: unknown = ipcRenderer.sendSync(DESCRIBE_CHANNEL);
const events = new Set(namesIn(description, 'events'));
const api: Record<string, unknown> = {};

for (const method of namesIn(description, 'methods')) {
  if (method === 'on') continue;
  api[method] = (request: unknown) => ipcRenderer.invoke(`kiosk:${method}`, request).then(unwrap);
}

api.on = (event: unknown, listener: unknown): (() => void) => {
  if (typeof event !== 'string' || !events.has(event)) throw new Error(`unknown kiosk event: ${String(event)}`);
  if (typeof listener !== 'function') throw new TypeError('listener must be a function');
  // The page gets the payload only, never the IpcRendererEvent (it carries the sender).
  const relay = (_ipcEvent: IpcRendererEvent, message: { event?: unknown; payload?: unknown } | null): void => {
    if (message?.event === event) listener(message.payload);
  };
  ipcRenderer.on(EVENT_CHANNEL, relay);
  return () => {
    ipcRenderer.removeListener(EVENT_CHANNEL, relay);
  };
};

contextBridge.exposeInMainWorld('kiosk', api);
