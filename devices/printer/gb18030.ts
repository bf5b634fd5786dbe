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
