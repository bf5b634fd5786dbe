/// <reference types="vite/client" />
import { describe, expect, it } from 'vitest';

// Vite reads the sources at build time: no node:fs in a page's file.
const sources = import.meta.glob<string>(['./**/*.{ts,tsx}', '../../common/browser/**/*.ts', '!./**/*.test.{ts,tsx}', '!../../common/browser/**/*.test.ts', '!./dist/**'], {
  query: '?raw',
  import: 'default',
  eager: true,
});

describe('web page sources', () => {
  it('are all checked', () => {
    expect(Object.keys(sources)).toContain('./display/screens/DisplayScreen.tsx');
    expect(Object.keys(sources)).toContain('./counter/screens/ConsoleScreen.tsx');
    expect(Object.keys(sources)).toContain('../../common/browser/voice/announcement-queue.ts');
    expect(Object.keys(sources).length).toBeGreaterThan(25);
  });

  it('never render HTML strings (text from the portal is shown as text only)', () => {
    const offenders = Object.entries(sources)
      .filter(([, text]) => /dangerouslySetInnerHTML|\.innerHTML\b|\.outerHTML\b|insertAdjacentHTML|document\.write/.test(text))
      .map(([file]) => file);
    expect(offenders).toEqual([]);
  });
});
