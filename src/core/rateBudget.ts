import { CancelledError, OktaApiError } from './errors';
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
 * What a run learned about the rate limit its credential really gets, kept per org by the hosts so
 * the next run starts there (see `RateBudget`).
 */
export interface RateMemory {
  /** The bucket's `X-Rate-Limit-Limit` when this was learned: a different limit makes it moot. */
  bucketLimit: number;
  /** Requests per window the credential actually got before a 429 that the headers did not foretell. */
  ceiling?: number;
  /** Requests per window the credential has made without a 429 (beyond Okta's default 50% share). */
  verified?: number;
  /** ISO 8601; a memory older than `MEMORY_LIFETIME_MS` is forgotten, in case an admin raised the share. */
  learnedAt: string;
  /**
   * The window the last run ended in (its reset, epoch ms) and the requests it started there: a run
   * that begins before that reset counts them against the ceiling, instead of taking a 429 for them.
   */
  lastWindow?: { resetAt: number; used: number };
}

const isCount = (v: unknown, max: number) => typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= max;

/** A `RateMemory` read back from a file or a host's storage, or undefined when it is not one: a bad one only costs one 429. */
export function parseRateMemory(value: unknown): RateMemory | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const m = value as Partial<RateMemory>;
  if (!isCount(m.bucketLimit, 1_000_000) || typeof m.learnedAt !== 'string' || !Number.isFinite(Date.parse(m.learnedAt))) return undefined;
  const limit = m.bucketLimit as number;
  if (m.ceiling !== undefined && !isCount(m.ceiling, limit)) return undefined;
  if (m.verified !== undefined && !isCount(m.verified, limit)) return undefined;
  const w = m.lastWindow;
  const lastWindow = w && Number.isSafeInteger(w.resetAt) && w.resetAt > 0 && isCount(w.used, limit) ? { resetAt: w.resetAt, used: w.used } : undefined;
  return { bucketLimit: limit, ceiling: m.ceiling, verified: m.verified, learnedAt: m.learnedAt, ...(lastWindow ? { lastWindow } : {}) };
}

export interface RateBudgetOptions {
  /** A `RateMemory` from an earlier run against the same org and endpoint. */
  memory?: RateMemory;
  /** Called whenever the memory changes, for the host to keep it. */
  onLearn?: (memory: RateMemory) => void;
  /** Names the endpoint in errors: `acme.okta.com /api/v1/logs`. */
  label?: string;
}

/**
 * By default Okta lets one API token or OAuth app use at most half of a bucket ("Token and OAuth 2.0
 * app rate limits"), while the headers may report the whole bucket. Beyond this share of what the
 * headers say, and until a ceiling is known, requests go one at a time: if the credential has only
 * the default share, exactly one request takes the 429 that tells its ceiling.
 */
const DEFAULT_TOKEN_SHARE = 0.5;
/** Longest wait for a rate-limit window the count accepts; a later reset ends the count with a clear line. */
export const MAX_RATE_WAIT_MS = 5 * 60_000;
const MEMORY_LIFETIME_MS = 7 * 86_400_000;

/**
 * Paces requests by the org's rate limit, as the server reports it and as it enforces it. Before a
 * request starts it takes a permit; permits exist while `remaining − inFlight > reserve`, where
 * `remaining` is the lowest value seen in the current window (responses can arrive out of order) and
 * `reserve` is the share of the limit left to the org's other API clients. With no permit left it
 * waits for the window's reset (at most `MAX_RATE_WAIT_MS`).
 *
 * The headers are a hint, the first 429 the truth: a 429 the headers did not foretell means the
 * credential has a ceiling of its own (Okta's per-token share), and from then on no window gets more
 * requests than the credential got in that one. A 429 whose headers name another limit is Okta's
 * concurrency limit: fewer requests are kept in flight instead.
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
  /** Requests started in the current window, and answered without a 429 in it. */
  private started = 0;
  private accepted = 0;
  /** In the run's first window, the requests the bucket had already counted when the run began. */
  private usedBefore = 0;
  private tooManyInWindow = false;
  private ceiling?: number;
  private verified = 0;
  private memory?: RateMemory;
  private readonly onLearn?: (memory: RateMemory) => void;
  private readonly label: string;

  constructor(
    private readonly reservePercent: number,
    private maxConcurrency: number,
    private readonly now: () => number = Date.now,
    private readonly onWait?: (ms: number) => void,
    options: RateBudgetOptions = {},
  ) {
    const m = options.memory;
    if (m && Number.isFinite(m.bucketLimit) && this.now() - Date.parse(m.learnedAt) < MEMORY_LIFETIME_MS) {
      this.memory = m;
      const w = m.lastWindow;
      if (w && m.ceiling !== undefined && this.now() < w.resetAt) {
        // The last run ended in the window this one begins in: what it used there counts, and if
        // that was the whole ceiling, the first request waits for the reset.
        this.started = w.used;
        if (w.used >= m.ceiling) this.resetAt = w.resetAt;
      }
    }
    this.onLearn = options.onLearn;
    this.label = options.label ?? 'the API';
  }

  /**
   * What this run knows of the credential's limit as it ends, for the host to keep: the memory, with
   * the window it ends in and the requests it started there. Undefined when there is nothing to keep.
   */
  memoryAtEnd(): RateMemory | undefined {
    if (!this.memory || this.limit === undefined) return undefined;
    const inWindow = this.resetAt !== Number.POSITIVE_INFINITY && this.resetAt > this.now() && this.started > 0;
    return { ...this.memory, ...(inWindow ? { lastWindow: { resetAt: this.resetAt, used: Math.min(this.started, this.limit) } } : {}) };
  }

  get reserve(): number {
    // Never the whole limit: a window always allows this run one request.
    return this.limit === undefined ? 0 : Math.min(this.limit - 1, Math.ceil((this.limit * this.reservePercent) / 100));
  }

  get requestsInFlight(): number {
    return this.inFlight;
  }

  /** Most requests in flight at once: lower after a 429 of Okta's concurrency limit. */
  get concurrency(): number {
    return this.maxConcurrency;
  }

  /** The most requests this credential gets per window, once a 429 has told. */
  get learnedCeiling(): number | undefined {
    return this.ceiling;
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
        this.started++;
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
    const now = this.now();
    if (this.limit === undefined) {
      if (this.probing) return Infinity;
      // A 429 that named no limit: the next probe waits for its reset.
      return now < this.resetAt ? this.cappedWait(this.resetAt - now) : 0;
    }
    if (now >= this.resetAt) {
      // A new window: the server has not said how much is left yet, so assume all of it.
      this.newWindow();
      this.remaining = this.limit;
      this.resetAt = Number.POSITIVE_INFINITY;
    }
    const spare = this.spare();
    if (spare > 0) return this.beyondShare() && this.inFlight > 0 ? Infinity : 0;
    if (this.resetAt === Number.POSITIVE_INFINITY) return this.inFlight > 0 ? Infinity : 1000;
    return this.cappedWait(this.resetAt - now);
  }

  /** The wait for a reset `wait` ms away, or the error that ends the count when it is too far. */
  private cappedWait(wait: number): number {
    if (wait > MAX_RATE_WAIT_MS) {
      const at = new Date(this.resetAt).toISOString().slice(11, 16);
      throw new OktaApiError(
        `The rate limit of ${this.label} resets only at ${at} UTC, in ${Math.round(wait / 60_000)} min; the count stopped rather than wait that long: try again then`,
        429,
        'E0000047',
      );
    }
    // A little past the reset, so the first request lands in the new window.
    return Math.max(1, wait + 50);
  }

  /** Requests the current window still allows beyond those in flight, the reserve and the credential's ceiling. */
  private spare(): number {
    const byHeaders = (this.remaining ?? 0) - this.inFlight - this.reserve;
    return this.ceiling === undefined ? byHeaders : Math.min(byHeaders, this.ceiling - this.started);
  }

  /** Past Okta's default per-token share of the bucket with no ceiling known: one request at a time. */
  private beyondShare(): boolean {
    if (this.ceiling !== undefined || this.limit === undefined) return false;
    return this.started >= Math.max(this.verified, Math.floor(this.limit * DEFAULT_TOKEN_SHARE));
  }

  /** Records a response's headers (if any) and frees the request's permit. */
  release(headers?: RateHeaders): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    this.probing = false;
    if (headers) this.observe(headers);
    this.wakeAll();
  }

  /**
   * A 429 for a request that held a permit (release it with `release()` afterwards); `retryAt` is its
   * `Retry-After`, if any. Returns how to go
   * on: a window 429 waits for the reset it names; a concurrency 429 backs off briefly with fewer
   * requests in flight.
   */
  rateLimited(headers: RateHeaders | undefined, retryAt?: number): 'window' | 'concurrency' {
    if (headers && this.limit !== undefined && headers.limit !== this.limit) {
      // Okta's concurrency limit: the headers describe it instead of the bucket, and its reset is an estimate.
      this.maxConcurrency = Math.max(1, Math.min(this.maxConcurrency, this.inFlight) - 1);
      return 'concurrency';
    }
    // A ceiling of the credential's own shows as a 429 in the window the headers describe, while they
    // still promised requests; a 429 naming another reset, or one the headers foretold, is not one.
    const foretold = headers?.remaining === 0 && (this.remaining ?? 0) - this.started + this.accepted <= 1;
    const sameWindow = headers !== undefined && Math.abs(headers.resetAt - this.resetAt) < 1000;
    if (this.limit !== undefined && this.accepted > 0 && !this.tooManyInWindow && sameWindow && !foretold) this.learn(this.accepted + this.usedBefore);
    this.tooManyInWindow = true;
    if (this.limit === undefined && headers) this.firstWord(headers);
    this.remaining = 0;
    // The reset the 429 names, else a `Retry-After`; a reset the headers name that has just passed
    // means the window turned over while the answer travelled: a second, not a whole window. With no
    // word at all, Okta's one-minute window. Capped when waited for.
    const now = this.now();
    this.resetAt = headers?.resetAt && headers.resetAt > now ? headers.resetAt : (retryAt ?? (headers?.resetAt ? now + 1_000 : now + 60_000));
    return 'window';
  }

  private learn(ceiling: number): void {
    this.ceiling = ceiling;
    this.remember();
  }

  private remember(): void {
    if (this.limit === undefined) return;
    this.memory = { bucketLimit: this.limit, ceiling: this.ceiling, verified: this.verified || undefined, learnedAt: new Date(this.now()).toISOString() };
    this.onLearn?.(this.memory);
  }

  /**
   * A window begins. Requests in flight may land in it, and so does a request whose answer brought
   * the news (`answeredInIt`: its permit is already back, but the server counted it in this window).
   */
  private newWindow(answeredInIt = 0): void {
    // A window that went past the default share without a 429 shows the credential may use that much.
    if (!this.tooManyInWindow && this.ceiling === undefined && this.limit !== undefined && this.accepted > this.verified && this.accepted > this.limit * DEFAULT_TOKEN_SHARE) {
      this.verified = this.accepted;
      this.remember();
    }
    this.started = this.inFlight + answeredInIt;
    this.usedBefore = 0;
    this.accepted = 0;
    this.tooManyInWindow = false;
  }

  /** The run's first answer with rate headers, a 429 or not. */
  private firstWord(h: RateHeaders): void {
    this.limit = h.limit;
    if (this.memory?.bucketLimit === h.limit) {
      this.ceiling = this.memory.ceiling;
      this.verified = this.memory.verified ?? 0;
    }
    // The run began inside a window: what it had used before the probe (this credential's earlier
    // run, as far as anyone can tell) counts against the credential's share too.
    this.usedBefore = Math.max(0, h.limit - h.remaining - 1);
    // Requests the last run was remembered to have made in this window are among those, not extra.
    this.started = Math.max(this.started, this.usedBefore + 1);
  }

  private observe(h: RateHeaders): void {
    const first = this.limit === undefined;
    if (!first && h.limit !== this.limit) {
      // The plan's bucket changed: what was learned of the old one says nothing of it.
      this.ceiling = undefined;
      this.verified = 0;
      this.limit = h.limit;
    }
    if (h.resetAt <= this.now()) {
      // The answer's window is over (a slow response): it says nothing about the current one, and
      // taken as news of a new window it would start the count of this one over.
    } else if (this.resetAt === Number.POSITIVE_INFINITY || h.resetAt > this.resetAt) {
      // First word from a new window.
      if (this.resetAt !== Number.POSITIVE_INFINITY && this.resetAt !== 0) this.newWindow(1);
      this.resetAt = h.resetAt;
      this.remaining = h.remaining;
      this.accepted++;
    } else if (h.resetAt === this.resetAt) {
      this.remaining = Math.min(this.remaining ?? h.remaining, h.remaining);
      this.accepted++;
      // A request in flight when the 429 came got through after all: the ceiling is at least this.
      if (this.tooManyInWindow && this.ceiling !== undefined && this.accepted + this.usedBefore > this.ceiling) this.learn(this.accepted + this.usedBefore);
    }
    if (first) this.firstWord(h);
  }

  private wakeAll(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
  private nextRelease(signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(new CancelledError());
      const wake = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      // A cancelled waiter leaves the queue, so waiters never pile up across a run.
      const onAbort = () => {
        const i = this.waiters.indexOf(wake);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(new CancelledError());
      };
      this.waiters.push(wake);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}
