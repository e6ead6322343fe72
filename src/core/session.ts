/**
 * An Okta session: everything one run needs to read one Okta API of one org, wired once from an
 * options object. The SDK client (auth, tokens, the guarded executor), the rate budget the run's
 * requests share, and the page fetcher that owns retries and what a refusal tells the admin to fix,
 * joined under one abort: the caller's cancel or the first hard failure stops every request.
 *
 * `countMau` and `checkCredential` open one each; a new Okta API call opens one with its `OktaApi`
 * and calls `fetcher.fetchPage` (see docs/architecture.md, "How to add an Okta API call").
 */
import { InvalidInputError } from './errors';
import { normalizeOrgUrl } from './orgUrl';
import { createOktaClient, type OktaSdkClient } from './oktaClient';
import { PageFetcher, type OktaApi } from './pageFetcher';
import { RateBudget, type RateMemory } from './rateBudget';
import { CONCURRENCY_RANGE, DEFAULT_CONCURRENCY, DEFAULT_RESERVE_PERCENT, RESERVE_PERCENT_RANGE, type AuthConfig, type RetryOptions } from './types';

export interface SessionOptions {
  /** As the user typed it; normalised and validated here. */
  orgUrl: string;
  auth: AuthConfig;
  /** The API this session reads. */
  api: OktaApi;
  /** Share of the rate limit left for the org's other clients. Default `DEFAULT_RESERVE_PERCENT`. */
  reservePercent?: number;
  /** Upper bound on requests in flight. Default `DEFAULT_CONCURRENCY`. */
  concurrency?: number;
  retry?: RetryOptions;
  /** The caller's cancel. */
  signal?: AbortSignal;
  /** Request log lines; never carry secrets. */
  log?: (line: string) => void;
  /** What an earlier run learned of this credential's real ceiling (`RateBudget`). */
  rateMemory?: RateMemory;
  /** Called when the run learns a ceiling, and once more when the session closes. */
  onRateMemory?: (memory: RateMemory) => void;
  /** The current wait for a rate-limit window, in ms (0 when it ends). */
  onRateWait?: (ms: number) => void;
}

export interface OktaSession {
  /** The org's API origin, normalised. */
  readonly origin: string;
  readonly host: string;
  readonly api: OktaApi;
  /** Requests in flight at most, validated. */
  readonly concurrency: number;
  readonly client: OktaSdkClient;
  readonly budget: RateBudget;
  readonly fetcher: PageFetcher;
  /** Aborts on the caller's cancel or the first hard failure. */
  readonly signal: AbortSignal;
  /** Stops every request of the session (a hard failure elsewhere). */
  stop(): void;
  /** Ends the session: hands the rate memory on once more, so a run right after it starts where this one left the window. */
  close(): void;
}

export function openSession(o: SessionOptions): OktaSession {
  const origin = normalizeOrgUrl(o.orgUrl);
  const host = new URL(origin).host;
  const reservePercent = checkNumber('The rate-limit reserve', o.reservePercent ?? DEFAULT_RESERVE_PERCENT, RESERVE_PERCENT_RANGE.min, RESERVE_PERCENT_RANGE.max, '%');
  const concurrency = Math.round(checkNumber('The concurrency', o.concurrency ?? DEFAULT_CONCURRENCY, CONCURRENCY_RANGE.min, CONCURRENCY_RANGE.max, ''));
  const client = createOktaClient(origin, o.auth);
  const log = o.log ?? (() => {});
  const run = new AbortController();
  const onCallerAbort = () => run.abort();
  o.signal?.addEventListener('abort', onCallerAbort, { once: true });
  if (o.signal?.aborted) run.abort();
  const budget = new RateBudget(reservePercent, concurrency, Date.now, o.onRateWait, {
    memory: o.rateMemory,
    onLearn: o.onRateMemory,
    label: `${host} ${o.api.path}`,
  });
  const fetcher = new PageFetcher({
    client,
    orgOrigin: origin,
    authMode: o.auth.mode,
    api: o.api,
    budget,
    retry: o.retry,
    signal: run.signal,
    log,
    onFatal: () => run.abort(),
  });
  let closed = false;
  return {
    origin,
    host,
    api: o.api,
    concurrency,
    client,
    budget,
    fetcher,
    signal: run.signal,
    stop: () => run.abort(),
    close() {
      if (closed) return;
      closed = true;
      o.signal?.removeEventListener('abort', onCallerAbort);
      const memory = budget.memoryAtEnd();
      if (memory) o.onRateMemory?.(memory);
    },
  };
}

export function checkNumber(what: string, value: number, min: number, max: number, unit: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new InvalidInputError(`${what} must be a number from ${min}${unit} to ${max}${unit} (got ${String(value)})`);
  }
  return value;
}
