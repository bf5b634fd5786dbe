import { useContext, useEffect, useRef, type ReactNode } from 'react';
import { FocusOnShowContext } from './citizen-nav.js';

/**
 * A page's or a result's heading: focused when it appears (a new page, a held place, a verdict),
 * so a screen reader reads where the citizen is — but not on the page's first load.
 */
export function FocusHeading(props: { level?: 1 | 2; id?: string; testId?: string; className?: string; children: ReactNode }) {
  const focusOnShow = useContext(FocusOnShowContext);
  // Read once: a heading already on screen when the page finished loading keeps still.
  const focusWhenMounted = useRef(focusOnShow);
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (focusWhenMounted.current) ref.current?.focus();
  }, []);
  const Tag = props.level === 2 ? 'h2' : 'h1';
  return (
    <Tag ref={ref} id={props.id} tabIndex={-1} className={props.className} data-testid={props.testId}>
      {props.children}
    </Tag>
  );
}
