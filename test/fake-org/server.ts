/**
 * The fake Okta org: a loopback HTTP server with the System Log, the legacy Events API and the
 * OAuth token endpoint, rate limits on every response, and faults a test can inject to break it.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import type { CompactStore } from './compact-store';
import { eventsPage } from './events-api';
import { authScheme, FaultQueue, ForeignOrigin } from './faults';
import { logsPage, type PageFault } from './logs-api';
import { OAuthServer } from './oauth';
import { RateLimiter } from './rate-limit';
import { gatewayPage, oktaError, type Reply } from './replies';
import { ObjectStore, type EventStore } from './store';
import type { Endpoint, FakeOrg, FakeOrgOptions, FakeOrgStats, Fault, LogEvent, RequestRecord } from './types';

export interface InternalOptions extends FakeOrgOptions {
  /** A generated org kept compact (see `generateMonthStore`), instead of `events`. */
  store?: CompactStore;
}

const ROUTES: Record<string, Endpoint> = { '/api/v1/logs': 'logs', '/api/v1/events': 'events', '/oauth2/v1/token': 'token' };
const LOGS_SCOPE = 'okta.logs.read';

function readBody(req: IncomingMessage, max = 64 * 1024): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) reject(new Error('body too large'));
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export async function startFakeOrg(opts: InternalOptions = {}): Promise<FakeOrg> {
  const host = opts.host ?? '127.0.0.1';
  const tokens = new Set(opts.tokens?.length ? opts.tokens : [`00${randomBytes(30).toString('base64url').slice(0, 40)}`]);
  const firstToken = [...tokens][0];
  let store: EventStore = opts.store ?? new ObjectStore(opts.events ?? []);
  const oauth = new OAuthServer(opts.oauthClients ?? []);
  let limiter = new RateLimiter(opts.rateLimit ?? null);
  let latencyMs = opts.latencyMs ?? 0;
  const faults = new FaultQueue();
  const foreign = new ForeignOrigin(host);
  const requests: RequestRecord[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const stats: FakeOrgStats = {
    requests: 0,
    byEndpoint: { logs: 0, events: 0, token: 0, other: 0 },
    inFlight: 0,
    maxInFlight: 0,
    rateWindows: limiter.stats,
    lowestRemaining: Infinity,
    tooManyRequests: 0,
    tokenRequests: 0,
    eventsServed: 0,
  };
  let origin = '';

  const sleep = (ms: number) =>
    ms > 0
      ? new Promise<void>((resolve) => {
          const t = setTimeout(() => {
            timers.delete(t);
            resolve();
          }, ms);
          timers.add(t);
        })
      : Promise.resolve();

  /** 401/403 for the two read APIs, or undefined when the caller may read the System Log. */
  function authorize(header: string | undefined): Reply | undefined {
    const [scheme, credential] = (header ?? '').split(' ', 2);
    if (scheme === 'SSWS' && credential && tokens.has(credential)) return undefined;
    if (scheme === 'Bearer' && credential) {
      const check = oauth.bearer(credential);
      if (check.ok && check.scopes.has(LOGS_SCOPE)) return undefined;
      if (check.ok) {
        const r = oktaError(403, 'E0000006');
        r.headers = { 'www-authenticate': `Bearer authorization_uri="${origin}/oauth2/v1/authorize", realm="IdP", scope="${LOGS_SCOPE}", error="insufficient_scope", error_description="The access token provided does not contain the required scopes.", resource="/api/v1/logs"` };
        return r;
      }
    }
    const r = oktaError(401, 'E0000011');
    if (scheme === 'Bearer') r.headers = { 'www-authenticate': `Bearer authorization_uri="${origin}/oauth2/v1/authorize", realm="IdP", error="invalid_token", error_description="The token is not valid."` };
    return r;
  }

  async function route(endpoint: Endpoint | 'other', req: IncomingMessage, url: URL, fault: Fault | undefined): Promise<Reply> {
    if (endpoint === 'other') return oktaError(404, 'E0000007', [], `Not found: Resource not found: ${url.pathname} (${req.method})`);
    if (endpoint === 'token') {
      stats.tokenRequests++;
      if (req.method !== 'POST') return oktaError(405, 'E0000022');
      return oauth.token(new URLSearchParams(await readBody(req)), `${origin}/oauth2/v1/token`);
    }
    if (req.method !== 'GET') return oktaError(405, 'E0000022');
    const denied = authorize(req.headers.authorization);
    if (denied) return denied;
    let pageFault: PageFault | undefined;
    if (fault?.kind === 'emptyPage' || fault?.kind === 'overlap') pageFault = fault;
    if (fault?.kind === 'foreignNext') pageFault = { kind: 'foreignNext', origin: await foreign.url() };
    const page = { store, origin, path: url.pathname, params: url.searchParams, now: Date.now(), fault: pageFault };
    return endpoint === 'logs' ? logsPage(page) : eventsPage(page);
  }

  /** Replies a fault replaces outright, before any routing. */
  function faultReply(fault: Fault | undefined): Reply | undefined {
    switch (fault?.kind) {
      case 'status':
        return fault.status === 500 ? oktaError(500, 'E0000009') : gatewayPage(fault.status);
      case 'timeout':
        return oktaError(500, 'E0000009', ['The request took too long to complete. Narrow the time range or filter.']);
      case 'revoked':
        return oktaError(401, 'E0000011');
      case 'rateLimit':
        return oktaError(429, 'E0000047');
      default:
        return undefined;
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    stats.requests++;
    stats.maxInFlight = Math.max(stats.maxInFlight, ++stats.inFlight);
    const url = new URL(req.url ?? '/', origin);
    const endpoint: Endpoint | 'other' = (ROUTES[url.pathname.replace(/\/+$/, '')] as Endpoint | undefined) ?? 'other';
    stats.byEndpoint[endpoint]++;
    const record: RequestRecord = {
      at: Date.now(),
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      endpoint,
      status: 0,
      auth: authScheme(req.headers.authorization),
    };
    requests.push(record);
    try {
      // Okta limits each endpoint separately; unknown paths share one bucket.
      const bucketName = endpoint === 'other' ? 'other' : endpoint === 'token' ? '/oauth2/v1/token' : `/api/v1/${endpoint}`;
      const takenAt = Date.now();
      const rate = limiter.take(bucketName, takenAt);
      const fault = rate.exceeded || endpoint === 'other' ? undefined : faults.take(endpoint, url.searchParams.has('after'));
      if (fault) record.fault = fault.kind;
      if (fault?.kind === 'reset') {
        await sleep(latencyMs);
        req.socket.destroy();
        return;
      }
      // The answer is built as the request arrives and sent `latencyMs` after its arrival: the latency
      // is the whole time to answer, as a client sees it. Built after the wait instead, requests
      // arriving together would each wait for the others' pages to be built as well.
      let reply: Reply;
      if (rate.exceeded) {
        stats.tooManyRequests++;
        reply = oktaError(429, 'E0000047');
      } else {
        reply = faultReply(fault) ?? (await route(endpoint, req, url, fault));
      }
      await sleep(Math.max(0, takenAt + latencyMs - Date.now()) + (fault?.kind === 'hang' ? fault.ms : 0));
      let remaining = rate.remaining;
      let reset = rate.reset;
      if (fault?.kind === 'rateLimit') {
        stats.tooManyRequests++;
        remaining = 0;
        reset = Math.ceil((Date.now() + fault.resetInMs) / 1000);
      }
      limiter.sent(bucketName, takenAt, remaining);
      stats.lowestRemaining = Math.min(stats.lowestRemaining, remaining);
      record.status = reply.status;
      const headers: Record<string, string | string[] | number> = {
        'content-type': `${reply.contentType ?? 'application/json'};charset=UTF-8`,
        'x-rate-limit-limit': String(rate.limit),
        'x-rate-limit-remaining': String(remaining),
        'x-rate-limit-reset': String(reset),
        'x-okta-request-id': randomBytes(14).toString('base64url'),
        ...reply.headers,
      };
      let full = Buffer.from(reply.body, 'utf8');
      if (opts.gzip && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
        full = gzipSync(full);
        headers['content-encoding'] = 'gzip';
      }
      record.answeredAt = Date.now();
      if (fault?.kind === 'truncate') {
        // Promise the whole body, deliver half, hang up: what a dropped connection looks like.
        res.writeHead(200, { ...headers, 'content-length': full.length });
        res.write(full.subarray(0, full.length >> 1), () => res.destroy());
        return;
      }
      const body = fault?.kind === 'invalidJson' ? full.subarray(0, Math.max(1, full.length >> 1)) : full;
      if (fault?.kind === 'invalidJson') record.status = 200;
      if (reply.status === 200 && reply.events) stats.eventsServed += reply.events;
      res.writeHead(fault?.kind === 'invalidJson' ? 200 : reply.status, { ...headers, 'content-length': body.length });
      res.end(body);
    } catch (err) {
      record.status = 500;
      if (!res.headersSent) {
        const reply = oktaError(500, 'E0000009', [err instanceof Error ? err.message : String(err)]);
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(reply.body);
      } else res.destroy();
    } finally {
      stats.inFlight--;
    }
  }

  const server = createServer((req, res) => void handle(req, res));
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  const toObjects = (): ObjectStore => (store instanceof ObjectStore ? store : new ObjectStore(allEvents(store)));
  return {
    url: origin,
    token: firstToken,
    stats,
    requests,
    get foreignHits() {
      return foreign.hits;
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await foreign.close();
    },
    setEvents(events: LogEvent[]) {
      store = new ObjectStore(events);
    },
    appendEvents(events: LogEvent[]) {
      const objects = toObjects();
      objects.append(events);
      store = objects;
    },
    revokeToken(t: string) {
      if (!tokens.delete(t)) oauth.revoke(t);
    },
    injectFault(fault: Fault) {
      faults.add(fault);
    },
    pendingFaults: () => faults.pending,
    configure(conditions) {
      if (conditions.latencyMs !== undefined) latencyMs = conditions.latencyMs;
      if (conditions.rateLimit !== undefined) {
        limiter = new RateLimiter(conditions.rateLimit);
        stats.rateWindows = limiter.stats;
      }
    },
  };
}

function allEvents(store: EventStore): LogEvent[] {
  const out: LogEvent[] = [];
  for (let i = 0; i < store.size; i++) out.push(store.event(i));
  return out;
}
