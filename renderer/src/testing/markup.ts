import { Language, dictionaryFor } from '../i18n/index.js';
import type { JourneyCommonProps } from '../screens/journeys/JourneyFrame.js';
import { sampleConnectivity } from './fixtures.js';

const noop = () => undefined;

/** The props every journey screen shares, for markup tests. */
export function commonProps(language: Language = Language.Zh, overrides: Partial<JourneyCommonProps> = {}): JourneyCommonProps {
  return {
    t: dictionaryFor(language),
    language,
    timeZone: 'Asia/Shanghai',
    visitor: null,
    notice: null,
    connectivity: sampleConnectivity(),
    onHome: noop,
    onEndVisit: noop,
    onToggleLanguage: noop,
    onTouch: noop,
    ...overrides,
  };
}

/** The markup of the element carrying `data-testid`, nested elements of the same tag included; null if absent. */
export function elementOf(html: string, testId: string): string | null {
  const start = new RegExp(`<(\\w+)[^>]*data-testid="${testId}"[^>]*>`).exec(html);
  if (!start) return null;
  const tag = start[1] ?? '';
  const open = new RegExp(`<${tag}[\\s>]|</${tag}>`, 'g');
  open.lastIndex = start.index + start[0].length;
  let depth = 1;
  for (let m = open.exec(html); m; m = open.exec(html)) {
    depth += m[0].startsWith('</') ? -1 : 1;
    if (depth === 0) return html.slice(start.index, m.index + m[0].length);
  }
  return null;
}

/** The text inside the element carrying `data-testid`, tags stripped and entities of <, >, & decoded. */
export function textOf(html: string, testId: string): string | null {
  const element = elementOf(html, testId);
  if (element === null) return null;
  const inner = element.replace(/^<[^>]*>/, '').replace(/<\/\w+>$/, '');
  return inner
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&amp;/g, '&');
}

/** Every test id that starts with `prefix`, in document order. */
export function testIdsStartingWith(html: string, prefix: string): string[] {
  return [...html.matchAll(new RegExp(`data-testid="(${prefix}[^"]*)"`, 'g'))].map((m) => m[1] ?? '');
}
