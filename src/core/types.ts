/** Plain data shared by the core and its hosts. Nothing here imports `vscode`. */
import type { RateMemory } from './rateBudget';
import type { Source } from './sources';

/** How the core authenticates to Okta. Secrets never leave this object except as request headers. */
export type AuthConfig =
  | { mode: 'SSWS'; token: string }
  | {
      mode: 'PrivateKey';
      clientId: string;
      /** PEM or JWK (JSON text). */
      privateKey: string;
      /** Required for PEM keys unless the JWK carries a `kid`. */
      keyId?: string;
      /** Defaults to `['okta.logs.read']`. */
      scopes?: string[];
    };

export type { Source } from './sources';

export interface RetryOptions {
  /** Retries per request after the first attempt (5xx, resets, timeouts, bad bodies). Default 5. */
  maxRetries?: number;
  /** First backoff; doubles each retry, with full jitter. Default 250 ms. */
  baseDelayMs?: number;
  /** Cap on one backoff. Default 8000 ms. */
  maxDelayMs?: number;
  /** Per-request timeout. Default 60 000 ms. */
  requestTimeoutMs?: number;
  /** A body that sends nothing for this long is treated as cut off and retried. Default 15 000 ms. */
  idleTimeoutMs?: number;
}

/**
 * Share of the rate limit a count leaves for the org's other clients, in percent: the core's default,
 * the CLI's `--reserve` and the extension's `oktaMau.rateLimitReservePercent` (whose `default`,
 * `minimum` and `maximum` in package.json a unit test holds to these).
 */
export const DEFAULT_RESERVE_PERCENT = 20;
export const RESERVE_PERCENT_RANGE = { min: 0, max: 90 } as const;

/**
 * Requests a count keeps in flight at most: the core's default, and the range the core and the CLI's
 * `--concurrency` accept (its --help and docs/cli.md, which a unit test holds to these).
 */
export const DEFAULT_CONCURRENCY = 8;
export const CONCURRENCY_RANGE = { min: 1, max: 32 } as const;

export interface CountOptions {
  /** As the user typed it; normalised and validated by the core. */
  orgUrl: string;
  auth: AuthConfig;
  /** `YYYY-MM`; default: the current UTC month. */
  month?: string;
  /** The clock, for tests and for "current month". Default `() => new Date()`. */
  now?: () => Date;
  source?: Source;
  /** System Log event types that make a user active. Default `['user.session.start']`. */
  eventTypes?: string[];
  /** Share of `X-Rate-Limit-Limit` left for the org's other clients, `RESERVE_PERCENT_RANGE`. Default `DEFAULT_RESERVE_PERCENT`. */
  reservePercent?: number;
  /** Upper bound on requests in flight, within `CONCURRENCY_RANGE`. Default `DEFAULT_CONCURRENCY`. */
  maxConcurrency?: number;
  retry?: RetryOptions;
  signal?: AbortSignal;
  /**
   * An earlier report of the same org, month, source and event types: only events published since it
   * (minus `refreshOverlapMs`) are fetched and merged. Anything else falls back to a full count.
   */
  resumeFrom?: MauReport;
  /** How far before the earlier report's end a refresh starts again, for late-published events. Default 10 minutes. */
  refreshOverlapMs?: number;
  onProgress?: (progress: Progress) => void;
  /**
   * What an earlier run against this org learned of the rate limit its credential really gets
   * (`onRateMemory` hands it out): the run starts under that ceiling instead of learning it again from a 429.
   */
  rateMemory?: RateMemory;
  /** Called when the run learns something about the credential's rate limit, for the host to keep per org. */
  onRateMemory?: (memory: RateMemory) => void;
  /** Request log (method, path, status, timing, rate-limit waits). Never carries secrets. */
  log?: (line: string) => void;
}

export interface Progress {
  pages: number;
  requests: number;
  /** Matching events scanned so far (before de-duplication by uuid). */
  events: number;
  /** Distinct active users so far. */
  users: number;
  /** Fraction of the month's time range already fetched, 0–1. */
  covered: number;
  /** Milliseconds the run is currently waiting for a rate-limit window to reset; 0 when not waiting. */
  rateLimitWaitMs: number;
}

export interface ClientInfo {
  ipAddress?: string;
  country?: string;
  city?: string;
  browser?: string;
  os?: string;
  device?: string;
}

export interface UserActivity {
  id: string;
  /** `actor.alternateId` (System Log) or `login` (Events API). */
  login: string;
  displayName: string;
  sessions: number;
  /** Distinct UTC dates with at least one counted event. */
  activeDays: number;
  /** ISO 8601 instants. */
  firstSeen: string;
  lastSeen: string;
  lastClient?: ClientInfo;
  /** Bit d set = active on day d+1 of the month (UTC); lets a later refresh merge days exactly. */
  dayMask?: number;
}

export interface MauReport {
  orgUrl: string;
  month: string;
  /** Inclusive start of the month, ISO 8601 UTC. */
  since: string;
  /** Exclusive end of the month, ISO 8601 UTC. */
  until: string;
  /** Events were fetched up to here (exclusive): the end of the month, or the time of the count for the current month. */
  fetchedUntil?: string;
  source: Source;
  eventTypes: string[];
  mau: number;
  /** False when part of the month lies outside the System Log's 90-day retention. */
  complete: boolean;
  partialReason?: string;
  /** Matching events counted, after de-duplication. */
  events: number;
  /**
   * Events of a counted type that could not be read (no user id, no event id, an unreadable time)
   * and so were not counted. 0 in a healthy org; absent in reports from before it was kept.
   */
  skippedEvents?: number;
  pages: number;
  requests: number;
  /** Distinct active users per UTC day of the month (index 0 = the 1st). */
  dailyActiveUsers: number[];
  /** Most sessions first; ties by login. */
  users: UserActivity[];
  /** True when this report extends an earlier one with only the events published since. */
  incremental?: boolean;
  /** What a later refresh needs to continue from this report without counting anything twice. */
  checkpoint?: RefreshCheckpoint;
  countedAt: string;
  durationMs: number;
}

export interface RefreshCheckpoint {
  /** Start of the overlap a refresh fetches again. */
  overlapFrom: string;
  /** uuids of the counted events published in [overlapFrom, fetchedUntil): skipped when fetched again. */
  overlapUuids: string[];
}
