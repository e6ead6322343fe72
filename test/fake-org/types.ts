/**
 * Shapes of the fake Okta org: the System Log event as Okta serialises it, the server's options,
 * the faults a test can inject, and what the server records about the requests it saw.
 */
import type { ApiNonceOptions } from './dpop';

export interface LogActor {
  id: string;
  type: string;
  alternateId: string | null;
  displayName: string | null;
  detailEntry: Record<string, unknown> | null;
}

export interface GeographicalContext {
  city: string | null;
  state: string | null;
  country: string | null;
  postalCode: string | null;
  geolocation: { lat: number; lon: number } | null;
}

export interface LogClient {
  userAgent: { rawUserAgent: string; os: string; browser: string } | null;
  zone: string | null;
  device: string | null;
  id: string | null;
  ipAddress: string | null;
  geographicalContext: GeographicalContext | null;
}

export interface LogTarget {
  id: string;
  type: string;
  alternateId: string | null;
  displayName: string | null;
  detailEntry: Record<string, unknown> | null;
}

/** A System Log event (`GET /api/v1/logs`), in the field order Okta sends. */
export interface LogEvent {
  actor: LogActor;
  client: LogClient | null;
  device: Record<string, unknown> | null;
  authenticationContext: {
    authenticationProvider: string | null;
    credentialProvider: string | null;
    credentialType: string | null;
    issuer: { id: string; type: string } | null;
    interface: string | null;
    authenticationStep: number;
    rootSessionId: string | null;
    externalSessionId: string | null;
  } | null;
  displayMessage: string | null;
  eventType: string;
  outcome: { result: string; reason: string | null } | null;
  /** ISO 8601 with milliseconds, UTC. */
  published: string;
  securityContext: {
    asNumber: number | null;
    asOrg: string | null;
    isp: string | null;
    domain: string | null;
    isProxy: boolean | null;
  } | null;
  severity: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  debugContext: { debugData: Record<string, string> } | null;
  legacyEventType: string | null;
  transaction: { type: string; id: string; detail: Record<string, unknown> } | null;
  uuid: string;
  version: string;
  request: {
    ipChain: { ip: string; geographicalContext: GeographicalContext | null; version: string; source: string | null }[];
  } | null;
  target: LogTarget[] | null;
}

/** A registered OAuth 2.0 service app that signs in with a private-key JWT. */
export interface OAuthClientRegistration {
  clientId: string;
  /** The public half of the signing key: a JWK object or a PEM text. */
  publicKey: JsonWebKey | string;
  /** Scopes this app was granted; a token request may ask for a subset. */
  scopes: string[];
  /**
   * Okta's "Require Demonstrating Proof of Possession (DPoP) header in token requests": the token
   * endpoint then wants a DPoP proof with a server nonce and issues DPoP-bound tokens only. Default
   * false: Bearer tokens, and a `DPoP` header on the token request is ignored.
   */
  requireDpop?: boolean;
  /**
   * The token endpoint answers every proof of this app with `use_dpop_nonce` and a new nonce, a
   * correct nonce included, and never issues a token. Implies `requireDpop`.
   */
  dpopNonceLoop?: boolean;
}

export interface RateLimitOptions {
  limit: number;
  windowMs: number;
  /**
   * The share of `limit` one credential may use in a window (0 < share <= 1), as Okta's per-token and
   * per-OAuth-app ceiling (50% by default on Okta). Default 1: no ceiling beyond the bucket's own.
   */
  tokenShare?: number;
  /**
   * What `X-Rate-Limit-*` report; Okta's docs do not say. `bucket` (default): the org-wide bucket.
   * `token`: Limit = floor(tokenShare × limit), Remaining = what this credential can still use.
   */
  headers?: 'bucket' | 'token';
  /** Requests the org's other integrations have taken from each window at its start. Default 0. */
  otherClients?: number;
  /**
   * Per-bucket limits that replace `limit` for those buckets, e.g. `{ '/api/v1/users': 600 }` next to
   * `limit: 120` for the System Log, as a Workforce org has them. Buckets: `/api/v1/logs`,
   * `/api/v1/events`, `/api/v1/users`, `/oauth2/v1/token`, `other`.
   */
  bucketLimits?: Partial<Record<string, number>>;
}

/** Okta's org-wide limit on requests in flight at once. */
export interface ConcurrencyOptions {
  limit: number;
  /** Requests permanently in flight from other clients. Default 0. */
  occupied?: number;
}

/** Okta's server-side timeout of System Log queries over a long time range. */
export interface SlowQueryOptions {
  /** A logs request whose remaining range (since or cursor to until, or now) is longer than this fails. */
  longerThanMs: number;
  /** How long the failing request takes, on top of the latency. Default 30,000 as on Okta. */
  timeoutMs?: number;
}

export type Endpoint = 'logs' | 'events' | 'users' | 'token';

/** Which requests a fault applies to. */
interface FaultScope {
  /** How many matching requests it affects. Default 1. */
  times?: number;
  /** Only requests to this endpoint. Default: any. */
  endpoint?: Endpoint;
  /** Only requests that carry an `after` cursor, i.e. page 2 onwards. */
  afterOnly?: boolean;
}

export type Fault = FaultScope &
  (
    | { kind: 'status'; status: 500 | 502 | 503 | 504 }
    | { kind: 'reset' }
    | { kind: 'truncate' }
    | { kind: 'invalidJson' }
    | { kind: 'foreignNext' }
    | { kind: 'emptyPage' }
    | { kind: 'rateLimit'; resetInMs: number }
    | { kind: 'hang'; ms: number }
    | { kind: 'timeout' }
    | { kind: 'revoked' }
    | { kind: 'overlap'; count: number }
    | { kind: 'redirect'; status: 301 | 302 | 303 | 307 | 308; to: RedirectTarget }
  );

/**
 * Where a `redirect` fault sends the client, to the same path and query: `otherPort` is a server on the
 * org's own host at another port, `otherHost` the foreign origin on another loopback address, and
 * `samePath` the very URL requested (a loop).
 */
export type RedirectTarget = 'otherPort' | 'otherHost' | 'samePath';

export type FaultKind = Fault['kind'];

export type AuthScheme = 'SSWS' | 'Bearer' | 'DPoP' | 'none' | 'other';

/** One request as the server saw it. Never holds a credential. */
export interface RequestRecord {
  at: number;
  method: string;
  path: string;
  query: Record<string, string>;
  endpoint: Endpoint | 'other';
  /** 0 when the connection was dropped without a response. */
  status: number;
  /** When the answer's status and headers were written (epoch ms); absent when none was. */
  answeredAt?: number;
  auth: AuthScheme;
  fault?: FaultKind;
  /** Which limit answered 429: the bucket, the credential's share, or the concurrency limit. */
  limitedBy?: 'bucket' | 'token' | 'concurrency';
  /** Milliseconds from arrival until the answer was built (it is then held until `latencyMs` has passed). */
  builtIn?: number;
}

export interface RateWindowStat {
  endpoint: string;
  /** Epoch ms at which the window began. */
  windowStart: number;
  requests: number;
  /** The lowest `X-Rate-Limit-Remaining` sent in this window. */
  lowestRemaining: number;
  /** 429s of the time-based limits sent in this window (bucket, token share, `rateLimit` faults). */
  tooManyRequests: number;
}

export interface FakeOrgStats {
  requests: number;
  byEndpoint: Record<Endpoint | 'other', number>;
  inFlight: number;
  maxInFlight: number;
  /** Per endpoint and window, in order of first use. */
  rateWindows: RateWindowStat[];
  /** The lowest `X-Rate-Limit-Remaining` sent on any response. */
  lowestRemaining: number;
  tooManyRequests: number;
  /** 429s from the concurrency limit; not part of `tooManyRequests`. */
  concurrencyRejections: number;
  tokenRequests: number;
  /** Events written into successful pages of either API. */
  eventsServed: number;
  /** Users written into successful pages of the Users API. */
  usersServed: number;
}

export interface ForeignHit {
  /** Which foreign server was reached. */
  origin: 'otherHost' | 'otherPort';
  method: string;
  /** Path and query. */
  path: string;
  /** Whether an `Authorization` header reached the foreign origin (its value is never kept). */
  authorization: boolean;
  auth: AuthScheme;
  /** Whether a `DPoP` proof header came along. */
  dpop: boolean;
  /** Whether the body held a `client_assertion`. */
  clientAssertion: boolean;
}

export interface FakeOrgOptions {
  /** System Log events, any order; served sorted by `published`. */
  events?: LogEvent[];
  /** Valid SSWS tokens. Default: one random token, exposed as `org.token`. */
  tokens?: string[];
  oauthClients?: OAuthClientRegistration[];
  /** Lifetime of issued access tokens in seconds, reported as `expires_in` (a fraction is allowed, for tests). Default 3600, as Okta. */
  tokenLifetimeS?: number;
  /** How often the token endpoint mints a new DPoP nonce; each stays valid for three such periods. Default 24 h, as Okta. */
  dpopNonceRotateMs?: number;
  /**
   * The APIs ask DPoP-bound requests for a nonce of their own, as RFC 9449 §9 allows a resource server
   * (Okta's docs describe nonces at the token endpoint only): 401 `E0000011`, `WWW-Authenticate: DPoP
   * error="use_dpop_nonce"` and a `DPoP-Nonce` header when a valid proof lacks the current nonce or
   * carries another. Every answer to a DPoP-bound request names the current nonce. Null (default): never.
   */
  apiDpopNonce?: ApiNonceOptions | null;
  /** Time from a request's arrival to its answer (or longer, when building the answer takes longer). */
  latencyMs?: number;
  /** Per endpoint; null (default) = unlimited, but headers still say limit 1,000,000. */
  rateLimit?: RateLimitOptions | null;
  /**
   * Compress bodies with gzip when the request accepts it, as Okta does; `Content-Length` is then the
   * compressed size. Default false.
   */
  gzip?: boolean;
  host?: string;
  port?: number;
  /** Org-wide requests in flight; null (default) = no limit. */
  concurrency?: ConcurrencyOptions | null;
  /**
   * Events API `next` links: `always` (default) as Okta serves them, on every page, empty ones
   * included; `untilEnd` only while more events remain.
   */
  eventsLinking?: 'always' | 'untilEnd';
  /**
   * System Log `next` links repeat `since` next to `after`, as Okta's do (default true); false drops
   * it, and then any `since` with `after` gets 400.
   */
  nextLinkSince?: boolean;
  /** Logs requests over a long time range time out; null (default) = never. */
  slowQuery?: SlowQueryOptions | null;
  /**
   * The org's users, served by `GET /api/v1/users` (see `generateUsers`). Without it the org has no
   * Users API and that path answers 404, as it always did here.
   */
  users?: OktaUser[];
  /**
   * Whether the Users API's `search` takes `lastLogin`. Okta's list of searchable top-level properties
   * leaves it out; scripts in the wild use it. `rejected` (default): 400 E0000031, as for any
   * unsupported property; `supported`: compared as an instant, a null `lastLogin` never matching `lt`/`gt`.
   */
  usersSearchLastLogin?: 'rejected' | 'supported';
}

/** Okta's user statuses (`UserStatus` in the SDK's generated models). */
export type UserStatus = 'STAGED' | 'PROVISIONED' | 'ACTIVE' | 'RECOVERY' | 'LOCKED_OUT' | 'PASSWORD_EXPIRED' | 'SUSPENDED' | 'DEPROVISIONED';

/**
 * A user as `GET /api/v1/users` serialises one, in Okta's field order; the server adds
 * `_links.self`. Instants are ISO 8601 with milliseconds, UTC.
 */
export interface OktaUser {
  id: string;
  status: UserStatus;
  created: string;
  /** Null while STAGED. */
  activated: string | null;
  statusChanged: string | null;
  /** The latest successful sign-in; null if the user never signed in. */
  lastLogin: string | null;
  lastUpdated: string;
  passwordChanged: string | null;
  type: { id: string };
  profile: {
    firstName: string | null;
    lastName: string | null;
    mobilePhone: string | null;
    secondEmail: string | null;
    login: string;
    email: string;
    /** Optional in Okta's profile schema; null for some generated users. */
    displayName: string | null;
  };
  credentials: { password?: Record<string, never>; provider: { type: string; name: string } };
}

export interface FakeOrg {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  readonly url: string;
  /** The first valid SSWS token. */
  readonly token: string;
  readonly stats: FakeOrgStats;
  readonly requests: RequestRecord[];
  readonly foreignHits: ForeignHit[];
  close(): Promise<void>;
  setEvents(events: LogEvent[]): void;
  /** Late-arriving events: merged into the timeline wherever their `published` puts them. */
  appendEvents(events: LogEvent[]): void;
  /** Replaces the users `GET /api/v1/users` serves; `undefined` takes the Users API away (404). */
  setUsers(users: OktaUser[] | undefined): void;
  revokeToken(token: string): void;
  injectFault(fault: Fault): void;
  /** Faults not yet consumed. */
  pendingFaults(): number;
  /** Changes these conditions from the next request on (a new rate limit starts with fresh windows and window stats). */
  configure(conditions: Pick<FakeOrgOptions, 'latencyMs' | 'rateLimit' | 'concurrency' | 'slowQuery'>): void;
  /** The origins of the two foreign servers (started on first use), for redirect and foreignNext tests. */
  foreignOrigins(): Promise<{ otherHost: string; otherPort: string }>;
}
