/** How long the hall name must be held to open the technician screen. */
export const TECHNICIAN_LONG_PRESS_MS = 3_000;

export interface LongPressHandlers {
  onPointerDown(): void;
  onPointerUp(): void;
  onPointerLeave(): void;
  onPointerCancel(): void;
}

/**
 * A press held for `ms` without lifting or sliding off fires `onLongPress` once. The discreet way
 * into the technician screen: visitors tap, they do not hold the hall name for three seconds.
 */
export function createLongPress(ms: number, onLongPress: () => void): LongPressHandlers & { cancel(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const cancel = (): void => {
    clearTimeout(timer);
    timer = undefined;
  };
  return {
    onPointerDown() {
      cancel();
      timer = setTimeout(() => {
        timer = undefined;
        onLongPress();
      }, ms);
    },
    onPointerUp: cancel,
    onPointerLeave: cancel,
    onPointerCancel: cancel,
    cancel,
  };
}
