import type { MouseEvent, ReactNode } from 'react';
import type { CitizenRoute } from '../routing/citizen-route.js';
import type { CitizenNav } from './citizen-nav.js';

/** A plain left click moves inside the page; a modified click (new tab) or no script follows the href. */
function isPlainClick(event: MouseEvent<HTMLAnchorElement>): boolean {
  return event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey;
}

export function Link(props: {
  nav: CitizenNav;
  to: CitizenRoute;
  className?: string;
  current?: boolean;
  testId?: string;
  children: ReactNode;
}) {
  const { nav, to } = props;
  return (
    <a
      href={nav.href(to)}
      className={props.className}
      aria-current={props.current ? 'page' : undefined}
      data-testid={props.testId}
      onClick={(event) => {
        if (!isPlainClick(event)) return;
        event.preventDefault();
        nav.go(to);
      }}
    >
      {props.children}
    </a>
  );
}
