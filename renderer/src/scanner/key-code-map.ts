/**
 * The character a US-layout key produces, by physical key code (KeyboardEvent.code) and Shift.
 * HID scanners type as a US keyboard by default. Reading codes, not `key`, is what keeps a scan
 * intact while a Chinese IME is on: the IME reports `key: 'Process'` and swallows the letters
 * into its composition, but the physical codes still arrive.
 */

const SHIFTED_DIGITS = ')!@#$%^&*(';

const PUNCTUATION: Readonly<Record<string, readonly [string, string]>> = {
  Minus: ['-', '_'],
  Equal: ['=', '+'],
  BracketLeft: ['[', '{'],
  BracketRight: [']', '}'],
  Backslash: ['\\', '|'],
  Semicolon: [';', ':'],
  Quote: ["'", '"'],
  Backquote: ['`', '~'],
  Comma: [',', '<'],
  Period: ['.', '>'],
  Slash: ['/', '?'],
  Space: [' ', ' '],
};

const NUMPAD: Readonly<Record<string, string>> = {
  NumpadDecimal: '.',
  NumpadAdd: '+',
  NumpadSubtract: '-',
  NumpadMultiply: '*',
  NumpadDivide: '/',
};

/** The typed character, or null for keys that type nothing (modifiers, arrows, unknown codes). */
export function characterForKeyCode(code: string, shift: boolean): string | null {
  const letter = /^Key([A-Z])$/.exec(code);
  if (letter?.[1]) return shift ? letter[1] : letter[1].toLowerCase();
  const digit = /^Digit([0-9])$/.exec(code);
  if (digit?.[1]) return shift ? (SHIFTED_DIGITS[Number(digit[1])] ?? null) : digit[1];
  const numpad = /^Numpad([0-9])$/.exec(code);
  if (numpad?.[1]) return numpad[1];
  const punctuation = PUNCTUATION[code];
  if (punctuation) return shift ? punctuation[1] : punctuation[0];
  return NUMPAD[code] ?? null;
}

/** Keys a scanner sends after the code. */
export function isTerminatorKeyCode(code: string): boolean {
  return code === 'Enter' || code === 'NumpadEnter' || code === 'Tab';
}

/** Keys that only modify others: they neither type nor break a scan. */
export function isModifierKeyCode(code: string): boolean {
  return /^(Shift|Control|Alt|Meta)(Left|Right)$/.test(code) || code === 'CapsLock';
}
