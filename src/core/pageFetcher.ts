import type { FetchLikeResponse, OktaSdkClient } from './oktaClient';
import type { RetryOptions } from './types';
import { CancelledError, errorKind, isCancelled, OktaApiError, OktaAuthError } from './errors';
import { DPOP_SETTING, isHttpFailure, type OktaHttpFailure } from './sdkGuards';
import { RateBudget, readRateHeaders, type RateHeaders } from './rateBudget';
import { backoffDelay, nextTurn, sleep, throwIfAborted } from './sleep';
import { JsonArrayReader, type Fields } from './jsonArray';
import { Gate, networkReason, readBody } from './bodyReader';

export interface Page<T = unknown> {
  /** The page's JSON array, each element as `mapItem` returned it. */
  items: T[];
  /** The validated absolute URL of the next page, if any. */
  next?: string;
}

export interface FetchStats {
  requests: number;
  pages: number;
}

type AuthMode = 'SSWS' | 'PrivateKey';

/** The Okta API a fetcher reads, as its refusals explain it: "may not read the System Log … grant okta.logs.read". */
export interface OktaApi {
  /** `/api/v1/logs`: the only path its `next` links may lead to. */
  readonly path: string;
  /** "the System Log", as a sentence names it. */
  readonly name: string;
  /** The OAuth scope a service app needs to read it. */
  readonly scope: string;
}

export interface PageFetcherOptions {
  client: OktaSdkClient;
  /** The org's origin: `next` links elsewhere are refused. */
  orgOrigin: string;
  authMode: AuthMode;
  /** The API it reads, for what a refusal tells the admin to fix. */
  api: OktaApi;
  budget: RateBudget;
  retry?: RetryOptions;
  signal?: AbortSignal;
  /** Request log lines; never carry secrets. */
  log?: (line: string) => void;
  /** Called once on a hard failure, before the permit is handed on, to stop the run's other requests. */
  onFatal?: () => void;
}

export interface PageOptions {
  /**
   * Give up after this many slow failures (Okta's 30 s query timeout, `E0000009`, or no answer in
   * time) instead of `maxRetries`: the caller can split the range, which a retry of the same query
   * cannot do.
   */
  slowAttempts?: number;
}

/**
 * The last of a request's retries failed. `splittable`: the org answered 500 or 504 or did not answer
 * in time, which a query over a narrower range may not meet (Okta times a System Log query out after
 * 30 s, and a gateway in front of it may give up first); an org that cannot be reached, or answers
 * 502/503 (down, not slow), is not helped by more, smaller queries.
 */
export class RetriesExhaustedError extends OktaApiError {
  constructor(message: string, status: number | undefined, readonly splittable: boolean) {
    super(message, status);
  }
}

const RETRYABLE_STATUS = new Set([500, 502, 503, 504]);
/** Events parsed per turn of the event loop (a System Log event is ~2 KB of JSON, ~20 µs to parse). */
const ITEMS_PER_TURN = 100;
const MAX_RATE_LIMIT_RETRIES = 20;
/**
 * Responses whose bodies are read and parsed at the same time: one being parsed, one arriving. Other
 * responses wait with their bodies unread, held back by TCP (in the kernel, not in this process), so
 * memory stays at two pages however many requests are in flight.
 */
const BODIES_AT_ONCE = 2;

/**
 * Fetches one page of a collection through the SDK's `http` layer (its auth, OAuth token handling and
 * executor), and owns everything around it: rate-limit permits, retries with backoff for 5xx, resets,
 * timeouts and truncated or invalid bodies, 429 waits, and refusing `next` links that leave the org.
 */
export class PageFetcher {
  readonly stats: FetchStats = { requests: 0, pages: 0 };
  private readonly retry: Required<RetryOptions>;

  private readonly client: OktaSdkClient;
  private readonly orgOrigin: string;
  /** The org's host, which every message about a failure names. */
  readonly host: string;
  private readonly authMode: AuthMode;
  private readonly api: OktaApi;
  readonly budget: RateBudget;
  private readonly signal?: AbortSignal;
  private readonly log: (line: string) => void;
  private readonly onFatal: () => void;

  constructor(o: PageFetcherOptions) {
    this.client = o.client;
    // As an origin, however it was written (`https://acme.okta.com/` too): next links are compared with it.
    this.orgOrigin = new URL(o.orgOrigin).origin;
    this.host = new URL(o.orgOrigin).host;
    this.authMode = o.authMode;
    this.api = o.api;
    this.budget = o.budget;
    this.signal = o.signal;
    this.log = o.log ?? (() => {});
    this.onFatal = o.onFatal ?? (() => {});
    this.retry = {
      maxRetries: o.retry?.maxRetries ?? 5,
      baseDelayMs: o.retry?.baseDelayMs ?? 250,
      maxDelayMs: o.retry?.maxDelayMs ?? 8000,
      requestTimeoutMs: o.retry?.requestTimeoutMs ?? 60_000,
      idleTimeoutMs: o.retry?.idleTimeoutMs ?? 15_000,
    };
  }

  /** Bodies are parsed one per turn of the event loop; this chain orders the turns. */
  private turns: Promise<void> = Promise.resolve();
  private readonly bodies = new Gate(BODIES_AT_ONCE);
  /**
   * Page buffers to read bodies into, one per body being read (`BODIES_AT_ONCE`), reused from page to
   * page: a fresh 2 MB buffer per page would be garbage outside V8's heap, freed only when a collection
   * happens to run. Parsed items never point into them (every string is copied out).
   */
  private readonly buffers: Buffer[] = [];

  /**
   * Fetches one page; `mapItem` turns each element into what the caller keeps, while it is parsed, so a
   * page's full object graph never exists at once. With `fields`, only those members of each element
   * are built at all (see `JsonArrayReader`).
   */
  async fetchPage<T = unknown>(
    url: string,
    what: string,
    mapItem: (item: unknown) => T = (item) => item as T,
    fields?: Fields,
    options: PageOptions = {},
  ): Promise<Page<T>> {
    let failures = 0;
    let slowFailures = 0;
    let rateLimited = 0;
    for (;;) {
      throwIfAborted(this.signal);
      try {
        await this.budget.acquire(this.signal);
      } catch (err) {
        if (!isCancelled(err)) this.onFatal();
        throw err;
      }
      if (this.signal?.aborted) {
        this.budget.release();
        throw new CancelledError();
      }
      const started = Date.now();
      let answer: Answer;
      try {
        answer = await this.attempt(url);
      } catch (err) {
        // Stop the run before the permit is handed on, so no other request starts after a fatal error.
        if (!isCancelled(err)) this.onFatal();
        this.budget.release();
        throw err;
      }
      if (answer.kind === 'rateLimited') {
        const ceilingBefore = this.budget.learnedCeiling;
        const kind = this.budget.rateLimited(answer.headers, answer.retryAt);
        this.budget.release();
        if (++rateLimited > MAX_RATE_LIMIT_RETRIES) {
          this.onFatal();
          throw new OktaApiError(`${this.host} kept answering 429 (rate limit) for ${what}; try again later or raise the reserve`, 429, 'E0000047');
        }
        if (kind === 'concurrency') {
          this.log(`GET ${pathOf(url)} → 429 over Okta's concurrency limit; at most ${this.budget.concurrency} requests in flight from now on`);
          await sleep(backoffDelay(rateLimited - 1, 500, 8000), this.signal);
        } else {
          const ceiling = this.budget.learnedCeiling;
          const learned = ceiling !== undefined && ceiling !== ceilingBefore ? `; this credential gets ${ceiling} requests per window, and the count stays under that` : '';
          this.log(`GET ${pathOf(url)} → 429 rate limited${learned}; waiting for the window to reset`);
        }
        continue;
      }
      // Okta has answered (and counted) the request: the permit goes back before the body is read, so
      // pages waiting to be read never hold back the next window's requests.
      this.budget.release(answer.headers);
      let outcome: Outcome<T>;
      if (answer.kind === 'response') {
        try {
          outcome = await this.readPage(answer.response, answer.headers, url, mapItem, fields);
        } catch (err) {
          if (!isCancelled(err)) this.onFatal();
          throw err;
        }
      } else outcome = answer;
      if (outcome.kind === 'page') {
        this.stats.pages++;
        this.log(`GET ${pathOf(url)} → 200, ${outcome.page.items.length} items, ${Date.now() - started} ms${remainingNote(outcome.headers)}`);
        return outcome.page;
      }
      failures++;
      if (outcome.slow) slowFailures++;
      this.log(`GET ${pathOf(url)} → ${outcome.reason} (attempt ${failures} of ${this.retry.maxRetries + 1}), ${Date.now() - started} ms`);
      const slowEnough = options.slowAttempts !== undefined && slowFailures >= options.slowAttempts;
      if (failures > this.retry.maxRetries || slowEnough) {
        throw new RetriesExhaustedError(`${outcome.reason}; gave up on ${what} after ${failures} attempts`, outcome.status, slowFailures > 0 || outcome.status === 500 || outcome.status === 504);
      }
      await sleep(backoffDelay(failures - 1, this.retry.baseDelayMs, this.retry.maxDelayMs), this.signal);
    }
  }

  /**
   * Sends the request and waits for the answer's status and headers, at most `requestTimeoutMs`. The
   * timer stops once they arrive: the body may then wait its turn to be read (two at a time), and its
   * own bound is the idle timeout, so a page read late is never taken for one that did not answer.
   */
  private async attempt(url: string): Promise<Answer> {
    this.stats.requests++;
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), this.retry.requestTimeoutMs);
    const signal = this.signal ? AbortSignal.any([this.signal, timeout.signal]) : timeout.signal;
    let response;
    try {
      // The method as it goes on the wire: the SDK copies it into a DPoP proof's `htm`, which Okta compares exactly.
      // Raced with the signal too: while the SDK fetches a token, the page request has not started
      // and its signal reaches nothing, yet a cancel or the timeout must still end the wait.
      response = await untilAborted(this.client.http.http(url, { method: 'GET', headers: { Accept: 'application/json' }, signal }), signal);
    } catch (err) {
      if (this.signal?.aborted) throw new CancelledError();
      // Already an answer for a person: a refused redirect, a token endpoint's refusal.
      if (errorKind(err)) throw err;
      if (!isHttpFailure(err)) {
        if (timeout.signal.aborted) return { kind: 'retry', reason: `no answer from ${this.host} within ${this.retry.requestTimeoutMs / 1000} s`, slow: true };
        return { kind: 'retry', reason: `could not reach ${this.host}: ${networkReason(err)}` };
      }
      const rate = readRateHeaders(err.headers, Date.now());
      if (err.status === 429) return { kind: 'rateLimited', headers: rate, retryAt: retryAfter(err.headers.get('retry-after'), Date.now()) };
      if (err.status === 401 || err.status === 403 || err.oauthError === 'invalid_dpop_proof') throw this.authError(err);
      if (RETRYABLE_STATUS.has(err.status)) {
        // Okta ends a System Log query that runs longer than 30 s with 500 E0000009.
        const slow = err.status === 500 && err.errorCode === 'E0000009';
        return { kind: 'retry', reason: `${this.host} answered ${err.message}${err.requestIdNote}`, status: err.status, headers: rate, slow };
      }
      throw new OktaApiError(`${this.host} refused the request (${err.message})${err.requestIdNote}`, err.status, err.errorCode);
    } finally {
      clearTimeout(timer);
    }
    return { kind: 'response', response, headers: readRateHeaders(response.headers, Date.now()) };
  }

  /** Reads and parses an answer's body: a page, or a reason to try again. */
  private async readPage<T>(
    response: FetchLikeResponse,
    headers: RateHeaders | undefined,
    url: string,
    mapItem: (item: unknown) => T,
    fields: Fields | undefined,
  ): Promise<Outcome<T>> {
    try {
      await this.bodies.enter(this.signal);
    } catch (err) {
      response.body?.destroy?.();
      throw err;
    }
    let items: T[];
    let buffer: Buffer | undefined = this.buffers.pop();
    try {
      let body: Buffer;
      try {
        // Its turn at the gate has come: from here the body has as long as a request has for its headers.
        body = await readBody(
          response,
          this.retry.idleTimeoutMs,
          (size) => {
            if (!buffer || buffer.length < size) buffer = Buffer.allocUnsafeSlow(Math.ceil(size / 65536) * 65536);
            return buffer.subarray(0, size);
          },
          this.retry.requestTimeoutMs,
        );
      } catch (err) {
        if (this.signal?.aborted) throw new CancelledError();
        return { kind: 'retry', reason: `body cut off (${networkReason(err)})`, headers };
      }
      items = [];
      try {
        const reader = new JsonArrayReader(body, fields);
        do {
          await this.nextTurn();
          if (this.signal?.aborted) throw new CancelledError();
        } while (!reader.read(ITEMS_PER_TURN, mapItem, items));
      } catch (err) {
        if (!(err instanceof SyntaxError)) throw err;
        return { kind: 'retry', reason: `invalid JSON body (${body.length} bytes): ${err.message}`, headers };
      }
    } finally {
      if (buffer) this.buffers.push(buffer);
      this.bodies.leave();
    }
    return { kind: 'page', page: { items, next: this.nextLink(response.headers.get('link'), url) }, headers };
  }

  /**
   * Resolves on a later turn of the event loop than the previous caller's turn. A 1,000-event page
   * parsed in one go took 20–100 ms in VS Code's extension host, and pages finishing together were
   * parsed back to back in one turn (about 500 ms), holding up timers, input and progress meanwhile.
   * Parsing `ITEMS_PER_TURN` events per turn, one turn at a time, keeps each block to a few ms.
   */
  private nextTurn(): Promise<void> {
    const turn = this.turns.then(nextTurn);
    this.turns = turn;
    return turn;
  }

  /** The `rel="next"` URL, refused unless it stays on the org's origin and endpoint, so the credential goes nowhere else. */
  private nextLink(link: string | null, current: string): string | undefined {
    if (!link) return undefined;
    for (const part of link.split(/,(?=\s*<)/)) {
      const match = /<([^>]*)>\s*;(.*)$/.exec(part.trim());
      if (!match || !relations(match[2]).includes('next')) continue;
      let next: URL;
      try {
        next = new URL(match[1], current);
      } catch {
        throw new OktaApiError('Okta sent a malformed next-page link; the count stopped there');
      }
      if (next.origin !== this.orgOrigin || next.pathname !== new URL(current).pathname) {
        throw new OktaApiError(
          `Refused a next-page link to ${next.origin}${next.pathname}, outside ${this.orgOrigin}; the credential was not sent there`,
        );
      }
      return next.href;
    }
    return undefined;
  }

  /** 401, 403 or a refused DPoP proof: what the admin has to fix, with Okta's own words and request id. */
  private authError(f: OktaHttpFailure): OktaAuthError {
    const said = `(HTTP ${f.status}${f.errorCode ? ` ${f.errorCode}` : ''}: ${f.summary})${f.requestIdNote}`;
    const host = this.host;
    const { name, scope } = this.api;
    if (f.oauthError === 'invalid_dpop_proof') {
      return new OktaAuthError(
        `${host} refused the DPoP proof ${said}: check this machine's clock; the service app requires DPoP (${DPOP_SETTING})`,
        f.status,
        f.errorCode,
      );
    }
    if (this.authMode === 'SSWS') {
      return f.status === 401
        ? new OktaAuthError(`${host} rejected the API token ${said}: it is wrong, expired or revoked; create a new token under Security › API › Tokens and update the credential`, f.status, f.errorCode)
        : new OktaAuthError(`The API token may not read ${name} at ${host} ${said}: create it as an admin with at least the Read-Only Administrator role`, f.status, f.errorCode);
    }
    return f.status === 401
      ? new OktaAuthError(`${host} rejected the service app's access token ${said}: check the client id, the private key and the key id registered on the app`, f.status, f.errorCode)
      : new OktaAuthError(`The service app may not read ${name} at ${host} ${said}: grant it the ${scope} scope and a Read-Only Administrator role`, f.status, f.errorCode);
  }
}

type Retry = { kind: 'retry'; reason: string; status?: number; headers?: RateHeaders; slow?: boolean };

type Answer = { kind: 'response'; response: FetchLikeResponse; headers?: RateHeaders } | { kind: 'rateLimited'; headers?: RateHeaders; retryAt?: number } | Retry;

type Outcome<T> = { kind: 'page'; page: Page<T>; headers?: RateHeaders } | Retry;

function pathOf(url: string): string {
  const u = new URL(url);
  return u.pathname + (u.searchParams.has('after') ? ' (next page)' : '');
}

function remainingNote(h?: RateHeaders): string {
  return h ? `, rate limit ${h.remaining}/${h.limit} left` : '';
}

/**
 * The relation types of one Link value's parameters: `rel="next"`, `rel=next` or a space-separated
 * list (`rel="prev next"`, RFC 8288 §3.3), lower-cased; never a prefix (`rel="nextpage"` is not next).
 */
function relations(params: string): string[] {
  const m = /(?:^|;)\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,"]+))/i.exec(params);
  return m ? (m[1] ?? m[2] ?? '').toLowerCase().split(/\s+/).filter(Boolean) : [];
}

/** An HTTP date as RFC 9110 §5.6.7 writes it (IMF-fixdate): `Sun, 06 Nov 1994 08:49:37 GMT`. */
const IMF_FIXDATE = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;

/**
 * `Retry-After` (delay seconds or an HTTP date) as an epoch-ms instant; Okta says `X-Rate-Limit-Reset`,
 * a proxy in front of it may say this. Anything else is ignored: `Date.parse` reads "in 2099" as a date.
 */
export function retryAfter(value: string | null, now: number): number | undefined {
  const v = value?.trim();
  if (!v) return undefined;
  const at = /^\d+$/.test(v) ? now + Number(v) * 1000 : IMF_FIXDATE.test(v) ? Date.parse(v) : NaN;
  return Number.isFinite(at) && at > now ? at : undefined;
}

/** The promise, or a rejection as soon as the signal aborts (the promise's own outcome is then ignored). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}

