import type { Input } from 'electron';

export type KeyInput = Pick<Input, 'key' | 'code' | 'control' | 'meta' | 'alt' | 'shift'>;

/** Keys that reload, close, zoom, print or open devtools. Physical codes, so a Chinese IME cannot hide them. */
const alwaysBlocked = new Set(['F5', 'F11', 'F12', 'BrowserRefresh', 'BrowserBack', 'BrowserForward', 'BrowserHome']);
const blockedWithCommand = new Set([
  'KeyW', // close window
  'KeyQ', // quit
  'KeyR', // reload (with or without Shift)
  'KeyP', // print dialog
  'KeyN', // new window
  'KeyT', // new tab
  'Equal', 'Minus', 'Digit0', 'NumpadAdd', 'NumpadSubtract', 'Numpad0', // zoom
]);
const blockedWithCommandShift = new Set(['KeyI', 'KeyJ', 'KeyC']); // devtools

/**
 * Whether a key would let a visitor leave or disturb the kiosk. Alt+Tab and Ctrl+Alt+Del are
 * handled by the OS before Chromium sees them and are out of reach here.
 */
export function isKioskEscapeKey(input: KeyInput): boolean {
  const command = input.control || input.meta;
  if (alwaysBlocked.has(input.code) || alwaysBlocked.has(input.key)) return true;
  if (input.alt && (input.code === 'F4' || input.key === 'F4')) return true;
  if (command && blockedWithCommand.has(input.code)) return true;
  if (command && input.shift && blockedWithCommandShift.has(input.code)) return true;
  if (input.meta && input.alt && input.code === 'KeyI') return true; // macOS devtools
  return false;
}
