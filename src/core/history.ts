import { compareText } from './aggregate';
import type { MauReport, UserActivity } from './types';

export interface MonthSummary {
  month: string;
  mau: number;
  complete: boolean;
  countedAt: string;
}

export interface NewVersusReturning {
  /** Active this month and not in the previous month's count. */
  newUsers: number;
  /** Active this month and in the previous month's count too. */
  returning: number;
  /** Active in the previous month but not this one. */
  lapsed: number;
  previousMonth: string;
}

/** `YYYY-MM` of the month before. */
export function previousMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  const d = new Date(Date.UTC(y, m - 2, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** Splits a month's users into new and returning against the previous month's report. */
export function newVersusReturning(current: Pick<MauReport, 'month' | 'users'>, previous: Pick<MauReport, 'month' | 'users'>): NewVersusReturning {
  const before = new Set(previous.users.map((u) => u.id));
  let returning = 0;
  for (const u of current.users) if (before.has(u.id)) returning++;
  return {
    newUsers: current.users.length - returning,
    returning,
    lapsed: before.size - returning,
    previousMonth: previous.month,
  };
}

/**
 * The `n` most and least active users (by sessions, then active days, then login and id in code-unit
 * order), in one pass: sorting 100,000 users to show ten of each held a host for a noticeable time.
 */
export function activityExtremes(users: readonly UserActivity[], n: number): { most: UserActivity[]; least: UserActivity[] } {
  const most: UserActivity[] = [];
  const least: UserActivity[] = [];
  for (const u of users) {
    keepFirst(most, u, byActivity, n);
    keepFirst(least, u, byInactivity, n);
  }
  return { most, least };
}

function byActivity(a: UserActivity, b: UserActivity): number {
  return b.sessions - a.sessions || b.activeDays - a.activeDays || compareText(a.login, b.login) || compareText(a.id, b.id);
}

function byInactivity(a: UserActivity, b: UserActivity): number {
  return byActivity(b, a);
}


/** Inserts `u` into `list` (sorted by `compare`, at most `n` long) if it is among the first `n`. */
function keepFirst(list: UserActivity[], u: UserActivity, compare: (a: UserActivity, b: UserActivity) => number, n: number): void {
  if (n <= 0 || (list.length === n && compare(u, list[n - 1]) >= 0)) return;
  let i = list.length;
  while (i > 0 && compare(u, list[i - 1]) < 0) i--;
  list.splice(i, 0, u);
  if (list.length > n) list.pop();
}

/** One row per month, oldest first, from whatever reports a host has kept. */
export function monthSeries(reports: readonly Pick<MauReport, 'month' | 'mau' | 'complete' | 'countedAt'>[]): MonthSummary[] {
  return [...reports]
    .sort((a, b) => a.month.localeCompare(b.month))
    .map(({ month, mau, complete, countedAt }) => ({ month, mau, complete, countedAt }));
}
