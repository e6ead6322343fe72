import type { FetchLikeResponse, OktaSdkClient } from './oktaClient';
import type { RetryOptions } from './types';
import { CancelledError, isCancelled, OktaApiError, OktaAuthError } from './errors';
import { RateBudget, readRateHeaders, type RateHeaders } from './rateBudget';
import { backoffDelay, sleep, throwIfAborted } from './sleep';

export interface Page<T = unknown> {
  /** The page's JSON array, each element as `mapItem` returned it. */
  items: T[];
  /** The validated absolute URL of the next page, if any. */
  next?: string;
}

export interface FetchStats {
  requests: number;
  pages: number;
  retries: number;
  rateLimitWaits: number;
}

type AuthMode = 'SSWS' | 'PrivateKey';

const RETRYABLE_STATUS = new Set([500, 502, 503, 504]);
/** Events parsed per turn of the event loop (a System Log event is ~2 KB of JSON, ~20 µs to parse). */
const ITEMS_PER_TURN = 100;
const MAX_RATE_LIMIT_RETRIES = 20;

/**
 * Fetches one page of a collection through the SDK's `http` layer (its auth, OAuth token handling and
 * executor), and owns everything around it: rate-limit permits, retries with backoff for 5xx, resets,
 * timeouts and truncated or invalid bodies, 429 waits, and refusing `next` links that leave the org.
 */
export class PageFetcher {
  readonly stats: FetchStats = { requests: 0, pages: 0, retries: 0, rateLimitWaits: 0 };
  private readonly retry: Required<RetryOptions>;

  constructor(
    private readonly client: OktaSdkClient,
    private readonly orgOrigin: string,
    private readonly authMode: AuthMode,
    readonly budget: RateBudget,
    retry: RetryOptions | undefined,
    private readonly signal?: AbortSignal,
    private readonly log: (line: string) => void = () => {},
    private readonly onFatal: () => void = () => {},
  ) {
    this.retry = {
      maxRetries: retry?.maxRetries ?? 5,
      baseDelayMs: retry?.baseDelayMs ?? 250,
      maxDelayMs: retry?.maxDelayMs ?? 8000,
      requestTimeoutMs: retry?.requestTimeoutMs ?? 60_000,
      idleTimeoutMs: retry?.idleTimeoutMs ?? 15_000,
    };
  }

  /** Bodies are parsed one per turn of the event loop; this chain orders the turns. */
  private turns: Promise<void> = Promise.resolve();

  /**
   * Fetches one page; `mapItem` turns each element into what the caller keeps, while it is parsed, so a
   * page's full object graph never exists at once (see `parseJsonArray`).
   */
  async fetchPage<T = unknown>(url: string, what: string, mapItem: (item: unknown) => T = (item) => item as T): Promise<Page<T>> {
    let failures = 0;
    let rateLimited = 0;
    for (;;) {
      throwIfAborted(this.signal);
      await this.budget.acquire(this.signal);
      if (this.signal?.aborted) {
        this.budget.release();
        throw new CancelledError();
      }
      const started = Date.now();
      let outcome: Outcome<T>;
      try {
        outcome = await this.attempt(url, mapItem);
      } catch (err) {
        // Stop the run before the permit is handed on, so no other request starts after a fatal error.
        if (!isCancelled(err)) this.onFatal();
        this.budget.release();
        throw err;
      }
      if (outcome.kind === 'rateLimited') {
        this.budget.exhausted(outcome.headers, Date.now() + 60_000);
        this.budget.release();
        this.stats.rateLimitWaits++;
        if (++rateLimited > MAX_RATE_LIMIT_RETRIES) {
          throw new OktaApiError(`Okta kept answering 429 (rate limit) for ${what}; try again later or raise the reserve`, 429, 'E0000047');
        }
        this.log(`GET ${pathOf(url)} → 429 rate limited; waiting for the window to reset`);
        continue;
      }
      this.budget.release(outcome.headers);
      if (outcome.kind === 'page') {
        this.stats.pages++;
        this.log(`GET ${pathOf(url)} → 200, ${outcome.page.items.length} items, ${Date.now() - started} ms${remainingNote(outcome.headers)}`);
        return outcome.page;
      }
      failures++;
      this.log(`GET ${pathOf(url)} → ${outcome.reason} (attempt ${failures} of ${this.retry.maxRetries + 1}), ${Date.now() - started} ms`);
      if (failures > this.retry.maxRetries) {
        throw new OktaApiError(`Could not fetch ${what} after ${failures} attempts: last error ${outcome.reason}`, outcome.status);
      }
      this.stats.retries++;
      await sleep(backoffDelay(failures - 1, this.retry.baseDelayMs, this.retry.maxDelayMs), this.signal);
    }
  }

  private async attempt<T>(url: string, mapItem: (item: unknown) => T): Promise<Outcome<T>> {
    this.stats.requests++;
    const timeout = AbortSignal.timeout(this.retry.requestTimeoutMs);
    const signal = this.signal ? AbortSignal.any([this.signal, timeout]) : timeout;
    let response;
    try {
      response = await this.client.http.http(url, { method: 'get', headers: { Accept: 'application/json' }, signal });
    } catch (err) {
      if (this.signal?.aborted) throw new CancelledError();
      const status = statusOf(err);
      const headers = headersOf(err);
      const rate = headers ? readRateHeaders(headers, Date.now()) : undefined;
      if (status === 429) return { kind: 'rateLimited', headers: rate };
      if (this.authMode === 'PrivateKey' && String((err as { url?: unknown }).url ?? '').includes('/oauth2/v1/token')) {
        // The token endpoint answers 400 invalid_scope or 401 invalid_client; either way the app needs fixing.
        if (status === 400 || status === 401 || status === 403) throw this.authError(status === 401 ? 401 : 403, err);
      }
      if (status === 401 || status === 403) throw this.authError(status, err);
      if (status !== undefined && RETRYABLE_STATUS.has(status)) {
        return { kind: 'retry', reason: `HTTP ${status}${codeOf(err)}`, status, headers: rate };
      }
      if (status !== undefined) {
        throw new OktaApiError(`Okta refused the request (HTTP ${status}${codeOf(err)}): ${summaryOf(err)}`, status, errorCodeOf(err));
      }
      if (timeout.aborted) return { kind: 'retry', reason: `no answer within ${this.retry.requestTimeoutMs} ms` };
      return { kind: 'retry', reason: networkReason(err) };
    }
    const headers = readRateHeaders(response.headers, Date.now());
    let text: string;
    try {
      text = await readBody(response, this.retry.idleTimeoutMs);
    } catch (err) {
      if (this.signal?.aborted) throw new CancelledError();
      return { kind: 'retry', reason: `body cut off (${networkReason(err)})`, headers };
    }
    const items: T[] = [];
    try {
      const reader = new JsonArrayReader(text);
      do {
        await this.nextTurn();
        if (this.signal?.aborted) throw new CancelledError();
      } while (!reader.read(ITEMS_PER_TURN, mapItem, items));
    } catch (err) {
      if (!(err instanceof SyntaxError)) throw err;
      return { kind: 'retry', reason: `invalid JSON body (${text.length} bytes): ${err.message}`, headers };
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
    const turn = this.turns.then(() => new Promise<void>((resolve) => setImmediate(resolve)));
    this.turns = turn;
    return turn;
  }

  /** The `rel="next"` URL, refused unless it stays on the org's origin and endpoint, so the credential goes nowhere else. */
  private nextLink(link: string | null, current: string): string | undefined {
    if (!link) return undefined;
    for (const part of link.split(/,(?=\s*<)/)) {
      const match = /<([^>]*)>\s*;(.*)$/.exec(part.trim());
      if (!match || !/\brel\s*=\s*"?next"?/i.test(match[2])) continue;
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

  private authError(status: number, err: unknown): OktaAuthError {
    const code = errorCodeOf(err);
    // The SDK keeps the token endpoint's answer even when it is an OAuth error; it says which fix applies.
    const oauth = this.client.oauth?.accessToken?.error ?? (status === 403 ? 'invalid_scope' : undefined);
    if (this.authMode === 'SSWS') {
      return status === 401
        ? new OktaAuthError('Okta rejected the API token (401): it is wrong, expired or revoked; create a new token under Security › API › Tokens and update the credential', status, code)
        : new OktaAuthError('The API token may not read the System Log (403): create it as an admin with at least the Read-Only Administrator role', status, code);
    }
    return oauth !== 'invalid_scope'
      ? new OktaAuthError('Okta rejected the service app (401): check the client id, the private key and its key id registered on the app', status, code)
      : new OktaAuthError('The service app may not read the System Log (403): grant it the okta.logs.read scope and a Read-Only Administrator role', status, code);
  }
}

type Outcome<T> =
  | { kind: 'page'; page: Page<T>; headers?: RateHeaders }
  | { kind: 'rateLimited'; headers?: RateHeaders }
  | { kind: 'retry'; reason: string; status?: number; headers?: RateHeaders };

function pathOf(url: string): string {
  const u = new URL(url);
  return u.pathname + (u.searchParams.has('after') ? ' (next page)' : '');
}

function remainingNote(h?: RateHeaders): string {
  return h ? `, rate limit ${h.remaining}/${h.limit} left` : '';
}

function statusOf(err: unknown): number | undefined {
  const status = Number((err as { status?: unknown })?.status);
  return Number.isInteger(status) && status > 0 ? status : undefined;
}

function headersOf(err: unknown): { get(name: string): string | null } | undefined {
  const h = (err as { headers?: unknown })?.headers;
  if (!h) return undefined;
  if (typeof (h as { get?: unknown }).get === 'function') return h as { get(name: string): string | null };
  const record = h as Record<string, string>;
  return { get: (name) => record[name] ?? record[name.toLowerCase()] ?? null };
}

function errorCodeOf(err: unknown): string | undefined {
  const code = (err as { errorCode?: unknown })?.errorCode;
  return typeof code === 'string' ? code : undefined;
}

function codeOf(err: unknown): string {
  const code = errorCodeOf(err);
  return code ? ` ${code}` : '';
}

function summaryOf(err: unknown): string {
  const summary = (err as { errorSummary?: unknown })?.errorSummary;
  return typeof summary === 'string' && summary ? summary : 'see the log for details';
}

function networkReason(err: unknown): string {
  const e = err as { code?: string; type?: string; message?: string };
  return e?.code ?? e?.type ?? (e?.message ? e.message.split('\n')[0].slice(0, 120) : 'network error');
}

/**
 * Reads a body as text, failing when the connection stalls or ends short of its Content-Length:
 * a body cut off mid-way must be retried, never parsed or waited on forever.
 */
function readBody(response: FetchLikeResponse, idleMs: number): Promise<string> {
  const body = response.body;
  if (!body || typeof body.on !== 'function') return response.text();
  const expected = Number(response.headers.get('content-length'));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const timer = setTimeout(() => {
      body.destroy?.();
      reject(new Error(`no data for ${idleMs} ms`));
    }, idleMs);
    body.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      received += chunk.length;
      timer.refresh();
    });
    body.once('error', (err: unknown) => {
      clearTimeout(timer);
      reject(err);
    });
    body.once('end', () => {
      clearTimeout(timer);
      if (Number.isFinite(expected) && expected > 0 && received < expected) reject(new Error(`${received} of ${expected} bytes`));
      else resolve(Buffer.concat(chunks).toString('utf8'));
    });
  });
}

/**
 * Reads a JSON array element by element, handing each element to `map` as soon as it is parsed. A
 * page of 1,000 System Log events is about 2 MB; parsed whole, its object graph (~15 MB) outlives
 * the young generation and is promoted, so the heap grows by pages until a full collection. Parsed
 * one event at a time, each event's objects die young and only what `map` keeps survives; and the
 * work can stop after any element, to let the event loop run.
 * The scan only finds where each element ends; `JSON.parse` validates every element itself.
 */
export class JsonArrayReader {
  /** Offset of the next element, or -1 once the closing bracket was read. */
  private at: number;

  constructor(private readonly text: string) {
    const start = skipSpace(text, 0);
    if (text.charCodeAt(start) !== OPEN_ARRAY) throw new SyntaxError('the body is not a JSON array');
    this.at = skipSpace(text, start + 1);
    if (text.charCodeAt(this.at) === CLOSE_ARRAY) this.close(this.at);
  }

  /** Reads up to `max` more elements into `out`; true once the whole array has been read. */
  read<T>(max: number, map: (item: unknown) => T, out: T[]): boolean {
    const text = this.text;
    for (let n = 0; n < max && this.at >= 0; n++) {
      const end = valueEnd(text, this.at);
      out.push(map(JSON.parse(text.slice(this.at, end))));
      const i = skipSpace(text, end);
      const c = text.charCodeAt(i);
      if (c === COMMA) this.at = skipSpace(text, i + 1);
      else if (c === CLOSE_ARRAY) this.close(i);
      else throw new SyntaxError(i >= text.length ? 'the array is cut off' : `unexpected text at offset ${i}`);
    }
    return this.at < 0;
  }

  private close(bracket: number): void {
    if (skipSpace(this.text, bracket + 1) !== this.text.length) throw new SyntaxError('text after the array');
    this.at = -1;
  }
}

/** The whole array at once (see `JsonArrayReader`). */
export function parseJsonArray<T>(text: string, map: (item: unknown) => T): T[] {
  const out: T[] = [];
  new JsonArrayReader(text).read(Infinity, map, out);
  return out;
}

const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const COMMA = 0x2c;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

function skipSpace(text: string, i: number): number {
  for (;;) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return i;
    i++;
  }
}

/** The offset just past the value starting at `start`: nesting and strings are tracked, nothing else. */
function valueEnd(text: string, start: number): number {
  const first = text.charCodeAt(start);
  if (first === QUOTE) return stringEnd(text, start + 1);
  if (first !== OPEN_OBJECT && first !== OPEN_ARRAY) {
    // A number, true, false or null: it runs to the next separator.
    let i = start;
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === COMMA || c === CLOSE_ARRAY || c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) break;
      i++;
    }
    return i;
  }
  let depth = 0;
  let i = start;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      i = stringEnd(text, i + 1);
      continue;
    }
    if (c === OPEN_OBJECT || c === OPEN_ARRAY) depth++;
    else if ((c === CLOSE_OBJECT || c === CLOSE_ARRAY) && --depth === 0) return i + 1;
    i++;
  }
  throw new SyntaxError('the array is cut off');
}

/** The offset just past the closing quote of a string whose content starts at `i`. */
function stringEnd(text: string, i: number): number {
  for (;;) {
    const quote = text.indexOf('"', i);
    if (quote < 0) throw new SyntaxError('the array is cut off inside a string');
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    i = quote + 1;
  }
}
