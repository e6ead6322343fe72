import { compareText } from './aggregate';
import { countedUpTo, coveredUntil } from './reportFacts';
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
 * The month before over the same span as a running month: counted to Dec 2 14:00 (UTC), the month
 * before is read from Nov 1 to Nov 2 14:00, so a month two days old is never set against a whole
 * month. Its users are those whose first sign-in of that month falls inside the span.
 */
export interface SameSpanBefore extends NewVersusReturning {
  /** Distinct users of the month before within the span. */
  mau: number;
  /** The end of the span in the month before (exclusive), ISO 8601 UTC. */
  upTo: string;
}

/**
 * The like-for-like comparison of a month still running (see `countedUpTo`) with the month before;
 * undefined when the month is not running, or the earlier report did not reach the end of the span.
 * A span longer than the month before (March 31 against February) ends with that month.
 */
export function sameSpanBefore(
  current: Pick<MauReport, 'since' | 'until' | 'fetchedUntil' | 'users'>,
  previous: Pick<MauReport, 'month' | 'since' | 'until' | 'fetchedUntil' | 'users'>,
): SameSpanBefore | undefined {
  const upTo = countedUpTo(current);
  if (upTo === undefined) return undefined;
  const end = Math.min(Date.parse(previous.since) + (Date.parse(upTo) - Date.parse(current.since)), Date.parse(previous.until));
  if (!(Date.parse(coveredUntil(previous)) >= end)) return undefined;
  const before = new Set<string>();
  for (const u of previous.users) if (Date.parse(u.firstSeen) < end) before.add(u.id);
  let returning = 0;
  for (const u of current.users) if (before.has(u.id)) returning++;
  return {
    mau: before.size,
    upTo: new Date(end).toISOString(),
    newUsers: current.users.length - returning,
    returning,
    lapsed: before.size - returning,
    previousMonth: previous.month,
  };
}

/**
 * How a month compares with the month before, always like for like:
 * - `sameSpan`: the month is running (counted to date) and is set against the same span of the month
 *   before (`sameSpanBefore`), never against the whole of it;
 * - `month`: the month was counted to its end, as was the month before: whole months side by side;
 * - `short`: the month before was counted only up to `upTo`, short of the span a comparison needs.
 *   No figures then: two different spans set side by side read as a collapse or a boom.
 */
export type MonthComparison =
  | ({ kind: 'sameSpan' } & SameSpanBefore)
  | ({ kind: 'month'; /** The month before's MAU. */ mau: number } & NewVersusReturning)
  | { kind: 'short'; previousMonth: string; upTo: string };

export type ComparableReport = Pick<MauReport, 'month' | 'mau' | 'since' | 'until' | 'fetchedUntil' | 'users'>;

/** `current` against `previous` (the month before's report), as every surface shows it. */
export function compareWithMonthBefore(current: ComparableReport, previous: ComparableReport): MonthComparison {
  if (countedUpTo(current) !== undefined) {
    const span = sameSpanBefore(current, previous);
    return span ? { kind: 'sameSpan', ...span } : { kind: 'short', previousMonth: previous.month, upTo: coveredUntil(previous) };
  }
  const previousUpTo = countedUpTo(previous);
  if (previousUpTo !== undefined) return { kind: 'short', previousMonth: previous.month, upTo: previousUpTo };
  return { kind: 'month', mau: previous.mau, ...newVersusReturning(current, previous) };
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

/** A month's row in a month-over-month listing (`okta-mau history`, the dashboard's months). */
export interface MonthOverMonthRow {
  month: string;
  mau: number;
  /** False when part of the month was outside the 90-day retention when it was counted. */
  complete: boolean;
  partialReason?: string;
  /** True when the month had not ended at the time of the count (see `countedUpTo`): the number can still grow. */
  toDate: boolean;
  /** Events were fetched up to here (exclusive). */
  fetchedUntil: string;
  countedAt: string;
  incremental: boolean;
  /** MAU minus the month before's; null when the month before is not among the reports. */
  change: number | null;
  /** Against the month before; null when it is not among the reports, or users were not compared. */
  newUsers: number | null;
  returning: number | null;
  lapsed: number | null;
}

export type MonthOverMonthReport = Pick<MauReport, 'month' | 'mau' | 'complete' | 'partialReason' | 'until' | 'fetchedUntil' | 'countedAt' | 'incremental' | 'users'>;

export interface MonthOverMonthOptions {
  /**
   * Split each month's users into new, returning and lapsed against the month before. Default true;
   * a host that shows the split of one month only skips it (a set of 100,000 users per month).
   */
  compareUsers?: boolean;
}

/** One row per month, oldest first, each compared with the month before when that month is among the reports too. */
export function monthOverMonth(reports: readonly MonthOverMonthReport[], options: MonthOverMonthOptions = {}): MonthOverMonthRow[] {
  const byMonth = new Map(reports.map((r) => [r.month, r]));
  return [...byMonth.values()]
    .sort((a, b) => a.month.localeCompare(b.month))
    .map((r) => {
      const before = byMonth.get(previousMonth(r.month));
      const split = before && options.compareUsers !== false ? newVersusReturning(r, before) : undefined;
      return {
        month: r.month,
        mau: r.mau,
        complete: r.complete,
        ...(r.partialReason ? { partialReason: r.partialReason } : {}),
        toDate: countedUpTo(r) !== undefined,
        fetchedUntil: coveredUntil(r),
        countedAt: r.countedAt,
        incremental: r.incremental === true,
        change: before ? r.mau - before.mau : null,
        newUsers: split ? split.newUsers : null,
        returning: split ? split.returning : null,
        lapsed: split ? split.lapsed : null,
      };
    });
}

/** One org's count of a month, beside the others' (`okta-mau history --all`, the dashboard's All orgs), or the note that it has none. */
export type OrgMonthRow =
  | { orgUrl: string; mau: number; complete: boolean; toDate: boolean; fetchedUntil: string; countedAt: string }
  | { orgUrl: string; missing: true };

export interface OrgsMonth {
  month: string;
  orgs: OrgMonthRow[];
  /** The sum of the orgs' MAUs, of the orgs that have a count: a person is counted once per org. */
  total: number;
}

/** One month of several orgs, and their total. */
export function orgsMonth(month: string, orgs: readonly { orgUrl: string; report?: Pick<MauReport, 'mau' | 'complete' | 'until' | 'fetchedUntil' | 'countedAt'> }[]): OrgsMonth {
  const rows = orgs.map(({ orgUrl, report: r }): OrgMonthRow =>
    r
      ? { orgUrl, mau: r.mau, complete: r.complete, toDate: countedUpTo(r) !== undefined, fetchedUntil: coveredUntil(r), countedAt: r.countedAt }
      : { orgUrl, missing: true },
  );
  return { month, orgs: rows, total: rows.reduce((sum, r) => sum + ('missing' in r ? 0 : r.mau), 0) };
}
