import { CancelledError } from './errors';
import { sleep } from './sleep';

export interface RateHeaders {
  limit: number;
  remaining: number;
  /** End of the current window, epoch milliseconds on the local clock. */
  resetAt: number;
}

/** Reads Okta's `X-Rate-Limit-*` headers; `Date` corrects the reset for a skewed local clock. */
export function readRateHeaders(headers: { get(name: string): string | null }, receivedAt: number): RateHeaders | undefined {
  const limit = Number(headers.get('x-rate-limit-limit'));
  const remaining = Number(headers.get('x-rate-limit-remaining'));
  const reset = Number(headers.get('x-rate-limit-reset'));
  if (!Number.isFinite(limit) || !Number.isFinite(remaining) || !Number.isFinite(reset) || limit <= 0 || !headers.get('x-rate-limit-reset')) {
    return undefined;
  }
  let resetAt = reset * 1000;
  const serverDate = Date.parse(headers.get('date') ?? '');
  // `Date` has one-second resolution, so it only corrects clocks that are clearly off.
  if (Number.isFinite(serverDate) && Math.abs(serverDate - receivedAt) > 2000) resetAt += receivedAt - serverDate;
  return { limit, remaining, resetAt };
}

/**
 * Paces requests by the org's rate limit, as the server reports it. Before a request starts it takes a
 * permit; permits exist while `remaining − inFlight > reserve`, where `remaining` is the lowest value
 * seen in the current window (responses can arrive out of order) and `reserve` is the share of the limit
 * left to the org's other API clients. With no permit left it waits for the window's reset.
 *
 * Requests still in flight may already be counted in `remaining`, so the estimate errs on the safe side.
 */
export class RateBudget {
  private limit?: number;
  private remaining?: number;
  private resetAt = 0;
  private inFlight = 0;
  /** Until the first response tells the limit, one request at a time. */
  private probing = false;
  private waiters: Array<() => void> = [];

  constructor(
    private readonly reservePercent: number,
    private readonly maxConcurrency: number,
    private readonly now: () => number = Date.now,
    private readonly onWait?: (ms: number) => void,
  ) {}

  get reserve(): number {
    return this.limit === undefined ? 0 : Math.ceil((this.limit * this.reservePercent) / 100);
  }

  get requestsInFlight(): number {
    return this.inFlight;
  }

  /**
   * What is left of the current window: requests that may still start in it before the reserve, and
   * milliseconds until it resets. Undefined until the server has named its limit and reset.
   */
  window(): { permits: number; endsIn: number } | undefined {
    if (this.limit === undefined) return undefined;
    const now = this.now();
    if (now >= this.resetAt || this.resetAt === Number.POSITIVE_INFINITY) return undefined;
    return { permits: Math.max(0, this.spare()), endsIn: this.resetAt - now };
  }

  /** Resolves when a request may start; the caller must call `release` once it has a response (or failed). */
  async acquire(signal?: AbortSignal): Promise<void> {
    for (;;) {
      const wait = this.waitBeforeNext();
      if (wait === 0) {
        this.inFlight++;
        if (this.limit === undefined) this.probing = true;
        return;
      }
      if (wait === Infinity) {
        await this.nextRelease(signal);
      } else {
        this.onWait?.(wait);
        await sleep(wait, signal);
        this.onWait?.(0);
      }
    }
  }

  /** Milliseconds to wait before another request may start: 0 now, Infinity until a request in flight ends. */
  private waitBeforeNext(): number {
    if (this.inFlight >= this.maxConcurrency) return Infinity;
    if (this.limit === undefined) return this.probing ? Infinity : 0;
    const now = this.now();
    if (now >= this.resetAt) {
      // A new window: the server has not said how much is left yet, so assume all of it.
      this.remaining = this.limit;
      this.resetAt = Number.POSITIVE_INFINITY;
    }
    if (this.spare() > 0) return 0;
    if (this.resetAt === Number.POSITIVE_INFINITY) return this.inFlight > 0 ? Infinity : 1000;
    // A little past the reset, so the first request lands in the new window.
    return Math.max(1, this.resetAt - now + 50);
  }

  /** Requests the current window still allows beyond those in flight and the reserve. */
  private spare(): number {
    return (this.remaining ?? 0) - this.inFlight - this.reserve;
  }

  /** Records a response's headers (if any) and frees the request's permit. */
  release(headers?: RateHeaders): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    this.probing = false;
    if (headers) this.observe(headers);
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  /** A 429 names the reset: nothing more may start before it. */
  exhausted(headers: RateHeaders | undefined, fallbackResetAt: number): void {
    this.limit ??= headers?.limit ?? 1;
    this.remaining = 0;
    this.resetAt = headers?.resetAt && headers.resetAt > this.now() ? headers.resetAt : fallbackResetAt;
  }

  private observe(h: RateHeaders): void {
    this.limit = h.limit;
    if (this.resetAt === Number.POSITIVE_INFINITY || h.resetAt > this.resetAt || this.now() >= this.resetAt) {
      // First word from a new window.
      this.resetAt = h.resetAt;
      this.remaining = h.remaining;
    } else if (h.resetAt === this.resetAt) {
      this.remaining = Math.min(this.remaining ?? h.remaining, h.remaining);
    }
    // A header from an older window (a slow response) says nothing about this one.
  }

  private nextRelease(signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const onAbort = () => reject(new CancelledError());
      this.waiters.push(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      });
      if (signal) {
        if (signal.aborted) return onAbort();
        signal.addEventListener('abort', onAbort, { once: true });
      }
    });
  }
}
