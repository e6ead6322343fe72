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

/** The `n` most and least active users (by sessions, then active days). `users` arrives most sessions first. */
export function activityExtremes(users: readonly UserActivity[], n: number): { most: UserActivity[]; least: UserActivity[] } {
  const byActivity = [...users].sort((a, b) => b.sessions - a.sessions || b.activeDays - a.activeDays || a.login.localeCompare(b.login));
  return { most: byActivity.slice(0, n), least: byActivity.slice(-n).reverse() };
}

/** One row per month, oldest first, from whatever reports a host has kept. */
export function monthSeries(reports: readonly Pick<MauReport, 'month' | 'mau' | 'complete' | 'countedAt'>[]): MonthSummary[] {
  return [...reports]
    .sort((a, b) => a.month.localeCompare(b.month))
    .map(({ month, mau, complete, countedAt }) => ({ month, mau, complete, countedAt }));
}
