/** Elements of the Users tree: plain data with a link to the parent, turned into TreeItems on demand. */
import type { UserActivity } from '../../core/types';
import { compareText, compareUsers } from '../../core/aggregate';
import { dateTimeLabel } from '../../core/reportFacts';
import type { OrgUser } from '../../core/users';
import type { StoredReport } from '../resultStore';

export type SortMode = 'sessions' | 'leastActive' | 'alphabetical' | 'recent';

interface Base {
  orgId: string;
}

export interface OrgNode extends Base {
  kind: 'org';
  orgUrl: string;
  active: boolean;
  hasResults: boolean;
}

export interface NotCountedNode extends Base {
  kind: 'notCounted';
  parent: OrgNode;
}

export interface MonthNode extends Base {
  kind: 'month';
  month: string;
  parent: OrgNode;
  /** Summary only; the users are read from the result store when the month expands. */
  /** For a month counted to date: where it will end (`≈ 3,400 by Nov 30 (3,250–3,560)`). */
  projection?: string;
  summary: Pick<StoredReport, 'mau' | 'complete' | 'partialReason' | 'countedAt' | 'events' | 'since' | 'until' | 'incremental' | 'fetchedUntil' | 'requests' | 'skippedEvents'> &
    Partial<Pick<StoredReport, 'source' | 'eventTypes'>>;
  /** The filter in force when the node was made, and how many of the month's users it lets through. */
  filter?: FilterCount;
}

export interface FilterCount {
  text: string;
  matches: number;
}

export interface UserNode extends Base {
  kind: 'user';
  month: string;
  parent: MonthNode;
  user: UserActivity;
}

/** Licensed users who did not use their licence: `inactive` in the month, or `dormant` by `lastLogin`. */
export type UserGroup = 'inactive' | 'dormant';

/** Under a month before the org's users were listed: a row that lists them. */
export interface ListUsersNode extends Base {
  kind: 'listUsers';
  month: string;
  parent: MonthNode;
  /** The running listing's progress line, while one runs. */
  running?: string;
  /** What to grant, when the credential was refused the Users API. */
  refusal?: string;
  /** Licensed statuses (`oktaMau.licensedStatuses`) the saved listing lacks: the users are to be listed again. */
  missing?: string[];
}

/** "Not active in November (412)" or "Dormant for 90 days (37)", from the saved listing. */
export interface GroupNode extends Base {
  kind: 'group';
  what: UserGroup;
  month: string;
  parent: MonthNode;
  /** Users in the group, before any filter. */
  total: number;
  /** Users in the listed statuses, and how many of them were active (`InactiveReport`). */
  licensed: number;
  active: number;
  statuses: string[];
  /** For `dormant`: no sign-in for this many days before `listedAt`. */
  days?: number;
  /** When the users were listed. */
  listedAt: string;
  /** The month is counted to date ("so far"): someone listed may still sign in before it ends. */
  toDate: boolean;
  /** The month's count is partial: some users listed may have signed in. */
  partial: boolean;
  /** The filter in force when the node was made, and how many of the group it lets through. */
  filter?: FilterCount;
}

/** A user from the listing, in a group. */
export interface OrgUserNode extends Base {
  kind: 'orgUser';
  month: string;
  parent: GroupNode;
  user: OrgUser;
}

export interface MoreNode extends Base {
  kind: 'more';
  month: string;
  parent: MonthNode | GroupNode;
  shown: number;
  remaining: number;
}

/** In place of the users when the filter lets none of a month's (or a group's) users through. */
export interface NoMatchNode extends Base {
  kind: 'noMatch';
  month: string;
  parent: MonthNode | GroupNode;
  filter: string;
}

export interface DetailNode extends Base {
  kind: 'detail';
  parent: UserNode | OrgUserNode;
  key: string;
  label: string;
  value: string;
}

export type Node = OrgNode | NotCountedNode | MonthNode | ListUsersNode | GroupNode | UserNode | OrgUserNode | MoreNode | NoMatchNode | DetailNode;

/** Stable ids, so expansion and selection survive refreshes, re-sorting and recounts. */
export function nodeId(node: Node): string {
  switch (node.kind) {
    case 'org':
      return `org/${node.orgId}`;
    case 'notCounted':
      return `org/${node.orgId}/not-counted`;
    case 'month':
      return `org/${node.orgId}/${node.month}`;
    case 'listUsers':
      return `org/${node.orgId}/${node.month}/list-users`;
    case 'group':
      return `org/${node.orgId}/${node.month}/${node.what}`;
    case 'user':
      return `org/${node.orgId}/${node.month}/user/${node.user.id}`;
    case 'orgUser':
      return `${nodeId(node.parent)}/user/${node.user.id}`;
    case 'more':
      return `${nodeId(node.parent)}/more`;
    case 'noMatch':
      return `${nodeId(node.parent)}/no-match`;
    case 'detail':
      return `${nodeId(node.parent)}/${node.key}`;
  }
}

/** For the alphabetical order people expect; one collator, since `localeCompare` builds one per call. */
const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });
const byLogin = (a: UserActivity, b: UserActivity) => compareText(a.login, b.login) || compareText(a.id, b.id);

export function sortUsers(users: readonly UserActivity[], mode: SortMode): UserActivity[] {
  const sorted = [...users];
  switch (mode) {
    case 'sessions':
      // The core's own order: reports arrive sorted this way, and sorting sorted input is linear.
      return sorted.sort(compareUsers);
    case 'leastActive':
      return sorted.sort((a, b) => a.activeDays - b.activeDays || a.sessions - b.sessions || byLogin(a, b));
    case 'alphabetical':
      return sorted.sort((a, b) => collator.compare(a.displayName || a.login, b.displayName || b.login) || byLogin(a, b));
    case 'recent':
      return sorted.sort((a, b) => compareText(b.lastSeen, a.lastSeen) || byLogin(a, b));
  }
}

/**
 * Listed users in the order the sort modes mean for people who did not sign in: by default (and
 * "least active") the longest without a sign-in first, those who never signed in before all; "most
 * recent" the latest sign-in first; "alphabetical" by name, as for active users.
 */
export function sortOrgUsers(users: readonly OrgUser[], mode: SortMode): OrgUser[] {
  const sorted = [...users];
  const byLogin = (a: OrgUser, b: OrgUser) => compareText(a.login, b.login) || compareText(a.id, b.id);
  // `null` (never) sorts before every instant; ISO instants in UTC sort as text.
  const last = (u: OrgUser) => u.lastLogin ?? '';
  switch (mode) {
    case 'sessions':
    case 'leastActive':
      return sorted.sort((a, b) => compareText(last(a), last(b)) || byLogin(a, b));
    case 'recent':
      return sorted.sort((a, b) => compareText(last(b), last(a)) || byLogin(a, b));
    case 'alphabetical':
      return sorted.sort((a, b) => collator.compare(a.displayName || a.login, b.displayName || b.login) || byLogin(a, b));
  }
}

/** What a filter reads of a user, active (`UserActivity`) or listed (`OrgUser`). */
export type Named = Pick<UserActivity, 'login' | 'displayName'>;

/** Case-insensitive match on login or display name; everyone passes an empty or blank filter. */
export function userFilter(filter: string): (user: Named) => boolean {
  const f = filter.trim().toLowerCase();
  return f ? (u) => u.login.toLowerCase().includes(f) || u.displayName.toLowerCase().includes(f) : () => true;
}

export function matchesFilter(user: Named, filter: string): boolean {
  return userFilter(filter)(user);
}

/** How many of `users` the filter lets through: the count the month row shows ("12 of 3,412 match"). */
export function countMatches(users: readonly Named[], filter: string): number {
  const matches = userFilter(filter);
  let n = 0;
  for (const u of users) if (matches(u)) n++;
  return n;
}

/** `Paris, France`; a place named once when city and country share the name (`Singapore`, not `Singapore, Singapore`). */
export function placeName(city: string | undefined, country: string | undefined): string | undefined {
  const parts = [city, country].map((p) => p?.trim()).filter((p): p is string => !!p);
  const unique = parts.filter((p, i) => parts.findIndex((q) => q.toLowerCase() === p.toLowerCase()) === i);
  return unique.length > 0 ? unique.join(', ') : undefined;
}

/**
 * `Dec 2, 9:14 AM` (in `en`; `2. Dez., 09:14` in `de`): an instant of a user's activity, by the core's
 * `dateTimeLabel`. The year is left out: the instant lies in the month the row sits under. The caller
 * says "UTC" once.
 */
export function seenTime(iso: string, locale: string): string {
  return dateTimeLabel(iso, locale, 'day-time');
}

/**
 * `Dec 2, 2025, 9:14 AM` (in `en`): an instant of a listed user's account (created, last sign-in,
 * password changed), which may lie years back, so with the year; on the org's UTC clock, said once by
 * the caller.
 */
export function accountTime(iso: string, locale: string): string {
  return dateTimeLabel(iso, locale, 'day-time-year');
}

/** `Dec 2, 2025`: the UTC day of a listed user's last sign-in, where a row has little room. */
export function accountDay(iso: string, locale: string): string {
  return dateTimeLabel(iso, locale, 'day-year');
}
