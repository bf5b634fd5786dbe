import { useEffect, useMemo, useRef } from 'react';
import { createLongPress, type LongPressHandlers } from './long-press.js';

/** Pointer handlers that call `onLongPress` after a press held for `ms`. */
export function useLongPress(ms: number, onLongPress: () => void): LongPressHandlers {
  const latest = useRef(onLongPress);
  useEffect(() => {
    latest.current = onLongPress;
  }, [onLongPress]);
  const press = useMemo(() => createLongPress(ms, () => latest.current()), [ms]);
  useEffect(() => () => press.cancel(), [press]);
  return press;
}
