/**
 * Turns a compact event record (kind, user, instant, salt) into a full System Log event. Details
 * (IP, browser, session ids, …) are derived from the salt, so a million-event org keeps only a few
 * bytes per event and renders each one on demand.
 */
import { AGENTS, APPS, FAILURE_REASONS, MISTYPED, PLACES, type Place } from './catalog';
import { hash32, hexFrom, isoFrom, oktaId, pick, uuidFrom } from './prng';
import { CUSTOMER_IDENTITY_EVENT_TYPES } from './truth';
import type { GeographicalContext, LogActor, LogEvent, LogTarget } from './types';

export enum Kind {
  SessionOk = 0,
  SessionFail = 1,
  SessionFailUnknown = 2,
  Sso = 3,
  Policy = 4,
  SessionEnd = 5,
  TokenGrant = 6,
  Mfa = 7,
  SessionOkNonUser = 8,
  AppTokenGrant = 9,
  /** A successful OAuth 2.0 / OIDC token grant to a user: one of `USER_GRANT_TYPES`, by the salt. */
  UserGrant = 10,
  /** A successful refresh-token grant to a user (custom or org authorization server, by the salt). */
  UserRefreshGrant = 11,
  /** A client-credentials grant: the actor is the app (`PublicClientApp`), no user is involved. */
  ClientCredentialsGrant = 12,
  /** A refused token request of a user: Okta's `app.oauth2.(as.)token.grant` FAILURE, or a counted type with FAILURE. */
  UserGrantFail = 13,
  /** A user's token revoked: `app.oauth2.(as.)token.revoke`, an OAuth event that is not a grant. */
  UserTokenRevoke = 14,
}

/**
 * The OAuth 2.0 / OIDC events of a token issued to a user, as Okta's Event Types catalog names them
 * (the `_success` legacy types map to these): the ground truth's Customer Identity list without the
 * session, so the generator and the truth share one list, apart from the product's.
 */
export const USER_GRANT_TYPES = CUSTOMER_IDENTITY_EVENT_TYPES.filter((t) => t !== 'user.session.start');

/** What a grant event's `displayMessage` says: custom authorization servers (`as`) say OAuth2, the org's says OIDC. */
function grantMessage(eventType: string): string {
  const issuer = eventType.startsWith('app.oauth2.as.') ? 'OAuth2' : 'OIDC';
  const token = eventType.endsWith('id_token') ? 'id token' : eventType.endsWith('refresh_token') ? 'refresh token' : 'access token';
  return eventType.includes('.implicit.') ? `${issuer} ${token} is issued via the implicit flow` : `${issuer} ${token} is granted`;
}

/** The event type of a token kind's event, chosen by the salt. */
function grantType(kind: Kind, salt: number): string {
  switch (kind) {
    case Kind.UserRefreshGrant:
      return (salt >>> 5) & 1 ? 'app.oauth2.token.grant.refresh_token' : 'app.oauth2.as.token.grant.refresh_token';
    case Kind.ClientCredentialsGrant:
      return (salt >>> 4) & 1 ? 'app.oauth2.token.grant.access_token' : 'app.oauth2.as.token.grant.access_token';
    case Kind.UserGrantFail:
      if (salt % 4 === 0) return USER_GRANT_TYPES[(salt >>> 2) % USER_GRANT_TYPES.length];
      return (salt >>> 2) & 1 ? 'app.oauth2.token.grant' : 'app.oauth2.as.token.grant';
    case Kind.UserTokenRevoke:
      return (salt >>> 3) & 1 ? 'app.oauth2.token.revoke' : 'app.oauth2.as.token.revoke';
    default:
      return USER_GRANT_TYPES[salt % USER_GRANT_TYPES.length];
  }
}

/** Kinds whose actor is an app, not one of the org's users. */
const APP_ACTOR = new Set([Kind.SessionOkNonUser, Kind.AppTokenGrant, Kind.ClientCredentialsGrant]);

export interface UserTable {
  ids: string[];
  logins: string[];
  names: string[];
}

const BEHAVIORS =
  '{New Geo-Location=NEGATIVE, New Device=NEGATIVE, New IP=NEGATIVE, New State=NEGATIVE, New Country=NEGATIVE, Velocity=NEGATIVE, New City=NEGATIVE}';

function geo(place: Place): GeographicalContext {
  return {
    city: place.city,
    state: place.state,
    country: place.country,
    postalCode: place.postalCode,
    geolocation: { lat: place.lat, lon: place.lon },
  };
}

const hex = hexFrom;

/** The per-kind parts of an event; everything else is shared. */
interface KindSpec {
  eventType: string;
  displayMessage: string;
  legacy: string | null;
  severity: LogEvent['severity'];
  result: string;
  reason: string | null;
}

function spec(kind: Kind, salt: number): KindSpec {
  switch (kind) {
    case Kind.SessionOk:
    case Kind.SessionOkNonUser:
      return { eventType: 'user.session.start', displayMessage: 'User login to Okta', legacy: 'core.user_auth.login_success', severity: 'INFO', result: 'SUCCESS', reason: null };
    case Kind.SessionFail:
      return { eventType: 'user.session.start', displayMessage: 'User login to Okta', legacy: 'core.user_auth.login_failed', severity: 'WARN', result: 'FAILURE', reason: FAILURE_REASONS[salt % FAILURE_REASONS.length] };
    case Kind.SessionFailUnknown:
      return { eventType: 'user.session.start', displayMessage: 'User login to Okta', legacy: 'core.user_auth.login_failed', severity: 'WARN', result: 'FAILURE', reason: FAILURE_REASONS[salt % 2] };
    case Kind.Sso:
      return { eventType: 'user.authentication.sso', displayMessage: 'User single sign on to app', legacy: 'app.auth.sso', severity: 'INFO', result: 'SUCCESS', reason: null };
    case Kind.Policy:
      return { eventType: 'policy.evaluate_sign_on', displayMessage: 'Evaluation of sign-on policy', legacy: null, severity: 'INFO', result: 'ALLOW', reason: 'Sign-on policy evaluation resulted in ALLOW' };
    case Kind.SessionEnd:
      return { eventType: 'user.session.end', displayMessage: 'User logout from Okta', legacy: 'core.user_auth.logout_success', severity: 'INFO', result: 'SUCCESS', reason: null };
    case Kind.TokenGrant:
    case Kind.AppTokenGrant:
      return { eventType: 'app.oauth2.as.token.grant.access_token', displayMessage: 'OAuth2 access token is granted', legacy: null, severity: 'INFO', result: 'SUCCESS', reason: null };
    case Kind.Mfa:
      return { eventType: 'user.authentication.auth_via_mfa', displayMessage: 'Authentication of user via MFA', legacy: 'core.user.factor.attempt_success', severity: 'INFO', result: 'SUCCESS', reason: null };
    case Kind.UserGrant:
    case Kind.UserRefreshGrant:
    case Kind.ClientCredentialsGrant: {
      const eventType = grantType(kind, salt);
      return { eventType, displayMessage: grantMessage(eventType), legacy: `${eventType}_success`, severity: 'INFO', result: 'SUCCESS', reason: null };
    }
    case Kind.UserGrantFail: {
      const eventType = grantType(kind, salt);
      // Okta logs a refused token request as `app.oauth2.(as.)token.grant` (legacy `…grant_failure`); a
      // counted type with FAILURE is the fake's trap for a client that trusts the type alone.
      const okta = !(USER_GRANT_TYPES as readonly string[]).includes(eventType);
      const issuer = eventType.startsWith('app.oauth2.as.') ? 'OAuth2' : 'OIDC';
      return { eventType, displayMessage: `${issuer} token request is rejected`, legacy: okta ? `${eventType}_failure` : null, severity: 'WARN', result: 'FAILURE', reason: 'invalid_grant' };
    }
    case Kind.UserTokenRevoke: {
      const eventType = grantType(kind, salt);
      return { eventType, displayMessage: `${eventType.startsWith('app.oauth2.as.') ? 'OAuth2' : 'OIDC'} token is revoked`, legacy: `${eventType}_success`, severity: 'INFO', result: 'SUCCESS', reason: null };
    }
  }
}

function actorFor(kind: Kind, userIdx: number, users: UserTable, salt: number): LogActor {
  if (kind === Kind.SessionFailUnknown) {
    return { id: 'unknown', type: 'User', alternateId: pick(MISTYPED, (salt % 1000) / 1000), displayName: 'unknown', detailEntry: null };
  }
  if (kind === Kind.SessionOkNonUser || kind === Kind.AppTokenGrant) {
    const app = APPS[salt % APPS.length];
    const type = salt % 3 === 0 ? 'SystemPrincipal' : 'PublicClientApp';
    return { id: app.id, type, alternateId: app.label, displayName: app.label, detailEntry: null };
  }
  if (kind === Kind.ClientCredentialsGrant) {
    // The client credentials flow has no user: the service app asks for a token for itself.
    const app = APPS[salt % APPS.length];
    return { id: app.id, type: 'PublicClientApp', alternateId: app.id, displayName: app.label, detailEntry: null };
  }
  return { id: users.ids[userIdx], type: 'User', alternateId: users.logins[userIdx], displayName: users.names[userIdx], detailEntry: null };
}

function targetsFor(kind: Kind, userIdx: number, users: UserTable, salt: number, pubMs: number): LogTarget[] | null {
  const app = APPS[(salt >>> 3) % APPS.length];
  switch (kind) {
    case Kind.Sso:
      return [
        { id: app.id, type: 'AppInstance', alternateId: app.label, displayName: app.name, detailEntry: { signOnModeType: 'SAML_2_0' } },
        { id: oktaId('0ua', userIdx, app.id.length), type: 'AppUser', alternateId: users.logins[userIdx], displayName: users.names[userIdx], detailEntry: null },
      ];
    case Kind.Policy:
      return [
        { id: '00p1default0policy0x', type: 'PolicyEntity', alternateId: 'unknown', displayName: 'Default Policy', detailEntry: { policyType: 'OktaSignOn' } },
        { id: '0pr1catchall0rule00x', type: 'PolicyRule', alternateId: '00p1default0policy0x', displayName: 'Catch-all Rule', detailEntry: null },
      ];
    case Kind.TokenGrant:
    case Kind.AppTokenGrant:
      return [
        {
          id: `AT.${hex(40, salt, 7)}`,
          type: 'access_token',
          alternateId: 'Access Token',
          displayName: 'Access Token',
          detailEntry: { expires: new Date(pubMs + 3_600_000).toISOString(), subject: kind === Kind.TokenGrant ? users.ids[userIdx] : app.id, hash: hex(22, salt, 9) },
        },
      ];
    case Kind.UserGrant:
    case Kind.UserRefreshGrant:
    case Kind.ClientCredentialsGrant:
    case Kind.UserGrantFail:
    case Kind.UserTokenRevoke: {
      const eventType = grantType(kind, salt);
      const token = eventType.endsWith('id_token') ? ['id_token', 'ID Token', 'ID'] : eventType.endsWith('refresh_token') ? ['refresh_token', 'Refresh Token', 'RT'] : ['access_token', 'Access Token', 'AT'];
      const subject = kind === Kind.ClientCredentialsGrant ? app.id : users.ids[userIdx];
      return [
        {
          id: `${token[2]}.${hex(40, salt, 7)}`,
          type: token[0],
          alternateId: token[1],
          displayName: token[1],
          detailEntry: { expires: new Date(pubMs + 3_600_000).toISOString(), subject, hash: hex(22, salt, 9) },
        },
      ];
    }
    default:
      return null;
  }
}

/** Where a token kind's request went: the org's or a custom authorization server, its authorize or token endpoint. */
function grantUri(eventType: string): string {
  const server = eventType.startsWith('app.oauth2.as.') ? '/oauth2/default/v1' : '/oauth2/v1';
  if (eventType.includes('.revoke')) return `${server}/revoke`;
  return eventType.includes('.authorize.') ? `${server}/authorize` : `${server}/token`;
}

/** Everything about an event that is derived from its record rather than stored. */
interface Details {
  s: KindSpec;
  placeIdx: number;
  agentIdx: number;
  ip: string;
  sessionId: string;
  requestId: string;
  uri: string;
  travelling: boolean;
  published: string;
  uuid: string;
  dtHash: string;
}

function derive(kind: Kind, userIdx: number, pubMs: number, salt: number, seq: number, seed: number): Details {
  const s = spec(kind, salt);
  const userBound = kind !== Kind.SessionFailUnknown && !APP_ACTOR.has(kind);
  const home = userBound ? hash32(seed, userIdx) : salt;
  // Most sign-ins come from a person's usual place and browser; some from elsewhere.
  const travelling = (salt & 15) === 0;
  const placeIdx = (travelling ? salt >>> 4 : home) % PLACES.length;
  const requestId = oktaId('aA', salt, seq) + hex(7, seq, salt);
  return {
    s,
    placeIdx,
    agentIdx: ((salt & 7) < 6 ? home >>> 8 : salt >>> 8) % AGENTS.length,
    ip: `${PLACES[placeIdx].net}.${(home >>> 16) & 255}.${(travelling ? salt : home) & 255}`,
    sessionId: oktaId('102', home, Math.floor(pubMs / 86_400_000)) + hex(5, salt, seq),
    requestId,
    uri:
      kind >= Kind.UserGrant
        ? grantUri(s.eventType)
        : s.eventType === 'user.session.start'
          ? '/idp/idx/identify'
          : s.eventType === 'user.authentication.sso'
            ? `/app/${(salt >>> 3) % APPS.length}/sso/saml`
            : '/oauth2/v1/token',
    travelling,
    published: isoFrom(pubMs),
    uuid: uuidFrom(seed ^ 0x0c7a, seq),
    dtHash: hex(64, salt, seq ^ 0x5a5a),
  };
}

const authContext = (kind: Kind, sessionId: string) => ({
  authenticationProvider: kind === Kind.Mfa ? 'FACTOR_PROVIDER' : 'OKTA_AUTHENTICATION_PROVIDER',
  credentialProvider: kind === Kind.Mfa ? 'OKTA_CREDENTIAL_PROVIDER' : null,
  credentialType: kind === Kind.Mfa ? 'OTP' : 'PASSWORD',
  issuer: null,
  interface: null,
  authenticationStep: 0,
  rootSessionId: sessionId,
  externalSessionId: sessionId,
});

const security = (place: Place) => ({ asNumber: place.asNumber, asOrg: place.isp, isp: place.isp, domain: place.domain, isProxy: false });
const riskText = (travelling: boolean) => (travelling ? '{level=MEDIUM, reasons=Anomalous Location}' : '{level=LOW}');

/** Renders one event as an object. Pure: the same record always gives the same event. */
export function renderEvent(kind: Kind, userIdx: number, pubMs: number, salt: number, seq: number, seed: number, users: UserTable): LogEvent {
  const d = derive(kind, userIdx, pubMs, salt, seq, seed);
  const place = PLACES[d.placeIdx];
  const agent = AGENTS[d.agentIdx];
  const g = geo(place);
  return {
    actor: actorFor(kind, userIdx, users, salt),
    client: {
      userAgent: { rawUserAgent: agent.raw, os: agent.os, browser: agent.browser },
      zone: 'null',
      device: agent.device,
      id: null,
      ipAddress: d.ip,
      geographicalContext: g,
    },
    device: null,
    authenticationContext: authContext(kind, d.sessionId),
    displayMessage: d.s.displayMessage,
    eventType: d.s.eventType,
    outcome: { result: d.s.result, reason: d.s.reason },
    published: d.published,
    securityContext: security(place),
    severity: d.s.severity,
    debugContext: {
      debugData: {
        requestId: d.requestId,
        requestUri: d.uri,
        url: `${d.uri}?`,
        threatSuspected: 'false',
        behaviors: BEHAVIORS,
        risk: riskText(d.travelling),
        dtHash: d.dtHash,
      },
    },
    legacyEventType: d.s.legacy,
    transaction: { type: 'WEB', id: d.requestId, detail: {} },
    uuid: d.uuid,
    version: '0',
    request: { ipChain: [{ ip: d.ip, geographicalContext: g, version: 'V4', source: null }] },
    target: targetsFor(kind, userIdx, users, salt, pubMs),
  };
}

// Fragments that repeat across events, serialised once.
const GEO_JSON = PLACES.map((p) => JSON.stringify(geo(p)));
const SECURITY_JSON = PLACES.map((p) => JSON.stringify(security(p)));
const AGENT_JSON = AGENTS.map((a) => JSON.stringify({ rawUserAgent: a.raw, os: a.os, browser: a.browser }));
const authPrefix = (kind: Kind) => JSON.stringify(authContext(kind, '')).replace(/"rootSessionId".*$/, '');
const AUTH_MFA = authPrefix(Kind.Mfa);
const AUTH_PASSWORD = authPrefix(Kind.SessionOk);
const actorCache = new WeakMap<UserTable, (string | undefined)[]>();

/**
 * The same event straight to JSON text, several times faster than building the object and
 * calling JSON.stringify; a unit test holds the two renderers to byte-for-byte equality.
 */
export function renderJson(kind: Kind, userIdx: number, pubMs: number, salt: number, seq: number, seed: number, users: UserTable): string {
  const d = derive(kind, userIdx, pubMs, salt, seq, seed);
  let actor: string | undefined;
  if (userIdx >= 0 && kind !== Kind.SessionFailUnknown) {
    let cache = actorCache.get(users);
    if (!cache) actorCache.set(users, (cache = []));
    actor = cache[userIdx] ??= JSON.stringify(actorFor(kind, userIdx, users, salt));
  } else actor = JSON.stringify(actorFor(kind, userIdx, users, salt));
  const agent = AGENTS[d.agentIdx];
  const g = GEO_JSON[d.placeIdx];
  const s = d.s;
  return (
    `{"actor":${actor},"client":{"userAgent":${AGENT_JSON[d.agentIdx]},"zone":"null","device":"${agent.device}","id":null,"ipAddress":"${d.ip}","geographicalContext":${g}},` +
    `"device":null,"authenticationContext":${kind === Kind.Mfa ? AUTH_MFA : AUTH_PASSWORD}"rootSessionId":"${d.sessionId}","externalSessionId":"${d.sessionId}"},` +
    `"displayMessage":"${s.displayMessage}","eventType":"${s.eventType}",` +
    `"outcome":{"result":"${s.result}","reason":${s.reason === null ? 'null' : `"${s.reason}"`}},"published":"${d.published}","securityContext":${SECURITY_JSON[d.placeIdx]},` +
    `"severity":"${s.severity}","debugContext":{"debugData":{"requestId":"${d.requestId}","requestUri":"${d.uri}","url":"${d.uri}?","threatSuspected":"false",` +
    `"behaviors":"${BEHAVIORS}","risk":"${riskText(d.travelling)}","dtHash":"${d.dtHash}"}},"legacyEventType":${s.legacy === null ? 'null' : `"${s.legacy}"`},` +
    `"transaction":{"type":"WEB","id":"${d.requestId}","detail":{}},"uuid":"${d.uuid}","version":"0",` +
    `"request":{"ipChain":[{"ip":"${d.ip}","geographicalContext":${g},"version":"V4","source":null}]},"target":${JSON.stringify(targetsFor(kind, userIdx, users, salt, pubMs))}}`
  );
}

/** The fields most filters touch, without building the rest of the event. */
export function renderLight(kind: Kind, userIdx: number, salt: number, seq: number, seed: number, users: UserTable): Partial<LogEvent> {
  const s = spec(kind, salt);
  return {
    actor: actorFor(kind, userIdx, users, salt),
    eventType: s.eventType,
    outcome: { result: s.result, reason: s.reason },
    severity: s.severity,
    legacyEventType: s.legacy,
    uuid: uuidFrom(seed ^ 0x0c7a, seq),
  };
}

/** Paths `renderLight` answers exactly. Filters on anything else render the full event. */
export const LIGHT_PATHS = new Set([
  'actor.id', 'actor.type', 'actor.alternateId', 'actor.displayName', 'actor.detailEntry',
  'eventType', 'outcome.result', 'outcome.reason', 'severity', 'legacyEventType', 'uuid',
]);
