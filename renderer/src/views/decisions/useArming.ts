// The decision buttons wake up only after the card has been on screen for a moment, so a click or key press
// meant for another window cannot decide. Becoming visible again restarts the wait.
import { useEffect, useState } from 'react';

export const ARM_DELAY_MS = 1500;

/** Milliseconds left before the buttons accept input; 0 when armed. Remount (key) per decision to restart. */
export function useArming(delayMs = ARM_DELAY_MS): number {
  const [remaining, setRemaining] = useState(delayMs);
  useEffect(() => {
    let start = performance.now();
    let timer: ReturnType<typeof setInterval> | undefined;
    const tick = () => {
      const left = Math.max(0, delayMs - (performance.now() - start));
      setRemaining(left);
      if (left === 0 && timer !== undefined) {
        clearInterval(timer);
        timer = undefined;
      }
    };
    const startTimer = () => {
      if (timer === undefined) timer = setInterval(tick, 100);
    };
    const onVisibility = () => {
      if (document.visibilityState !== 'visible') return;
      start = performance.now();
      setRemaining(delayMs);
      startTimer();
    };
    startTimer();
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      if (timer !== undefined) clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [delayMs]);
  return remaining;
}

/** Wall-clock time, refreshed every `intervalMs`, for countdowns to a deadline. */
export function useClock(intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
