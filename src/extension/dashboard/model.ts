/**
 * Builds the dashboard's data from an org's saved counts, with the core's history functions. Pure
 * (no `vscode`): the webview only draws what this returns, and the tests check it against the fake
 * org's ground truth.
 */
import { activityExtremes, compareWithMonthBefore, monthOverMonth, orgsMonth, previousMonth, type MonthComparison } from '../../core/history';
import { definitionName } from '../../core/definitions';
import { backtestOnHistory, cumulativeUsers, projectedCurve, projectMonth, type HistoryBacktest } from '../../core/projection';
import { countedUpTo, coveredUntil, monthState, utilisationPercent } from '../../core/reportFacts';
import type { UserActivity } from '../../core/types';
import type { InactiveReport } from '../../core/users';
import type { StoredReport } from '../resultStore';
import type { AllOrgsView, Comparison, DashboardModel, DayPoint, LicencesView, LiveCount, MonthBar, MonthDetail, ProjectionView, UserRow } from './protocol';

/** Rows in each of the most and least active tables. */
export const EXTREMES = 10;
const DAY_MS = 86_400_000;

export interface DashboardInput {
  /** Every org set up, for the org picker. */
  orgs?: { id: string; label: string }[];
  orgId: string;
  org: string;
  /** The org's saved counts, any order. */
  reports: readonly StoredReport[];
  /** The month to detail; the newest saved month when absent or not saved. */
  month?: string;
  live?: LiveCount;
  /** The org's user listing, for the Licences card; absent where the host has no listings. */
  licences?: LicencesInput;
}

/** What the host knows of the org's users: its saved listing, a listing running, or why the last one was refused. */
export interface LicencesInput {
  /**
   * The saved listing: when it was made, who of it was not active in a saved month (`InactiveUsers.inMonthOf`),
   * and how many of it are dormant for `oktaMau.dormantDays` (`InactiveUsers.dormantOf`, the Users view's
   * "Dormant for N days (M)"): Okta's `lastLogin` counted back from the listing, so the same for every month.
   */
  listed?: { listedAt: string; inMonth(report: StoredReport): InactiveReport; dormant: { days: number; users: number } };
  /** The running listing's line, `page 3 · 600 users`. */
  listing?: string;
  /** The last listing's refusal in the core's words (what to grant). */
  refusal?: string;
}

export function buildDashboardModel(input: DashboardInput): DashboardModel {
  const byMonth = new Map(input.reports.map((r) => [r.month, r]));
  // The selected month's users are compared in `monthDetail`; the bars need no comparison.
  const months: MonthBar[] = monthOverMonth(input.reports, { compareUsers: false }).map((r) => ({
    month: r.month,
    mau: r.mau,
    complete: r.complete,
    countedAt: r.countedAt,
    partialReason: r.partialReason,
    incremental: r.incremental,
    // A month counted while it ran is users so far: its bar says so rather than pass for a whole month.
    ...(r.toDate && r.complete ? { toDate: r.fetchedUntil } : {}),
  }));
  const live = input.live;
  if (live && !byMonth.has(live.month)) {
    months.push({ month: live.month, mau: live.users, complete: true, countedAt: '', incremental: live.incremental, live: true });
    months.sort((a, b) => a.month.localeCompare(b.month));
  }
  const chosen = (input.month && byMonth.get(input.month)) || byMonth.get(months.filter((m) => !m.live).at(-1)?.month ?? '');
  return {
    orgs: input.orgs ?? [],
    orgId: input.orgId,
    org: input.org,
    months,
    selected: chosen ? monthDetail(chosen, byMonth.get(previousMonth(chosen.month)), input.reports, input.licences) : undefined,
    live,
  };
}

export function monthDetail(report: StoredReport, previous: StoredReport | undefined, history: readonly StoredReport[] = [], licences?: LicencesInput): MonthDetail {
  const comparison: Comparison = previous ? comparisonOf(compareWithMonthBefore(report, previous)) : { counted: false, previousMonth: previousMonth(report.month) };
  const { most, least } = activityExtremes(report.users, EXTREMES);
  return {
    month: report.month,
    mau: report.mau,
    state: monthState(report),
    complete: report.complete,
    partialReason: report.partialReason,
    events: report.events,
    requests: report.requests,
    countedAt: report.countedAt,
    definition: definitionName(report),
    fetchedUntil: countedUpTo(report),
    incremental: report.incremental === true,
    daily: dailyPoints(report),
    cumulative: cumulativeUsers(report),
    ...(countedUpTo(report) !== undefined ? { projection: projectionOf(report, history) } : {}),
    comparison,
    most: most.map(row),
    least: least.map(row),
    ...(licences ? { licences: licencesOf(report, licences) } : {}),
  };
}

/**
 * Licensed versus active users of the month: the core's `inactiveInMonth` over the saved listing,
 * the figures of the Users view's "Not active in <month> (N)" and of `okta-mau inactive`, with the
 * dormant users of its "Dormant for N days (M)". A refusal matters only while there is no listing to show.
 */
function licencesOf(report: StoredReport, input: LicencesInput): LicencesView {
  const listed = input.listed;
  const r = listed?.inMonth(report);
  return {
    ...(listed && r
      ? {
          figures: {
            licensed: r.licensed,
            active: r.active,
            inactive: r.users.length,
            percent: utilisationPercent(r),
            dormant: { days: listed.dormant.days, users: listed.dormant.users },
            statuses: [...r.statuses],
            listedAt: listed.listedAt,
          },
        }
      : {}),
    ...(input.listing !== undefined ? { listing: input.listing } : {}),
    ...(input.refusal !== undefined && !listed ? { refusal: input.refusal } : {}),
  };
}

/** The core's comparison as the webview draws it: figures only when they compare like for like. */
function comparisonOf(c: MonthComparison): Comparison {
  switch (c.kind) {
    case 'month':
      return { counted: true, previousMonth: c.previousMonth, newUsers: c.newUsers, returning: c.returning, lapsed: c.lapsed };
    case 'sameSpan':
      return { counted: true, previousMonth: c.previousMonth, newUsers: c.newUsers, returning: c.returning, lapsed: c.lapsed, sameSpan: { upTo: c.upTo, mau: c.mau } };
    case 'short':
      return { counted: false, previousMonth: c.previousMonth, countedUpTo: c.upTo };
  }
}

/** One point per UTC day the count covered; days after `fetchedUntil` have not happened yet. */
function dailyPoints(report: StoredReport): DayPoint[] {
  const start = Date.parse(report.since);
  const end = Date.parse(coveredUntil(report));
  const points: DayPoint[] = [];
  report.dailyActiveUsers.forEach((users, i) => {
    const day = start + i * DAY_MS;
    if (day < end) points.push({ date: new Date(day).toISOString().slice(0, 10), users });
  });
  return points;
}

function row(u: UserActivity): UserRow {
  return { id: u.id, login: u.login, displayName: u.displayName, sessions: u.sessions, activeDays: u.activeDays, lastSeen: u.lastSeen };
}

/**
 * Where a month counted to date will end (the core's `projectMonth`, as the status bar and the tree
 * show it), its dashed continuation, and how the method did on this org's own saved months.
 */
function projectionOf(report: StoredReport, history: readonly StoredReport[]): ProjectionView {
  const p = projectMonth(report, history);
  if (p.kind === 'tooLittleHistory') return { kind: 'unavailable', reason: p.reason };
  if (p.kind !== 'projected') return { kind: 'unavailable', reason: 'The month has ended.' };
  return {
    kind: 'projected',
    estimate: p.estimate,
    low: p.low,
    high: p.high,
    until: report.until,
    basedOn: p.basedOn,
    curve: projectedCurve(report, history, p),
    backtest: backtestAt(backtestOnHistory(history.filter((m) => m.month < report.month)), p.byDay),
  };
}

/** The backtest row of the latest tested day no later than `byDay` (the first one early in the month). */
function backtestAt(b: HistoryBacktest, byDay: number): { day: number; meanAbsError: number; inRange: number; months: number } | { reason: string } {
  if (b.kind === 'tooLittleHistory') return { reason: b.reason };
  const row = b.byDay.filter((d) => d.day <= Math.max(byDay, b.byDay[0].day)).at(-1) ?? b.byDay[0];
  return { day: row.day, meanAbsError: row.meanAbsError, inRange: row.inRange, months: row.months };
}

export interface AllOrgsInput {
  /** `licences`: who of the org's listed users was not active in the month, when they are listed and it was counted. */
  orgs: readonly { id: string; label: string; orgUrl: string; months: readonly string[]; report?: StoredReport; licences?: InactiveReport }[];
  month: string;
}

/** Every org's count of one month and their total: the same rows as `okta-mau history --all`. */
export function buildAllOrgsView(input: AllOrgsInput): AllOrgsView {
  const doc = orgsMonth(input.month, input.orgs.map((o) => ({ orgUrl: o.orgUrl, report: o.report })));
  const months = [...new Set(input.orgs.flatMap((o) => o.months))].sort().reverse();
  return {
    month: input.month,
    months: months.includes(input.month) ? months : [input.month, ...months].sort().reverse(),
    orgs: input.orgs.map((o) =>
      o.report
        ? {
            orgId: o.id,
            org: o.label,
            mau: o.report.mau,
            state: monthState(o.report),
            countedAt: o.report.countedAt,
            ...(o.licences ? { licences: { licensed: o.licences.licensed, active: o.licences.active, percent: utilisationPercent(o.licences) } } : {}),
          }
        : { orgId: o.id, org: o.label },
    ),
    total: doc.total,
    counted: doc.orgs.filter((r) => !('missing' in r)).length,
    mayBeLow: doc.orgs.some((r) => !('missing' in r) && (!r.complete || r.toDate)),
  };
}
