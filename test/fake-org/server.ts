/**
 * The fake Okta org: a loopback HTTP server with the System Log, the legacy Events API, the Users
 * API (when given users) and the OAuth token endpoint, rate limits on every response, and faults a
 * test can inject to break it.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import type { CompactStore } from './compact-store';
import { API_NONCE_DESCRIPTION, ApiNonce, dpopChallenge, targetUri } from './dpop';
import { eventsPage } from './events-api';
import { authScheme, FaultQueue } from './faults';
import { ForeignOrigin } from './foreign';
import { logsPage, type PageFault } from './logs-api';
import { OAuthServer } from './oauth';
import { RateLimiter } from './rate-limit';
import { gatewayPage, oktaError, queryTimedOut, type Reply } from './replies';
import { ObjectStore, type EventStore } from './store';
import type { Endpoint, FakeOrg, FakeOrgOptions, FakeOrgStats, Fault, ForeignHit, LogEvent, OktaUser, RequestRecord } from './types';
import { UserDirectory, usersPage } from './users-api';

export interface InternalOptions extends FakeOrgOptions {
  /** A generated org kept compact (see `generateMonthStore`), instead of `events`. */
  store?: CompactStore;
}

const ROUTES: Record<string, Endpoint> = { '/api/v1/logs': 'logs', '/api/v1/events': 'events', '/api/v1/users': 'users', '/oauth2/v1/token': 'token' };
/** The OAuth scope each read API needs, as Okta's API reference lists it per operation. */
const SCOPES: Record<Exclude<Endpoint, 'token'>, string> = { logs: 'okta.logs.read', events: 'okta.logs.read', users: 'okta.users.read' };

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
  // Every Okta org has the Users API: an org started without users answers with none.
  let directory = new UserDirectory(opts.users ?? []);
  const oauth = new OAuthServer(opts.oauthClients ?? []);
  const apiNonce = opts.apiDpopNonce ? new ApiNonce(opts.apiDpopNonce) : undefined;
  let limiter = new RateLimiter(opts.rateLimit ?? null);
  let latencyMs = opts.latencyMs ?? 0;
  const faults = new FaultQueue();
  const foreignHits: ForeignHit[] = [];
  const foreign = new ForeignOrigin(host, 'otherHost', foreignHits);
  const otherPort = new ForeignOrigin(host, 'otherPort', foreignHits);
  let concurrency = opts.concurrency ?? null;
  let slowQuery = opts.slowQuery ?? null;
  /** Requests in flight that the concurrency limit let through (its rejections do not hold a slot). */
  let admitted = 0;
  const requests: RequestRecord[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const stats: FakeOrgStats = {
    requests: 0,
    byEndpoint: { logs: 0, events: 0, users: 0, token: 0, other: 0 },
    inFlight: 0,
    maxInFlight: 0,
    rateWindows: limiter.stats,
    lowestRemaining: Infinity,
    tooManyRequests: 0,
    concurrencyRejections: 0,
    tokenRequests: 0,
    eventsServed: 0,
    usersServed: 0,
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

  /**
   * 400/401/403 for the read APIs, or undefined when the caller may read what `scope` covers. `answer`
   * gets the headers the page answer carries too (the APIs' current DPoP nonce).
   */
  function authorize(req: IncomingMessage, url: URL, scope: string, answer: Record<string, string>): Reply | undefined {
    const [scheme, credential] = (req.headers.authorization ?? '').split(' ', 2);
    if (scheme === 'SSWS' && credential && tokens.has(credential)) return undefined;
    const dpop = (status: 400 | 401 | 403, error: string, description: string): Reply => {
      // Okta's 400 for a refused proof has an empty body (okta-sdk-dotnet#825, #852): all it says is in the challenge.
      const r = status === 400 ? { status, body: '' } : oktaError(status, status === 403 ? 'E0000006' : 'E0000011');
      r.headers = { 'www-authenticate': dpopChallenge(origin, url.pathname, scope, error, description) };
      return r;
    };
    if ((scheme === 'Bearer' || scheme === 'DPoP') && credential) {
      const check = oauth.bearer(credential);
      if (check.ok && check.jkt && scheme === 'Bearer') return dpop(401, 'invalid_token', 'The access token is bound to a DPoP key: present it with the DPoP scheme and a DPoP proof.');
      if (check.ok && !check.jkt && scheme === 'DPoP') {
        const r = oktaError(401, 'E0000011');
        r.headers = { 'www-authenticate': `Bearer authorization_uri="${origin}/oauth2/v1/authorize", realm="IdP", error="invalid_token", error_description="The access token is not DPoP-bound: present it with the Bearer scheme."` };
        return r;
      }
      if (check.ok && scheme === 'DPoP') {
        const target = targetUri(req.headers.host, origin, url.pathname);
        const proof = oauth.checkProof(String(req.headers.dpop ?? '') || undefined, { method: req.method ?? '', url: target, accessToken: credential, jkt: check.jkt, now: Date.now() });
        if (!proof.ok) return dpop(400, 'invalid_dpop_proof', proof.description);
        if (apiNonce) {
          // The nonce claim is checked last, once the proof is otherwise valid (RFC 9449 §9).
          const nonce = apiNonce.check(proof.nonce);
          answer['dpop-nonce'] = opts.apiDpopNonce?.header ?? nonce.next;
          if (!nonce.ok) {
            const r = dpop(401, 'use_dpop_nonce', API_NONCE_DESCRIPTION);
            r.headers = { ...r.headers, 'dpop-nonce': answer['dpop-nonce'] };
            return r;
          }
        }
      }
      if (check.ok && check.scopes.has(scope)) return undefined;
      if (check.ok && scheme === 'DPoP') return dpop(403, 'insufficient_scope', 'The access token provided does not contain the required scopes.');
      if (check.ok) {
        const r = oktaError(403, 'E0000006');
        r.headers = { 'www-authenticate': `Bearer authorization_uri="${origin}/oauth2/v1/authorize", realm="IdP", scope="${scope}", error="insufficient_scope", error_description="The access token provided does not contain the required scopes.", resource="${url.pathname}"` };
        return r;
      }
    }
    const r = oktaError(401, 'E0000011');
    if (scheme === 'Bearer') r.headers = { 'www-authenticate': `Bearer authorization_uri="${origin}/oauth2/v1/authorize", realm="IdP", error="invalid_token", error_description="The token is not valid."` };
    if (scheme === 'DPoP') return dpop(401, 'invalid_token', 'The token is not valid.');
    return r;
  }

  async function route(endpoint: Endpoint | 'other', req: IncomingMessage, url: URL, fault: Fault | undefined): Promise<Reply> {
    if (endpoint === 'other') return oktaError(404, 'E0000007', [], `Not found: Resource not found: ${url.pathname} (${req.method})`);
    if (endpoint === 'token') {
      stats.tokenRequests++;
      if (req.method !== 'POST') return oktaError(405, 'E0000022');
      return oauth.token(new URLSearchParams(await readBody(req)), `${origin}/oauth2/v1/token`, {
        // Node joins repeated headers with ", ", which the proof check refuses as more than one proof.
        dpop: String(req.headers.dpop ?? '') || undefined,
        method: req.method,
        htu: targetUri(req.headers.host, origin, url.pathname),
        lifetimeS: opts.tokenLifetimeS,
        nonceRotateMs: opts.dpopNonceRotateMs,
      });
    }
    if (req.method !== 'GET') return oktaError(405, 'E0000022');
    const answer: Record<string, string> = {};
    const denied = authorize(req, url, SCOPES[endpoint], answer);
    if (denied) return denied;
    const reply = await serve(endpoint, req, url, fault);
    return Object.keys(answer).length ? { ...reply, headers: { ...reply.headers, ...answer } } : reply;
  }

  async function serve(endpoint: Exclude<Endpoint, 'token'>, req: IncomingMessage, url: URL, fault: Fault | undefined): Promise<Reply> {
    let pageFault: PageFault | undefined;
    if (fault?.kind === 'emptyPage' || fault?.kind === 'overlap') pageFault = fault;
    if (fault?.kind === 'foreignNext') pageFault = { kind: 'foreignNext', origin: await foreign.url() };
    if (endpoint === 'users') {
      return usersPage({ directory, origin, path: url.pathname, params: url.searchParams, fault: pageFault, searchLastLogin: opts.usersSearchLastLogin === 'supported' });
    }
    const page = { store, origin, path: url.pathname, params: url.searchParams, now: Date.now(), fault: pageFault, nextLinkSince: opts.nextLinkSince, eventsLinking: opts.eventsLinking, slowQuery };
    return endpoint === 'logs' ? logsPage(page) : eventsPage(page);
  }

  /** Replies a fault replaces outright, before any routing. */
  function faultReply(fault: Fault | undefined): Reply | undefined {
    switch (fault?.kind) {
      case 'status':
        return fault.status === 500 ? oktaError(500, 'E0000009') : gatewayPage(fault.status);
      case 'timeout':
        return queryTimedOut();
      case 'revoked':
        return oktaError(401, 'E0000011');
      case 'rateLimit':
        return oktaError(429, 'E0000047');
      default:
        return undefined;
    }
  }

  /** A redirect fault's answer: the same path and query at the chosen origin. */
  async function redirectReply(fault: Fault | undefined, url: URL): Promise<Reply | undefined> {
    if (fault?.kind !== 'redirect') return undefined;
    const target = fault.to === 'samePath' ? origin : await (fault.to === 'otherHost' ? foreign : otherPort).url();
    return { status: fault.status, body: '', headers: { location: `${target}${url.pathname}${url.search}` } };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    stats.requests++;
    stats.maxInFlight = Math.max(stats.maxInFlight, ++stats.inFlight);
    const url = new URL(req.url ?? '/', origin);
    const routed = ROUTES[url.pathname.replace(/\/+$/, '')] as Endpoint | undefined;
    // An org started without users has no Users API, as before it had one.
    const endpoint: Endpoint | 'other' = routed ?? 'other';
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
    // Okta's concurrency limit is org-wide and refuses at once, before any time-based bucket is counted.
    const conc = concurrency;
    const rejected = conc !== null && admitted + (conc.occupied ?? 0) >= conc.limit;
    if (!rejected) admitted++;
    try {
      // Okta limits each endpoint separately; unknown paths share one bucket.
      const bucketName = endpoint === 'other' ? 'other' : endpoint === 'token' ? '/oauth2/v1/token' : `/api/v1/${endpoint}`;
      const takenAt = Date.now();
      // One credential's share is counted by the credential itself: the SSWS token, or the access token
      // (Okta counts per OAuth app; one app's tokens are told apart here, which only matters across renewals).
      const rate = rejected ? undefined : limiter.take(bucketName, takenAt, req.headers.authorization?.split(' ', 2)[1] || undefined);
      const fault = !rate || rate.exceeded || endpoint === 'other' ? undefined : faults.take(endpoint, url.searchParams.has('after'));
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
      if (!rate) {
        stats.concurrencyRejections++;
        record.limitedBy = 'concurrency';
        reply = oktaError(429, 'E0000047');
      } else if (rate.exceeded) {
        stats.tooManyRequests++;
        record.limitedBy = rate.by;
        reply = oktaError(429, 'E0000047');
      } else {
        reply = faultReply(fault) ?? (await redirectReply(fault, url)) ?? (await route(endpoint, req, url, fault));
      }
      const builtAt = Date.now();
      record.builtIn = builtAt - record.at;
      await sleep(Math.max(0, takenAt + latencyMs - builtAt) + (fault?.kind === 'hang' ? fault.ms : 0) + (reply.delayMs ?? 0));
      let limit: number;
      let remaining: number;
      let reset: number;
      if (!rate) {
        // Okta's headers then describe the concurrency limit, and the reset is only an estimate.
        limit = conc!.limit;
        remaining = 0;
        reset = Math.ceil((Date.now() + 60_000) / 1000);
      } else {
        limit = rate.limit;
        remaining = rate.remaining;
        reset = rate.reset;
        if (fault?.kind === 'rateLimit') {
          stats.tooManyRequests++;
          remaining = 0;
          reset = Math.ceil((Date.now() + fault.resetInMs) / 1000);
        }
        limiter.sent(bucketName, takenAt, remaining, reply.status === 429);
        stats.lowestRemaining = Math.min(stats.lowestRemaining, remaining);
      }
      record.status = reply.status;
      const headers: Record<string, string | string[] | number> = {
        'content-type': `${reply.contentType ?? 'application/json'};charset=UTF-8`,
        'x-rate-limit-limit': String(limit),
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
      if (reply.status === 200 && reply.users) stats.usersServed += reply.users;
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
      if (!rejected) admitted--;
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
    foreignHits,
    foreignOrigins: async () => ({ otherHost: await foreign.url(), otherPort: await otherPort.url() }),
    async close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await foreign.close();
      await otherPort.close();
    },
    setEvents(events: LogEvent[]) {
      store = new ObjectStore(events);
    },
    appendEvents(events: LogEvent[]) {
      const objects = toObjects();
      objects.append(events);
      store = objects;
    },
    setUsers(users: OktaUser[] | undefined) {
      directory = new UserDirectory(users ?? []);
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
      if (conditions.concurrency !== undefined) concurrency = conditions.concurrency;
      if (conditions.slowQuery !== undefined) slowQuery = conditions.slowQuery;
    },
  };
}

function allEvents(store: EventStore): LogEvent[] {
  const out: LogEvent[] = [];
  for (let i = 0; i < store.size; i++) out.push(store.event(i));
  return out;
}
