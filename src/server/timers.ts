/** The one way the server starts a timer: clamped to what `setTimeout` can hold, and never keeping Node alive. */

/** Longest delay `setTimeout` takes; a longer (or negative) one would fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** `setTimeout` with the delay clamped to 0 … 2³¹−1 ms, unref'd: sockets keep the process alive, timers do not. */
export function startTimer(ms: number, run: () => void): NodeJS.Timeout {
  const timer = setTimeout(run, Math.min(Math.max(0, ms), MAX_TIMER_MS));
  timer.unref();
  return timer;
}
