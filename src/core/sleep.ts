import { CancelledError } from './errors';

export function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new CancelledError();
}

/**
 * The longest delay `setTimeout` can hold (2^31 − 1 ms, about 24.8 days). A longer one overflows and
 * fires after 1 ms: every computed delay goes through `clampDelay`.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** A delay `setTimeout` can hold: not negative, not NaN, at most `MAX_TIMER_MS`. */
export function clampDelay(ms: number): number {
  return Number.isFinite(ms) ? Math.min(MAX_TIMER_MS, Math.max(0, ms)) : ms > 0 ? MAX_TIMER_MS : 0;
}

/** Waits `ms` (clamped to what a timer can hold), or rejects with `CancelledError` as soon as the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  throwIfAborted(signal);
  ms = clampDelay(ms);
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(new CancelledError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Resolves on a later turn of the event loop, after pending I/O and timers: long work yields here. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Capped exponential backoff with jitter: uniform in [½, 1] × min(cap, base·2^attempt), so retries spread out but never hammer at once. */
export function backoffDelay(attempt: number, baseMs: number, capMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** attempt);
  return Math.round(ceiling * (0.5 + random() * 0.5));
}
