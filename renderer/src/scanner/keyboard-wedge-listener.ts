import { KeyboardWedgeDecoder, WedgeVerdict, type KeyboardWedgeOptions, type WedgeKey } from './keyboard-wedge.js';

/** A keydown as the listener sees it; a DOM KeyboardEvent satisfies it. */
export interface WedgeKeyEvent extends WedgeKey {
  readonly target: unknown;
  preventDefault(): void;
}

/** The part of `window` the listener uses, so tests can hand in a fake. */
export interface WedgeEventTarget {
  addEventListener(type: 'keydown', listener: (event: WedgeKeyEvent) => void, options: { capture: boolean }): void;
  removeEventListener(type: 'keydown', listener: (event: WedgeKeyEvent) => void, options: { capture: boolean }): void;
}

/** Typing into a real text field is a person's, never a scanner's. */
function isEditable(target: unknown): boolean {
  if (typeof target !== 'object' || target === null) return false;
  const { tagName, isContentEditable } = target as { tagName?: unknown; isContentEditable?: unknown };
  return tagName === 'INPUT' || tagName === 'TEXTAREA' || tagName === 'SELECT' || isContentEditable === true;
}

/**
 * Listens for keyboard-wedge scans on `target` (the window, in the capture phase, so a focused
 * button never sees the scanner's Enter). Returns the function that stops listening.
 */
export function attachKeyboardWedge(
  target: WedgeEventTarget,
  onScan: (code: string) => void,
  options: Partial<KeyboardWedgeOptions> = {},
): () => void {
  const decoder = new KeyboardWedgeDecoder({ ...options, now: options.now ?? (() => performance.now()) });
  const listener = (event: WedgeKeyEvent): void => {
    if (isEditable(event.target)) return;
    if (decoder.handle(event, onScan) === WedgeVerdict.Scan) event.preventDefault();
  };
  const capture = { capture: true };
  target.addEventListener('keydown', listener, capture);
  return () => target.removeEventListener('keydown', listener, capture);
}
