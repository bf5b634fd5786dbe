import iconv from 'iconv-lite';

/** Lone UTF-16 surrogates: the only input iconv-lite would turn into a silent '?'. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * GB18030 covers every Unicode code point, so well-formed text never degrades to '?'. A lone
 * surrogate (broken input) becomes U+FFFD, as TextEncoder does, so the damage shows on paper.
 */
export function encodeGb18030(text: string): Buffer {
  return iconv.encode(text.replace(LONE_SURROGATE, '\uFFFD'), 'gb18030');
}

/** Invalid sequences decode to U+FFFD; never throws. */
export function decodeGb18030(bytes: Uint8Array): string {
  return iconv.decode(Buffer.from(bytes), 'gb18030');
}

/**
 * Whether a receipt printer's built-in font lacks `char`: anything Microsoft's GBK (cp936) cannot
 * encode, or that GB18030 encodes in four bytes. 䶮 (U+4DAE) is one even though GB18030-2022
 * gives it the two-byte code FE 9F: that code is a private-use slot in GBK printer fonts.
 */
export function printerFontLacks(char: string): boolean {
  const code = char.codePointAt(0) ?? 0;
  if (code < 0x80) return false;
  if (encodeGb18030(char).length === 4) return true;
  return iconv.decode(iconv.encode(char, 'cp936'), 'cp936') !== char;
}
