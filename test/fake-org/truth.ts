/**
 * The expected answer, computed the plainest way possible and independently of the product's code:
 * a user is active when a User actor has a SUCCESS event of a counted type with
 * since <= published < until; events are deduplicated by uuid.
 */
import type { LogEvent } from './types';

/** What each definition of "active" counts, written out here and never taken from the product. */
export const SIGN_IN_EVENT_TYPES = ['user.session.start'] as const;

/**
 * Customer Identity MAU as the Okta IAM SE blog "Counting aMAUs from System Logs" lists it
 * (https://iamse.blog/2023/02/20/counting-amaus-from-system-logs/): a session, or a token for the user
 * ("SSO MAU Events" and "API Access Management Events").
 */
export const CUSTOMER_IDENTITY_EVENT_TYPES = [
  'user.session.start',
  'app.oauth2.as.authorize.implicit.id_token',
  'app.oauth2.as.token.grant.id_token',
  'app.oauth2.as.token.grant.refresh_token',
  'app.oauth2.authorize.implicit.id_token',
  'app.oauth2.authorize.implicit.access_token',
  'app.oauth2.token.grant.access_token',
  'app.oauth2.token.grant.id_token',
  'app.oauth2.token.grant.refresh_token',
  'app.oauth2.as.authorize.implicit.access_token',
  'app.oauth2.as.token.grant.access_token',
] as const;

export interface TruthUser {
  login: string;
  displayName: string;
  sessions: number;
  activeDays: number;
  firstSeen: string;
  lastSeen: string;
}

export interface GroundTruth {
  mau: number;
  /** Counted events after de-duplication. */
  events: number;
  users: Record<string, TruthUser>;
}

export interface TruthWindow {
  since: Date | string | number;
  until: Date | string | number;
  eventTypes?: string[];
}

function toMs(t: Date | string | number): number {
  const ms = t instanceof Date ? t.getTime() : typeof t === 'number' ? t : Date.parse(t);
  if (!Number.isFinite(ms)) throw new Error(`not an instant: ${String(t)}`);
  return ms;
}

/** The fields the truth reads; full events qualify. */
export type TruthEvent = Pick<LogEvent, 'eventType' | 'outcome' | 'actor' | 'uuid' | 'published'>;

export function groundTruth(events: Iterable<TruthEvent>, window: TruthWindow): GroundTruth {
  const since = toMs(window.since);
  const until = toMs(window.until);
  const types = new Set(window.eventTypes ?? ['user.session.start']);
  const seen = new Set<string>();
  const users: Record<string, TruthUser> = {};
  const days: Record<string, Set<string>> = {};
  let counted = 0;
  for (const ev of events) {
    const at = Date.parse(ev.published);
    if (!(at >= since && at < until)) continue;
    if (!types.has(ev.eventType)) continue;
    if (ev.outcome?.result !== 'SUCCESS') continue;
    if (ev.actor?.type !== 'User') continue;
    if (seen.has(ev.uuid)) continue;
    seen.add(ev.uuid);
    counted++;
    const id = ev.actor.id;
    const iso = new Date(at).toISOString();
    const u = (users[id] ??= { login: ev.actor.alternateId ?? '', displayName: ev.actor.displayName ?? '', sessions: 0, activeDays: 0, firstSeen: iso, lastSeen: iso });
    u.sessions++;
    if (iso < u.firstSeen) u.firstSeen = iso;
    if (iso > u.lastSeen) u.lastSeen = iso;
    (days[id] ??= new Set()).add(iso.slice(0, 10));
    u.activeDays = days[id].size;
  }
  return { mau: Object.keys(users).length, events: counted, users };
}
