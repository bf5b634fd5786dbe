import type { CSSProperties } from 'react';

/** Seconds a notice takes to cross the screen: long notices move no faster than short ones read. */
export function tickerSeconds(text: string): number {
  return Math.max(20, Math.round(text.length * 0.6));
}

/**
 * The hall notice, scrolling right to left; static (wrapped) when the viewer asked for reduced
 * motion (styles.css). Plain text from the portal, rendered as text.
 */
export function NoticeTicker({ text }: { text: string }) {
  // A custom property set through the CSSOM: allowed by the page's `style-src 'self'`.
  const style = { '--ticker-seconds': `${tickerSeconds(text)}s` } as CSSProperties;
  return (
    <div className="ticker" data-testid="notice">
      <span className="ticker-text" style={style}>
        {text}
      </span>
    </div>
  );
}
