import { useEffect, useRef } from 'react';
import { attachKeyboardWedge, type WedgeEventTarget } from './keyboard-wedge-listener.js';

/**
 * Sends keyboard-wedge scans to `onScan` while `enabled` (off on the technician screen, whose
 * PIN is typed on a touch pad). The latest `onScan` is used without re-attaching.
 */
export function useKeyboardWedge(onScan: (code: string) => void, enabled: boolean, target?: WedgeEventTarget): void {
  const latest = useRef(onScan);
  useEffect(() => {
    latest.current = onScan;
  }, [onScan]);
  useEffect(() => {
    if (!enabled) return undefined;
    const on = target ?? (window as unknown as WedgeEventTarget);
    return attachKeyboardWedge(on, (code) => latest.current(code));
  }, [enabled, target]);
}
