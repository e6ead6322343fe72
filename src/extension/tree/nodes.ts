/** Elements of the Users tree: plain data with a link to the parent, turned into TreeItems on demand. */
import type { UserActivity } from '../../core/types';
import { compareText, compareUsers } from '../../core/aggregate';
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
  summary: Pick<StoredReport, 'mau' | 'complete' | 'partialReason' | 'countedAt' | 'events' | 'since' | 'until' | 'incremental' | 'fetchedUntil' | 'requests' | 'skippedEvents'>;
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

export interface MoreNode extends Base {
  kind: 'more';
  month: string;
  parent: MonthNode;
  shown: number;
  remaining: number;
}

/** In place of the users when the filter lets none of a month's users through. */
export interface NoMatchNode extends Base {
  kind: 'noMatch';
  month: string;
  parent: MonthNode;
  filter: string;
}

export interface DetailNode extends Base {
  kind: 'detail';
  parent: UserNode;
  key: string;
  label: string;
  value: string;
}

export type Node = OrgNode | NotCountedNode | MonthNode | UserNode | MoreNode | NoMatchNode | DetailNode;

/** Stable ids, so expansion and selection survive refreshes, re-sorting and recounts. */
export function nodeId(node: Node): string {
  switch (node.kind) {
    case 'org':
      return `org/${node.orgId}`;
    case 'notCounted':
      return `org/${node.orgId}/not-counted`;
    case 'month':
      return `org/${node.orgId}/${node.month}`;
    case 'user':
      return `org/${node.orgId}/${node.month}/user/${node.user.id}`;
    case 'more':
      return `org/${node.orgId}/${node.month}/more`;
    case 'noMatch':
      return `org/${node.orgId}/${node.month}/no-match`;
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

/** Case-insensitive match on login or display name; everyone passes an empty or blank filter. */
export function userFilter(filter: string): (user: UserActivity) => boolean {
  const f = filter.trim().toLowerCase();
  return f ? (u) => u.login.toLowerCase().includes(f) || u.displayName.toLowerCase().includes(f) : () => true;
}

export function matchesFilter(user: UserActivity, filter: string): boolean {
  return userFilter(filter)(user);
}

/** How many of `users` the filter lets through: the count the month row shows ("12 of 3,412 match"). */
export function countMatches(users: readonly UserActivity[], filter: string): number {
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
 * `Dec 2, 9:14 AM` (in `en`; `2. Dez., 09:14` in `de`): an instant of a user's activity as a person
 * reads it, in the reader's language but on the org's UTC clock, like the months and days around it.
 * The year is left out: the instant lies in the month the row sits under. The caller says "UTC" once.
 */
export function seenTime(iso: string, locale: string): string {
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) return iso;
  let format = seenFormats.get(locale);
  if (format === undefined) {
    format = new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZone: 'UTC' });
    seenFormats.set(locale, format);
  }
  return format.format(new Date(t));
}

/** Built once per locale: the tree formats two instants per user detail and tooltip. */
const seenFormats = new Map<string, Intl.DateTimeFormat>();
