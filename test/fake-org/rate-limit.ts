/**
 * Okta-style fixed windows per endpoint: windows start at multiples of `windowMs`, and
 * `X-Rate-Limit-Reset` is the window's end in epoch seconds. On top of the org-wide bucket, one
 * credential may use only `tokenShare` of it (Okta's per-token / per-app ceiling), and the org's other
 * integrations may have taken `otherClients` requests already. Also keeps the per-window stats a
 * benchmark uses to check that a client left the org's other clients their share.
 */
import type { RateLimitOptions, RateWindowStat } from './types';

export const UNLIMITED = 1_000_000;

export interface RateDecision {
  /** What the headers report. */
  limit: number;
  remaining: number;
  /** Epoch seconds. */
  reset: number;
  exceeded: boolean;
  /** Which ceiling was exceeded. */
  by?: 'bucket' | 'token';
}

interface Window {
  stat: RateWindowStat;
  /** Requests per credential in this window; private, because its keys are credentials. */
  perToken: Map<string, number>;
}

export class RateLimiter {
  private readonly windows = new Map<string, Window>();
  readonly stats: RateWindowStat[] = [];

  constructor(private readonly options: RateLimitOptions | null) {
    const share = options?.tokenShare;
    if (share !== undefined && !(share > 0 && share <= 1)) throw new Error(`tokenShare must be in (0, 1], got ${share}`);
  }

  private get windowMs(): number {
    return this.options?.windowMs ?? 60_000;
  }

  /** Okta's buckets differ per endpoint (600 a minute for users, 120 for logs on a Workforce org). */
  private limitOf(bucket: string): number {
    return this.options?.bucketLimits?.[bucket] ?? this.options?.limit ?? UNLIMITED;
  }

  private window(bucket: string, now: number): Window {
    const windowStart = Math.floor(now / this.windowMs) * this.windowMs;
    const key = `${bucket}@${windowStart}`;
    let w = this.windows.get(key);
    if (!w) {
      // Only the current window of a bucket is ever counted into again: drop the previous one's
      // per-credential counts so a long benchmark does not keep a map per window.
      for (const old of this.windows.values()) if (old.stat.endpoint === bucket) old.perToken.clear();
      const limit = this.limitOf(bucket);
      const stat = { endpoint: bucket, windowStart, requests: 0, lowestRemaining: Math.max(0, limit - (this.options?.otherClients ?? 0)), tooManyRequests: 0 };
      w = { stat, perToken: new Map() };
      this.windows.set(key, w);
      this.stats.push(stat);
    }
    return w;
  }

  /**
   * Counts one request against the bucket and, when it carries one, against its credential's share.
   * Every request counts, 429s included, as they always have here.
   */
  take(bucket: string, now: number, credential?: string): RateDecision {
    const o = this.options;
    const limit = this.limitOf(bucket);
    const w = this.window(bucket, now);
    w.stat.requests++;
    const reset = Math.ceil((w.stat.windowStart + this.windowMs) / 1000);
    const bucketLeft = Math.max(0, limit - (o?.otherClients ?? 0) - w.stat.requests);
    if (!o) return { limit, remaining: bucketLeft, reset, exceeded: false };
    const bucketOver = (o.otherClients ?? 0) + w.stat.requests > limit;
    const tokenLimit = Math.floor((o.tokenShare ?? 1) * limit);
    let tokenUsed = 0;
    if (credential) {
      tokenUsed = (w.perToken.get(credential) ?? 0) + 1;
      w.perToken.set(credential, tokenUsed);
    }
    const tokenOver = credential !== undefined && tokenUsed > tokenLimit;
    const exceeded = bucketOver || tokenOver;
    const by = bucketOver ? 'bucket' : tokenOver ? 'token' : undefined;
    if (o.headers === 'token') {
      // What this credential can still use: its share, but never more than the bucket has left.
      const tokenLeft = credential ? Math.max(0, tokenLimit - tokenUsed) : tokenLimit;
      return { limit: tokenLimit, remaining: Math.min(tokenLeft, bucketLeft), reset, exceeded, by };
    }
    return { limit, remaining: bucketLeft, reset, exceeded, by };
  }

  /** Records what was actually sent, which a fault may have lowered, and whether it was a 429. */
  sent(bucket: string, now: number, remaining: number, tooMany = false): void {
    const w = this.windows.get(`${bucket}@${Math.floor(now / this.windowMs) * this.windowMs}`);
    if (!w) return;
    w.stat.lowestRemaining = Math.min(w.stat.lowestRemaining, remaining);
    if (tooMany) w.stat.tooManyRequests++;
  }
}
