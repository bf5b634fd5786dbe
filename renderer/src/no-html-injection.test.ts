/// <reference types="vite/client" />
import { describe, expect, it } from 'vitest';

// Vite reads the sources at build time: no node:fs in a renderer file.
const sources = import.meta.glob<string>(['./**/*.{ts,tsx}', '!./**/*.test.{ts,tsx}'], { query: '?raw', import: 'default', eager: true });

describe('renderer sources', () => {
  it('are all checked', () => {
    expect(Object.keys(sources)).toContain('./screens/HomeScreen.tsx');
    expect(Object.keys(sources).length).toBeGreaterThan(15);
  });

  it('never render HTML strings (contract text is shown as text only)', () => {
    const offenders = Object.entries(sources)
      .filter(([, text]) => /dangerouslySetInnerHTML|\.innerHTML\b|\.outerHTML\b|insertAdjacentHTML|document\.write/.test(text))
      .map(([file]) => file);
    expect(offenders).toEqual([]);
  });
});
