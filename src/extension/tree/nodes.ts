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
  summary: Pick<StoredReport, 'mau' | 'complete' | 'partialReason' | 'countedAt' | 'events' | 'since' | 'until' | 'incremental' | 'fetchedUntil' | 'requests' | 'skippedEvents'>;
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

export interface DetailNode extends Base {
  kind: 'detail';
  parent: UserNode;
  key: string;
  label: string;
  value: string;
}

export type Node = OrgNode | NotCountedNode | MonthNode | UserNode | MoreNode | DetailNode;

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

/** Case-insensitive match on login or display name. */
export function matchesFilter(user: UserActivity, filter: string): boolean {
  const f = filter.trim().toLowerCase();
  return !f || user.login.toLowerCase().includes(f) || user.displayName.toLowerCase().includes(f);
}
