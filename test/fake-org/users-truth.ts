/**
 * The expected answers about users, computed the plainest way and independently of the product:
 * who in the given statuses did not sign in during a month, and who has not signed in for N days.
 * Which statuses are billable is the caller's to say.
 */
import { monthBounds } from './generator';
import { groundTruth, type TruthEvent } from './truth';
import type { OktaUser, UserStatus } from './types';

export interface InactiveQuery {
  /** `YYYY-MM`, a UTC calendar month; or give `since` and `until`. */
  month?: string;
  since?: Date | string | number;
  until?: Date | string | number;
  statuses: readonly UserStatus[];
  /** Event types that count as a sign-in. Default `user.session.start`, as `groundTruth`. */
  eventTypes?: string[];
}

/**
 * Ids, sorted, of users in `statuses` with no successful sign-in (a SUCCESS event of a counted type by
 * a User actor, since <= published < until) in the window.
 */
export function inactiveInMonth(users: readonly OktaUser[], events: Iterable<TruthEvent>, query: InactiveQuery): string[] {
  const window = query.month !== undefined ? monthBounds(query.month) : { since: query.since, until: query.until };
  if (window.since === undefined || window.until === undefined) throw new Error('give a month, or since and until');
  const active = groundTruth(events, { since: window.since, until: window.until, eventTypes: query.eventTypes }).users;
  const statuses = new Set(query.statuses);
  return users.filter((u) => statuses.has(u.status) && !Object.hasOwn(active, u.id)).map((u) => u.id).sort();
}

export interface DormantQuery {
  days: number;
  /** The instant the days are counted back from. */
  at: Date | string | number;
  statuses: readonly UserStatus[];
}

/**
 * Ids, sorted, of users in `statuses` whose `lastLogin` is null or strictly earlier than `days` whole
 * days before `at` (a sign-in exactly at the cut-off is recent enough).
 */
export function dormantUsers(users: readonly OktaUser[], query: DormantQuery): string[] {
  const at = query.at instanceof Date ? query.at.getTime() : typeof query.at === 'number' ? query.at : Date.parse(query.at);
  if (!Number.isFinite(at)) throw new Error(`not an instant: ${String(query.at)}`);
  const cutoff = at - query.days * 86_400_000;
  const statuses = new Set(query.statuses);
  return users.filter((u) => statuses.has(u.status) && (u.lastLogin === null || Date.parse(u.lastLogin) < cutoff)).map((u) => u.id).sort();
}
