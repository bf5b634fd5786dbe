import { characterForKeyCode, isModifierKeyCode, isTerminatorKeyCode } from './key-code-map.js';

/** The part of a KeyboardEvent the decoder reads; a DOM KeyboardEvent satisfies it. */
export interface WedgeKey {
  readonly code: string;
  readonly key: string;
  readonly shiftKey: boolean;
  readonly ctrlKey: boolean;
  readonly altKey: boolean;
  readonly metaKey: boolean;
  readonly repeat: boolean;
}

export interface KeyboardWedgeOptions {
  /** Longest gap between two keys of one scan. Scanners type about 30 ms per character; people are slower. */
  maxGapMs?: number;
  /** Shorter bursts are not scans (appointment references have 6 or more characters). */
  minLength?: number;
  /** Longer bursts are dropped: no code we read is this long. */
  maxLength?: number;
  /** A monotonic clock in ms. */
  now: () => number;
}

export enum WedgeVerdict {
  /** The key ended a scan: the caller should stop its default action (Enter would click a button). */
  Scan = 'scan',
  /** The key was taken into a burst that may become a scan. */
  Buffered = 'buffered',
  /** The key is not part of a scan. */
  Ignored = 'ignored',
}

export const WEDGE_MAX_GAP_MS = 60;
export const WEDGE_MIN_LENGTH = 6;
/** A certificate slip's code (`HKC1.…`) runs to 2000 characters; nothing we read is longer. */
export const WEDGE_MAX_LENGTH = 2000;

/**
 * Tells a HID keyboard-wedge scanner from a person by timing (docs/devices.md): a burst of characters,
 * each within `maxGapMs` of the last, closed by Enter or Tab, is a scan. Characters come from the
 * physical key codes, so a Chinese IME in Chinese mode changes nothing.
 */
export class KeyboardWedgeDecoder {
  private readonly maxGapMs: number;
  private readonly minLength: number;
  private readonly maxLength: number;
  private buffer = '';
  private lastKeyAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: KeyboardWedgeOptions) {
    this.maxGapMs = options.maxGapMs ?? WEDGE_MAX_GAP_MS;
    this.minLength = options.minLength ?? WEDGE_MIN_LENGTH;
    this.maxLength = options.maxLength ?? WEDGE_MAX_LENGTH;
    if (!(this.maxGapMs > 0)) throw new RangeError('maxGapMs must be positive');
    if (!(this.minLength >= 1 && this.minLength <= this.maxLength)) throw new RangeError('need 1 <= minLength <= maxLength');
  }

  /** Feeds one keydown; `onScan` receives the code when the key completes a scan. */
  handle(key: WedgeKey, onScan: (code: string) => void): WedgeVerdict {
    if (isModifierKeyCode(key.code)) return this.buffer ? WedgeVerdict.Buffered : WedgeVerdict.Ignored;
    const at = this.options.now();
    const inTime = at - this.lastKeyAt <= this.maxGapMs;

    if (isTerminatorKeyCode(key.code)) {
      const code = this.buffer;
      this.reset();
      if (inTime && code.length >= this.minLength) {
        onScan(code);
        return WedgeVerdict.Scan;
      }
      return WedgeVerdict.Ignored;
    }

    const char = key.repeat || key.ctrlKey || key.altKey || key.metaKey ? null : characterForKeyCode(key.code, key.shiftKey);
    if (char === null) {
      // An IME's own events without a physical code type nothing: skip them without breaking the burst.
      if (key.code === '' || key.code === 'Unidentified') return this.buffer ? WedgeVerdict.Buffered : WedgeVerdict.Ignored;
      this.reset();
      return WedgeVerdict.Ignored;
    }
    // A slow key starts a new burst: whatever came before was typed by a person.
    this.buffer = inTime ? this.buffer + char : char;
    this.lastKeyAt = at;
    if (this.buffer.length > this.maxLength) {
      this.reset();
      return WedgeVerdict.Ignored;
    }
    return WedgeVerdict.Buffered;
  }

  reset(): void {
    this.buffer = '';
    this.lastKeyAt = Number.NEGATIVE_INFINITY;
  }
}
