/** 张三 -> 张*, 张三丰 -> 张*丰, 欧阳娜娜 -> 欧**娜. Works on code points, so 𠮷 counts as one. */
export function maskName(name: string): string {
  const chars = Array.from(name.trim());
  if (chars.length <= 1) return chars.join('');
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}

/** 110101199003071234 -> 1101**********1234: first 4 and last 4 kept. */
export function maskIdNumber(id: string): string {
  const chars = Array.from(id.trim());
  if (chars.length <= 8) return '*'.repeat(chars.length);
  return `${chars.slice(0, 4).join('')}${'*'.repeat(chars.length - 8)}${chars.slice(-4).join('')}`;
}

/**
 * A shorter document number (a pass): the first character and the last two kept, `H******78`.
 * Keeping four and four, as for an ID number, would leave a 9-character number one star.
 */
export function maskDocumentNumber(value: string): string {
  const chars = Array.from(value.trim());
  if (chars.length >= 15) return maskIdNumber(value);
  if (chars.length <= 4) return '*'.repeat(chars.length);
  return `${chars[0]}${'*'.repeat(chars.length - 3)}${chars.slice(-2).join('')}`;
}

/**
 * The card and pass numbers a visitor's document may carry, as they may turn up in free text (a
 * device's error message, a stack). Bounds are "no digit (or letter) next to it", not word
 * boundaries: `\b` does not hold between a Chinese character and a digit.
 */
const DOCUMENT_NUMBERS: readonly RegExp[] = [
  // 18 characters in the GB 11643 layout: the resident ID card, the HK/Macau/Taiwan residence
  // permit (810000/820000/830000...) and the 2023 foreign permanent residence card (9...); the
  // last may be X. Also written in 6-8-4 groups.
  /(?<!\d)\d{17}[\dXx](?!\d)/g,
  /(?<!\d)\d{6}[ -]\d{8}[ -]\d{3}[\dXx](?!\d)/g,
  // The first-generation resident ID: 15 digits.
  /(?<!\d)\d{15}(?!\d)/g,
  // The 2017 foreign permanent residence card: 3 letters (the nationality) and 12 digits.
  /(?<![0-9A-Za-z])[A-Za-z]{3}\d{12}(?!\d)/g,
  // The HK/Macau residents' pass (回乡证): H or M and 8 digits, 10 on older cards.
  /(?<![0-9A-Za-z])[HMhm]\d{8}(?:\d{2})?(?!\d)/g,
];

/**
 * The Taiwan residents' pass (台胞证) is 8 digits (10 on older ones): too like a date or a count
 * to mask wherever it stands, so only after words that name it.
 */
const TAIWAN_PASS = /(台胞证|台湾居民来往大陆通行证|Taiwan (?:compatriot|resident)s?'? (?:permit|pass)|MTP)(\s*(?:号码|号|No\.?|number)?\s*[:：#]?\s*)(\d{8}(?:\d{2})?)(?!\d)/gi;

function replaceDocumentNumbers(text: string, replace: (found: string) => string): string {
  let out = text;
  for (const pattern of DOCUMENT_NUMBERS) out = out.replace(pattern, replace);
  return out.replace(TAIWAN_PASS, (_all, label: string, gap: string, number: string) => `${label}${gap}${replace(number)}`);
}

/** Masks every card or pass number in `text` as the screen would (`1101**********002X`). */
export function redactIdNumbers(text: string): string {
  return replaceDocumentNumbers(text, (found) => maskDocumentNumber(found.replace(/[ -]/g, '')));
}

/** What a masked number looks like: some characters, a run of stars, some characters. */
const MASKED_NUMBER = /(?<![0-9A-Za-z*])[0-9A-Za-z]{1,4}\*{3,}[0-9A-Za-z]{1,4}(?![0-9A-Za-z*])/g;

/**
 * Removes card and pass numbers from `text`, raw and already masked alike, for records kept for
 * months (the technician's audit log): a masked number still narrows down who was there.
 */
export function withoutIdNumbers(text: string): string {
  return replaceDocumentNumbers(text, () => '[ID number]').replace(MASKED_NUMBER, '[ID number]');
}
