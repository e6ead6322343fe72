/**
 * `PageFetcher` through the real SDK client over HTTP: a plain `node:http` server on loopback answers
 * each request the way a test scripts it (a page, an error, a stall, a cut-off body), so retries,
 * give-ups, auth errors, 429 waits, `next` links and cancellation are checked on the wire, never
 * against a mocked SDK or fetch. Time bounds are wide: these tests share busy cores.
 */
import { strict as assert } from 'node:assert';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createOktaClient } from '../../src/core/oktaClient';
import { PageFetcher, RetriesExhaustedError, retryAfter, type PageFetcherOptions } from '../../src/core/pageFetcher';
import { RateBudget } from '../../src/core/rateBudget';
import type { RetryOptions } from '../../src/core/types';

const TOKEN = '00pageFetcherTestToken0123456789abcdefghij';
const PATH = '/api/v1/logs';
const API = { path: PATH, name: 'the System Log', scope: 'okta.logs.read' };
const WHAT = 'the test page';
/** Quick retries; a request timeout long enough that only a test that means to time out ever does. */
const RETRY: Required<RetryOptions> = { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 5, requestTimeoutMs: 20_000, idleTimeoutMs: 10_000 };

interface Received {
  url: string;
  headers: IncomingMessage['headers'];
  at: number;
}

type Reply = (req: IncomingMessage, res: ServerResponse) => void;

/** A loopback server that answers its n-th request with the n-th scripted reply (an unscripted one gets a 418). */
class ScriptedServer {
  readonly received: Received[] = [];
  private replies: Reply[] = [];
  /** Answers held open on purpose, ended when the test is over. */
  private readonly held: ServerResponse[] = [];

  private readonly server: Server = createServer((req, res) => this.handle(req, res));

  static async start(): Promise<ScriptedServer> {
    const scripted = new ScriptedServer();
    await new Promise<void>((resolve) => scripted.server.listen(0, '127.0.0.1', resolve));
    return scripted;
  }

  /** The origin it listens on (while it listens). */
  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  get host(): string {
    return new URL(this.url).host;
  }

  script(...replies: Reply[]): void {
    this.replies = replies;
    this.received.length = 0;
  }

  /** A reply that never answers. */
  readonly stall: Reply = (_req, res) => {
    this.held.push(res);
  };

  /** Resolves once `n` requests have arrived. */
  async waitForRequests(n: number): Promise<void> {
    while (this.received.length < n) await new Promise((r) => setTimeout(r, 10));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const n = this.received.length;
    this.received.push({ url: req.url ?? '', headers: req.headers, at: Date.now() });
    res.on('error', () => {});
    const reply = this.replies[n];
    if (reply) reply(req, res);
    else json(418, { errorSummary: `unscripted request ${n + 1}` })(req, res);
  }

  releaseHeld(): void {
    for (const res of this.held.splice(0)) res.destroy();
  }

  async close(): Promise<void> {
    this.releaseHeld();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return (_req, res) => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...headers });
    res.end(text);
  };
}

const page = (items: unknown[], headers: Record<string, string> = {}) => json(200, items, headers);
const oktaError = (status: number, errorCode: string, errorSummary: string, requestId?: string) =>
  json(status, { errorCode, errorSummary, errorLink: errorCode, errorId: 'oae-body-id', errorCauses: [] }, requestId ? { 'x-okta-request-id': requestId } : {});

/**
 * A 429 whose window resets `seconds` after it is sent, computed then: a reset computed before the
 * request, on a busy machine, could already be past when the answer arrives (the budget then waits
 * Okta's whole minute). Each reset sent goes into `resets`, in epoch seconds.
 */
function tooMany(seconds: number, resets: number[] = []): Reply {
  return (req, res) => {
    const reset = Math.ceil(Date.now() / 1000) + seconds;
    resets.push(reset);
    const limits = { 'x-rate-limit-limit': '20', 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': String(reset) };
    json(429, { errorCode: 'E0000047', errorSummary: 'API call exceeded rate limit due to too many requests.' }, limits)(req, res);
  };
}

const EVENTS = [
  { uuid: 'e1', published: '2026-11-02T08:00:00.000Z', actor: { id: '00u1', alternateId: 'ann@example.com', displayName: 'Ann', detailEntry: { secret: 'x'.repeat(200) } }, debugContext: { debugData: { requestUri: '/x' } } },
  { uuid: 'e2', published: '2026-11-02T09:00:00.000Z', actor: { id: '00u2', alternateId: 'bob@example.com', displayName: 'Bob', detailEntry: null }, debugContext: { debugData: {} } },
];

describe('PageFetcher (real SDK client over HTTP)', function () {
  this.timeout(60_000);
  let org: ScriptedServer;
  let firstUrl: string;
  let lines: string[];
  let fatal: number;
  let controller: AbortController;

  before(async () => {
    org = await ScriptedServer.start();
    firstUrl = `${org.url}${PATH}?since=2026-11-01T00%3A00%3A00.000Z&limit=2`;
  });
  after(() => org.close());
  beforeEach(() => {
    lines = [];
    fatal = 0;
    controller = new AbortController();
  });
  afterEach(() => {
    controller.abort();
    org.releaseHeld();
  });

  /** A fetcher for `origin` with the real SDK client; `extra` overrides any option. */
  function fetcherFor(origin: string, extra: Partial<PageFetcherOptions> & { retry?: RetryOptions } = {}): PageFetcher {
    const options = {
      client: createOktaClient(origin, { mode: 'SSWS', token: TOKEN }, {}),
      orgOrigin: origin,
      authMode: 'SSWS' as const,
      api: API,
      budget: new RateBudget(0, 4, Date.now),
      signal: controller.signal,
      log: (line: string) => lines.push(line),
      onFatal: () => fatal++,
      ...extra,
      retry: { ...RETRY, ...extra.retry },
    };
    return new PageFetcher(options);
  }
  const fetcher = (extra: Partial<PageFetcherOptions> = {}) => fetcherFor(org.url, extra);

  describe('pages and their next links', () => {
    it('reads a page through the SDK with the SSWS token, and resolves its relative next link on the org', async () => {
      org.script(page(EVENTS, { link: `<${PATH}?since=2026-11-01T00%3A00%3A00.000Z&limit=2>; rel="self", <${PATH}?after=e2&limit=2>; rel="next"` }));
      const f = fetcher();
      const result = await f.fetchPage(firstUrl, WHAT);
      assert.deepEqual(result.items, EVENTS);
      assert.equal(result.next, `${org.url}${PATH}?after=e2&limit=2`);
      assert.equal(org.received.length, 1);
      assert.equal(org.received[0].headers.authorization, `SSWS ${TOKEN}`);
      assert.equal(org.received[0].headers.accept, 'application/json');
      assert.deepEqual(f.stats, { requests: 1, pages: 1 });
      assert.match(lines[0], /^GET \/api\/v1\/logs → 200, 2 items, \d+ ms$/);
      assert.equal(fatal, 0);
    });

    it('takes an absolute next link on the same origin and path, and gives no next without one', async () => {
      org.script(page([EVENTS[0]], { link: `<${org.url}${PATH}?after=e1>; rel="next"` }), page([], { link: `<${firstUrl}>; rel="self"` }));
      const f = fetcher();
      const first = await f.fetchPage(firstUrl, WHAT);
      assert.equal(first.next, `${org.url}${PATH}?after=e1`);
      const last = await f.fetchPage(first.next!, WHAT);
      assert.deepEqual(last, { items: [], next: undefined });
      assert.equal(org.received[1].url, `${PATH}?after=e1`);
      assert.match(lines[1], /^GET \/api\/v1\/logs \(next page\) → 200, 0 items/);
    });

    it('refuses a next link to another origin, naming it, and sends nothing there', async () => {
      const elsewhere = await ScriptedServer.start();
      try {
        elsewhere.script(page(EVENTS));
        for (const link of [`${elsewhere.url}${PATH}?after=e2`, `http://localhost:${new URL(org.url).port}${PATH}?after=e2`]) {
          org.script(page(EVENTS, { link: `<${link}>; rel="next"` }));
          const f = fetcher();
          const target = new URL(link);
          await assert.rejects(f.fetchPage(firstUrl, WHAT), (err: Error) => {
            assert.equal(err.name, 'OktaApiError');
            assert.ok(err.message.includes(`Refused a next-page link to ${target.origin}${PATH}`), err.message);
            assert.match(err.message, /the credential was not sent there/);
            return true;
          });
          assert.equal(f.stats.pages, 0, 'a page with a refused link is not a page');
        }
        assert.equal(elsewhere.received.length, 0);
        assert.equal(org.received.length, 1, 'the refused link is not followed on the org either');
        assert.equal(fatal, 2, 'each refusal stops the run');
      } finally {
        await elsewhere.close();
      }
    });

    it('refuses a next link to another path of the org, naming it', async () => {
      org.script(page(EVENTS, { link: '</api/v1/users?after=00u2>; rel="next"' }));
      await assert.rejects(fetcher().fetchPage(firstUrl, WHAT), (err: Error) => {
        assert.equal(err.name, 'OktaApiError');
        assert.ok(err.message.includes(`Refused a next-page link to ${org.url}/api/v1/users, outside ${org.url}`), err.message);
        return true;
      });
      assert.equal(org.received.length, 1);
      assert.equal(fatal, 1);
    });

    it('reads rel as a list of relation types, never as a prefix', async () => {
      org.script(
        page([EVENTS[0]], { link: `<${PATH}?after=p>; rel="nextpage", <${PATH}?after=e1>; rel="prev next"` }),
        page([EVENTS[1]], { link: `<${PATH}?after=x>; rel="nextpage"` }),
        page([EVENTS[1]], { link: `<${PATH}?after=e2>; title="next"; REL=Next` }),
      );
      const f = fetcher();
      assert.equal((await f.fetchPage(firstUrl, WHAT)).next, `${org.url}${PATH}?after=e1`);
      assert.equal((await f.fetchPage(firstUrl, WHAT)).next, undefined, 'rel="nextpage" is not a next link');
      assert.equal((await f.fetchPage(firstUrl, WHAT)).next, `${org.url}${PATH}?after=e2`, 'rel is read wherever it is, in any case');
    });

    it('compares next links with the org origin however it was written (a trailing slash too)', async () => {
      org.script(page(EVENTS, { link: `<${PATH}?after=e2>; rel="next"` }));
      const result = await fetcherFor(`${org.url}/`).fetchPage(firstUrl, WHAT);
      assert.equal(result.next, `${org.url}${PATH}?after=e2`);
    });

    it('stops on a malformed next link with a message saying so', async () => {
      org.script(page(EVENTS, { link: '<http://[oops/api/v1/logs?after=e2>; rel="next"' }));
      await assert.rejects(fetcher().fetchPage(firstUrl, WHAT), { name: 'OktaApiError', message: 'Okta sent a malformed next-page link; the count stopped there' });
      assert.equal(org.received.length, 1);
      assert.equal(fatal, 1);
    });

    it('builds only the selected members of each element with `fields`, and hands each to mapItem', async () => {
      org.script(page(EVENTS));
      const seen: unknown[] = [];
      const result = await fetcher().fetchPage(
        firstUrl,
        WHAT,
        (item) => {
          seen.push(item);
          return (item as { actor: { id: string } }).actor.id;
        },
        { uuid: true, actor: { id: true, alternateId: true } },
      );
      assert.deepEqual(result.items, ['00u1', '00u2']);
      assert.deepEqual(seen, [
        { uuid: 'e1', actor: { id: '00u1', alternateId: 'ann@example.com' } },
        { uuid: 'e2', actor: { id: '00u2', alternateId: 'bob@example.com' } },
      ]);
    });
  });

  describe('retries', () => {
    it('retries a 500 and says so in the log, then returns the page', async () => {
      org.script(oktaError(500, 'E0000009', 'Internal Server Error', 'req-500'), page(EVENTS));
      const f = fetcher();
      const result = await f.fetchPage(firstUrl, WHAT);
      assert.equal(result.items.length, 2);
      assert.deepEqual(f.stats, { requests: 2, pages: 1 });
      assert.equal(lines.length, 2);
      assert.ok(lines[0].startsWith(`GET /api/v1/logs → ${org.host} answered HTTP 500 E0000009: Internal Server Error (request id req-500) (attempt 1 of 3), `), lines[0]);
      assert.match(lines[1], /→ 200, 2 items/);
      assert.equal(fatal, 0);
    });

    for (const [status, splittable] of [[500, true], [504, true], [502, false], [503, false]] as const) {
      it(`gives up on ${status} after maxRetries with splittable ${splittable}`, async () => {
        org.script(...Array.from({ length: 3 }, () => json(status, { errorSummary: `status ${status}` })));
        const f = fetcher();
        await assert.rejects(f.fetchPage(firstUrl, WHAT), (err: Error) => {
          assert.ok(err instanceof RetriesExhaustedError, String(err));
          assert.equal(err.name, 'OktaApiError');
          assert.equal(err.status, status);
          assert.equal(err.splittable, splittable);
          assert.equal(err.message, `${org.host} answered HTTP ${status}: status ${status}; gave up on ${WHAT} after 3 attempts`);
          return true;
        });
        assert.equal(org.received.length, 3, 'the first attempt and maxRetries more');
        assert.deepEqual(f.stats, { requests: 3, pages: 0 });
        assert.deepEqual(lines.map((l) => /\(attempt (\d) of 3\)/.exec(l)?.[1]), ['1', '2', '3']);
      });
    }

    it('gives up on a connection refused after maxRetries, not splittable', async () => {
      const closed = await ScriptedServer.start();
      const origin = closed.url;
      await closed.close();
      const f = fetcherFor(origin);
      await assert.rejects(f.fetchPage(`${origin}${PATH}?limit=2`, WHAT), (err: Error) => {
        assert.ok(err instanceof RetriesExhaustedError, String(err));
        assert.equal(err.splittable, false);
        assert.equal(err.status, undefined);
        assert.equal(err.message, `could not reach ${new URL(origin).host}: connection refused (ECONNREFUSED); gave up on ${WHAT} after 3 attempts`);
        return true;
      });
      assert.equal(f.stats.requests, 3);
    });

    it('gives up on an org that does not answer in time after maxRetries, splittable', async () => {
      org.script(org.stall, org.stall, org.stall);
      const f = fetcher({ retry: { requestTimeoutMs: 300 } });
      await assert.rejects(f.fetchPage(firstUrl, WHAT), (err: Error) => {
        assert.ok(err instanceof RetriesExhaustedError, String(err));
        assert.equal(err.splittable, true);
        assert.equal(err.message, `no answer from ${org.host} within 0.3 s; gave up on ${WHAT} after 3 attempts`);
        return true;
      });
      assert.equal(org.received.length, 3);
    });

    it('gives up after slowAttempts on Okta\'s query timeout (500 E0000009), before maxRetries', async () => {
      org.script(oktaError(500, 'E0000009', 'Internal Server Error'), page(EVENTS));
      await assert.rejects(fetcher().fetchPage(firstUrl, WHAT, undefined, undefined, { slowAttempts: 1 }), (err: Error) => {
        assert.ok(err instanceof RetriesExhaustedError, String(err));
        assert.equal(err.splittable, true);
        assert.match(err.message, /gave up on the test page after 1 attempts$/);
        return true;
      });
      assert.equal(org.received.length, 1);
    });

    it('counts only slow failures toward slowAttempts: a plain 500 is retried up to maxRetries', async () => {
      org.script(json(500, { errorCode: 'E0000001', errorSummary: 'oops' }), oktaError(500, 'E0000009', 'Internal Server Error'), page(EVENTS));
      const result = await fetcher().fetchPage(firstUrl, WHAT, undefined, undefined, { slowAttempts: 2 });
      assert.equal(result.items.length, 2);
      assert.equal(org.received.length, 3);
    });

    it('counts a request timeout as slow for slowAttempts', async () => {
      org.script(org.stall, org.stall, page(EVENTS));
      await assert.rejects(fetcher({ retry: { requestTimeoutMs: 300 } }).fetchPage(firstUrl, WHAT, undefined, undefined, { slowAttempts: 2 }), (err: Error) => {
        assert.ok(err instanceof RetriesExhaustedError && err.splittable);
        assert.match(err.message, /after 2 attempts$/);
        return true;
      });
      assert.equal(org.received.length, 2);
    });

    it('retries a body cut short of its Content-Length', async () => {
      const cut: Reply = (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '5000' });
        res.write('[{"uuid":"e1","actor":', () => res.destroy());
      };
      org.script(cut, page(EVENTS));
      // The SDK's node-fetch 2 does not pass the socket's end on to the body it hands out: the idle timeout notices.
      const f = fetcher({ retry: { idleTimeoutMs: 1000 } });
      const result = await f.fetchPage(firstUrl, WHAT);
      assert.deepEqual(result.items, EVENTS);
      assert.deepEqual(f.stats, { requests: 2, pages: 1 });
      assert.match(lines[0], /^GET \/api\/v1\/logs → body cut off \(.+\) \(attempt 1 of 3\)/);
    });

    it('gives a body that drips in just faster than the idle bound no more time than a request has', async () => {
      const drip: Reply = (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('[');
        const beat = setInterval(() => res.write(' '), 100);
        res.on('close', () => clearInterval(beat));
      };
      org.script(drip);
      const started = Date.now();
      await assert.rejects(fetcher({ retry: { maxRetries: 0, requestTimeoutMs: 1500, idleTimeoutMs: 1000 } }).fetchPage(firstUrl, WHAT), (err: Error) => {
        assert.ok(err instanceof RetriesExhaustedError, err.message);
        assert.match(err.message, /not read within 1\.5 s/);
        return true;
      });
      assert.ok(Date.now() - started < 30_000, 'the body read ended');
    });

    it('retries a chunked body whose connection closes before its last chunk', async () => {
      const cut: Reply = (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('[{"uuid":"e1","actor":', () => res.destroy());
      };
      org.script(cut, page(EVENTS));
      const f = fetcher();
      const result = await f.fetchPage(firstUrl, WHAT);
      assert.deepEqual(result.items, EVENTS);
      assert.deepEqual(f.stats, { requests: 2, pages: 1 });
      assert.match(lines[0], /^GET \/api\/v1\/logs → body cut off \(.+\) \(attempt 1 of 3\)/);
    });

    it('retries a body that is not valid JSON, and gives up on one that stays invalid, not splittable', async () => {
      const broken: Reply = (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('[{"uuid":"e1"},');
      };
      org.script(broken, page(EVENTS));
      const f = fetcher();
      assert.equal((await f.fetchPage(firstUrl, WHAT)).items.length, 2);
      assert.match(lines[0], /^GET \/api\/v1\/logs → invalid JSON body \(15 bytes\): .+ \(attempt 1 of 3\)/);

      org.script(broken, broken, broken);
      await assert.rejects(fetcher().fetchPage(firstUrl, WHAT), (err: Error) => {
        assert.ok(err instanceof RetriesExhaustedError, String(err));
        assert.equal(err.splittable, false);
        assert.match(err.message, /^invalid JSON body \(15 bytes\): .*; gave up on the test page after 3 attempts$/);
        return true;
      });
    });
  });

  describe('refusals', () => {
    it('turns a 401 into an OktaAuthError naming the host, Okta\'s summary and the request id, without retrying', async () => {
      org.script(oktaError(401, 'E0000011', 'Invalid token provided', 'req-401-abc'), page(EVENTS));
      const f = fetcher();
      await assert.rejects(f.fetchPage(firstUrl, WHAT), (err: Error & { status?: number; errorCode?: string }) => {
        assert.equal(err.name, 'OktaAuthError');
        assert.equal(err.status, 401);
        assert.equal(err.errorCode, 'E0000011');
        assert.ok(err.message.startsWith(`${org.host} rejected the API token (HTTP 401 E0000011: Invalid token provided) (request id req-401-abc): `), err.message);
        return true;
      });
      assert.equal(org.received.length, 1);
      assert.equal(fatal, 1);
    });

    it('turns a 403 into an OktaAuthError naming the host, Okta\'s summary and the request id', async () => {
      org.script(oktaError(403, 'E0000006', 'You do not have permission to perform the requested action', 'req-403'));
      await assert.rejects(fetcher().fetchPage(firstUrl, WHAT), (err: Error & { status?: number }) => {
        assert.equal(err.name, 'OktaAuthError');
        assert.equal(err.status, 403);
        assert.ok(err.message.includes(` at ${org.host} (HTTP 403 E0000006: You do not have permission to perform the requested action) (request id req-403)`), err.message);
        return true;
      });
      assert.equal(org.received.length, 1);
      assert.equal(fatal, 1);
    });

    it('falls back to the body\'s errorId when there is no X-Okta-Request-Id', async () => {
      org.script(oktaError(401, 'E0000011', 'Invalid token provided'));
      await assert.rejects(fetcher().fetchPage(firstUrl, WHAT), /\(request id oae-body-id\)/);
    });

    for (const [status, code, summary] of [[400, 'E0000031', 'Invalid search criteria.'], [404, 'E0000007', 'Not found: Resource not found: logs (Class)']] as const) {
      it(`turns a ${status} into an OktaApiError, not retried`, async () => {
        org.script(oktaError(status, code, summary, `req-${status}`), page(EVENTS));
        await assert.rejects(fetcher().fetchPage(firstUrl, WHAT), (err: Error & { status?: number; errorCode?: string }) => {
          assert.equal(err.name, 'OktaApiError');
          assert.ok(!(err instanceof RetriesExhaustedError));
          assert.equal(err.status, status);
          assert.equal(err.errorCode, code);
          assert.equal(err.message, `${org.host} refused the request (HTTP ${status} ${code}: ${summary}) (request id req-${status})`);
          return true;
        });
        assert.equal(org.received.length, 1);
        assert.equal(fatal, 1, 'onFatal once');
      });
    }
  });

  describe('rate limits', () => {
    it('waits for X-Rate-Limit-Reset after a 429, then gets the page', async () => {
      const resets: number[] = [];
      const nextWindow: Reply = (req, res) => {
        const reset = String(Math.ceil(Date.now() / 1000) + 60);
        page(EVENTS, { 'x-rate-limit-limit': '20', 'x-rate-limit-remaining': '19', 'x-rate-limit-reset': reset })(req, res);
      };
      org.script(tooMany(2, resets), nextWindow);
      const f = fetcher();
      const result = await f.fetchPage(firstUrl, WHAT);
      assert.equal(result.items.length, 2);
      assert.equal(org.received.length, 2);
      const resetAt = resets[0] * 1000;
      assert.ok(org.received[1].at >= resetAt, `the retry came ${resetAt - org.received[1].at} ms before the reset`);
      assert.deepEqual(f.stats, { requests: 2, pages: 1 });
      assert.match(lines[0], /^GET \/api\/v1\/logs → 429 rate limited; waiting for the window to reset$/);
      assert.match(lines[1], /→ 200, 2 items, \d+ ms, rate limit 19\/20 left$/);
      assert.equal(fatal, 0);
    });

    it('waits for a proxy\'s Retry-After when the 429 carries no rate-limit headers', async () => {
      org.script(json(429, { errorSummary: 'slow down' }, { 'retry-after': '1' }), page(EVENTS));
      const result = await fetcher().fetchPage(firstUrl, WHAT);
      assert.equal(result.items.length, 2);
      assert.ok(org.received[1].at - org.received[0].at >= 1000, `the retry came after ${org.received[1].at - org.received[0].at} ms`);
    });
  });

  describe('cancellation and fatal errors', () => {
    it('rejects with CancelledError and sends nothing when the signal is already aborted', async () => {
      org.script(page(EVENTS));
      controller.abort();
      await assert.rejects(fetcher().fetchPage(firstUrl, WHAT), { name: 'CancelledError' });
      assert.equal(org.received.length, 0);
      assert.equal(fatal, 0);
    });

    it('ends a request the org holds open as soon as the signal aborts, and sends no other', async () => {
      org.script(org.stall, page(EVENTS));
      // A request timeout far beyond the test's bound: only the cancel can end the wait in time.
      const f = fetcher({ retry: { requestTimeoutMs: 120_000 } });
      const started = Date.now();
      const pending = f.fetchPage(firstUrl, WHAT);
      await org.waitForRequests(1);
      controller.abort();
      await assert.rejects(pending, { name: 'CancelledError' });
      assert.ok(Date.now() - started < 15_000, `took ${Date.now() - started} ms`);
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(org.received.length, 1);
      assert.equal(fatal, 0, 'a cancel is not a failure');
      assert.equal(f.budget.requestsInFlight, 0, 'the permit went back');
    });

    it('ends the backoff before a retry when the signal aborts, and sends no retry', async () => {
      org.script(json(503, { errorSummary: 'down' }), page(EVENTS));
      const f = fetcher({ retry: { baseDelayMs: 60_000, maxDelayMs: 60_000 } });
      const pending = f.fetchPage(firstUrl, WHAT);
      await org.waitForRequests(1);
      while (lines.length === 0) await new Promise((r) => setTimeout(r, 10));
      controller.abort();
      await assert.rejects(pending, { name: 'CancelledError' });
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(org.received.length, 1);
      assert.equal(fatal, 0);
    });

    it('ends the wait for a rate-limit reset when the signal aborts', async () => {
      org.script(tooMany(120), page(EVENTS));
      const pending = fetcher().fetchPage(firstUrl, WHAT);
      while (lines.length === 0) await new Promise((r) => setTimeout(r, 10));
      controller.abort();
      await assert.rejects(pending, { name: 'CancelledError' });
      assert.equal(org.received.length, 1);
      assert.equal(fatal, 0);
    });

    it('calls onFatal once on a fatal error and not at all on a page or a retry', async () => {
      org.script(json(500, { errorSummary: 'hiccup' }), page(EVENTS), json(403, { errorCode: 'E0000006', errorSummary: 'no' }));
      const f = fetcher();
      await f.fetchPage(firstUrl, WHAT);
      assert.equal(fatal, 0);
      await assert.rejects(f.fetchPage(firstUrl, WHAT), { name: 'OktaAuthError' });
      assert.equal(fatal, 1);
      assert.deepEqual(f.stats, { requests: 3, pages: 1 });
    });
  });

  it('counts every request sent (retries and 429s included) and every page returned', async () => {
    org.script(json(502, { errorSummary: 'bad gateway' }), page([EVENTS[0]], { link: `<${PATH}?after=e1>; rel="next"` }), tooMany(2), page([EVENTS[1]]));
    const f = fetcher();
    const first = await f.fetchPage(firstUrl, WHAT);
    assert.deepEqual(f.stats, { requests: 2, pages: 1 });
    const second = await f.fetchPage(first.next!, WHAT);
    assert.equal(second.next, undefined);
    assert.deepEqual(f.stats, { requests: 4, pages: 2 });
    assert.equal(org.received.length, 4);
  });
});

describe('retryAfter', () => {
  const now = Date.parse('2026-11-22T10:00:00Z');

  it('reads a number of seconds', () => {
    assert.equal(retryAfter('30', now), now + 30_000);
    assert.equal(retryAfter(' 7 ', now), now + 7_000);
  });

  it('reads an HTTP date', () => {
    assert.equal(retryAfter('Sun, 22 Nov 2026 10:01:30 GMT', now), now + 90_000);
    assert.equal(retryAfter(new Date(now + 5_000).toUTCString(), now), now + 5_000);
  });

  it('ignores a reset that is now or past', () => {
    assert.equal(retryAfter('0', now), undefined);
    assert.equal(retryAfter('Sun, 22 Nov 2026 09:59:00 GMT', now), undefined);
    assert.equal(retryAfter(new Date(now).toUTCString(), now), undefined);
  });

  it('ignores garbage and a missing header', () => {
    for (const value of [null, '', '   ', 'soon', '1e3', '-5', '30 seconds', '120, 60', 'NaN', 'in 2099', '1.5 2099', '2099-01-01T00:00:00Z']) {
      assert.equal(retryAfter(value, now), undefined, JSON.stringify(value));
    }
  });
});
