/**
 * Okta-style fixed windows per endpoint: windows start at multiples of `windowMs`, and
 * `X-Rate-Limit-Reset` is the window's end in epoch seconds. Also keeps the per-window stats a
 * benchmark uses to check that a client left the org's other clients their share.
 */
import type { RateLimitOptions, RateWindowStat } from './types';

export const UNLIMITED = 1_000_000;

export interface RateDecision {
  limit: number;
  remaining: number;
  /** Epoch seconds. */
  reset: number;
  exceeded: boolean;
}

export class RateLimiter {
  private readonly windows = new Map<string, RateWindowStat>();
  readonly stats: RateWindowStat[] = [];

  constructor(private readonly options: RateLimitOptions | null) {}

  take(bucket: string, now: number): RateDecision {
    const limit = this.options?.limit ?? UNLIMITED;
    const windowMs = this.options?.windowMs ?? 60_000;
    const windowStart = Math.floor(now / windowMs) * windowMs;
    const key = `${bucket}@${windowStart}`;
    let w = this.windows.get(key);
    if (!w) {
      w = { endpoint: bucket, windowStart, requests: 0, lowestRemaining: limit };
      this.windows.set(key, w);
      this.stats.push(w);
    }
    w.requests++;
    const exceeded = this.options !== null && w.requests > limit;
    return { limit, remaining: Math.max(0, limit - w.requests), reset: Math.ceil((windowStart + windowMs) / 1000), exceeded };
  }

  /** Records what was actually sent, which a fault may have lowered. */
  sent(bucket: string, now: number, remaining: number): void {
    const windowMs = this.options?.windowMs ?? 60_000;
    const w = this.windows.get(`${bucket}@${Math.floor(now / windowMs) * windowMs}`);
    if (w) w.lowestRemaining = Math.min(w.lowestRemaining, remaining);
  }
}
