/**
 * Where a running month will end: its distinct users so far, scaled by how large a share of earlier
 * complete months' users had appeared by the same point of those months. Pure: plain reports in,
 * plain data out (docs/definitions.md, "Where the month will end", has the method and its backtest).
 */
import { countedUpTo } from './reportFacts';
import type { MauReport } from './types';

/** The months a projection reads: the running month, and the reports kept of earlier months. */
export type ProjectionCurrent = Pick<MauReport, 'month' | 'since' | 'until' | 'fetchedUntil' | 'users' | 'mau'>;
export type ProjectionHistory = Pick<MauReport, 'month' | 'since' | 'until' | 'fetchedUntil' | 'users' | 'mau' | 'complete'>;

/** How the estimate was made: the share of each earlier month's users seen by the same elapsed fraction of that month. */
export const PROJECTION_METHOD = 'share-by-elapsed-fraction';

export interface Projection {
  kind: 'projected';
  /** Expected MAU at the month's end; never below the users counted so far. */
  estimate: number;
  /** Range the final MAU is expected in (about 95% under the model); `low` is never below the users counted so far. */
  low: number;
  high: number;
  /** Days of the month counted so far, from the 1st 00:00 UTC: 1.5 = counted to noon on the 2nd. */
  byDay: number;
  /** The earlier months (`YYYY-MM`) the shape was read from, oldest first. */
  basedOn: string[];
  method: typeof PROJECTION_METHOD;
}

export type ProjectionResult = Projection | { kind: 'tooLittleHistory'; reason: string } | { kind: 'notRunning' };

/** Earlier complete months a projection needs: with one, nothing says how much months differ. */
export const MIN_PROJECTION_MONTHS = 2;
/** The most recent complete months read; older ones describe an org that has moved on. */
export const MAX_PROJECTION_MONTHS = 6;
/** A running month must be at least this old: in its first hours the count says little of the month. */
export const MIN_PROJECTION_ELAPSED_MS = 86_400_000;
/** Width of the range in standard deviations (of the log of the estimate). */
const RANGE_SIGMAS = 2;

/**
 * Projects the running month `current` to its end from the shape of the complete months in `history`
 * (any order; other months, partial ones, the month itself and months without their users are ignored).
 */
export function projectMonth(current: ProjectionCurrent, history: readonly ProjectionHistory[]): ProjectionResult {
  const upTo = countedUpTo(current);
  if (upTo === undefined) return { kind: 'notRunning' };
  const since = Date.parse(current.since);
  const elapsedMs = Date.parse(upTo) - since;
  const fraction = elapsedMs / (Date.parse(current.until) - since);
  const byDay = elapsedMs / 86_400_000;
  if (!(elapsedMs >= MIN_PROJECTION_ELAPSED_MS)) {
    return { kind: 'tooLittleHistory', reason: 'The month is less than a day old: too early to say where it will end.' };
  }
  if (current.mau <= 0) return { kind: 'tooLittleHistory', reason: 'No one has signed in this month yet, so there is nothing to scale.' };

  const basis = basisMonths(current, history, fraction);
  if (basis.length < MIN_PROJECTION_MONTHS) {
    const have = basis.length === 0 ? 'there are none' : basis.length === 1 ? 'there is only 1' : `there are only ${basis.length}`;
    return {
      kind: 'tooLittleHistory',
      reason: `A projection needs ${MIN_PROJECTION_MONTHS} earlier months counted in full, with their users; ${have}.`,
    };
  }

  const shares = basis.map((m) => m.share);
  const meanShare = shares.reduce((a, b) => a + b, 0) / shares.length;
  const counted = current.mau;
  const estimate = counted / meanShare;
  // Two sources of doubt, added in the log of the estimate: how much the months' shapes differ, and
  // the chance in who happened to sign in early this month (binomial: var(log X) ≈ (1 − p) / X).
  const logs = shares.map((s) => Math.log(s));
  const meanLog = logs.reduce((a, b) => a + b, 0) / logs.length;
  const betweenMonths = logs.reduce((a, b) => a + (b - meanLog) ** 2, 0) / (logs.length - 1);
  const sampling = (1 - Math.min(1, meanShare)) / counted;
  const spread = RANGE_SIGMAS * Math.sqrt(betweenMonths + sampling);
  // The range always holds what the most and least advanced earlier month would have said.
  const high = Math.max(estimate * Math.exp(spread), counted / Math.min(...shares));
  const low = Math.min(estimate * Math.exp(-spread), counted / Math.max(...shares));
  return {
    kind: 'projected',
    estimate: Math.max(counted, Math.round(estimate)),
    low: Math.max(counted, Math.floor(low)),
    high: Math.max(counted, Math.ceil(high)),
    byDay,
    basedOn: basis.map((m) => m.month),
    method: PROJECTION_METHOD,
  };
}

/** The complete months a projection of `current` reads, oldest first, with the share of their users seen by `fraction`. */
function basisMonths(current: Pick<ProjectionCurrent, 'month'>, history: readonly ProjectionHistory[], fraction: number): { month: string; share: number; report: ProjectionHistory }[] {
  return history
    .filter((m) => m.month < current.month && isReadableCompleteMonth(m))
    .sort((a, b) => a.month.localeCompare(b.month))
    .slice(-MAX_PROJECTION_MONTHS)
    .map((m) => ({ month: m.month, share: shareSeenBy(m, fraction), report: m }))
    .filter((m) => m.share > 0);
}

/** Counted to its end, nothing missing, and its users kept (a report without them has no curve to read). */
function isReadableCompleteMonth(m: ProjectionHistory): boolean {
  return m.complete && countedUpTo(m) === undefined && m.mau > 0 && m.users.length === m.mau;
}

/**
 * Share of month `m`'s users whose first sign-in came before the same fraction of `m` had passed.
 * A fraction, not the same number of days: set against February, day 30 of a 31-day month would
 * otherwise find February over and predict no growth for the day left.
 */
function shareSeenBy(m: ProjectionHistory, fraction: number): number {
  const since = Date.parse(m.since);
  const end = since + fraction * (Date.parse(m.until) - since);
  return seenBefore(firstSignIns(m), end) / m.mau;
}

/** Each month's first sign-in times, sorted: read once per report, as a backtest asks of every month dozens of times. */
const firstSignInTimes = new WeakMap<readonly unknown[], Float64Array>();

function firstSignIns(m: Pick<ProjectionHistory, 'users'>): Float64Array {
  let times = firstSignInTimes.get(m.users);
  if (!times) {
    times = Float64Array.from(m.users, (u) => Date.parse(u.firstSeen)).sort();
    firstSignInTimes.set(m.users, times);
  }
  return times;
}

/** How many of the sorted `times` fall before `end`. */
function seenBefore(times: Float64Array, end: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid] < end) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const DAY_MS = 86_400_000;

/** Distinct users of a month by the end of one UTC day of it (`date`, `YYYY-MM-DD`), or by the instant a count stopped in that day. */
export interface CumulativePoint {
  date: string;
  users: number;
}

/**
 * The month's distinct users so far, day by day: the users whose first sign-in of the month came
 * before the end of each UTC day, up to the day the count reached (its last point is the count itself).
 */
export function cumulativeUsers(report: Pick<MauReport, 'since' | 'until' | 'fetchedUntil' | 'users' | 'mau'>): CumulativePoint[] {
  const since = Date.parse(report.since);
  const end = Date.parse(countedUpTo(report) ?? report.until);
  const days = Math.ceil((end - since) / DAY_MS);
  const perDay = new Array<number>(Math.max(0, days)).fill(0);
  for (const u of report.users) {
    const d = Math.floor((Date.parse(u.firstSeen) - since) / DAY_MS);
    if (d >= 0 && d < days) perDay[d]++;
  }
  const points: CumulativePoint[] = [];
  let users = 0;
  for (let d = 0; d < days; d++) {
    users += perDay[d];
    points.push({ date: new Date(since + d * DAY_MS).toISOString().slice(0, 10), users });
  }
  return points;
}

/** Where the distinct-user curve is expected to be at the end of a day still to come. */
export interface ProjectedPoint {
  date: string;
  estimate: number;
  low: number;
  high: number;
}

/**
 * The running month's curve carried on to its end, for a chart's dashed continuation: from the users
 * counted so far to the projection's estimate (and range) at the month's end, following the shape of
 * the same earlier months the projection read (the mean share of their users seen by each day). Its
 * last point is the projection itself, so the chart and the figures agree. Empty when there is no projection.
 */
export function projectedCurve(current: ProjectionCurrent, history: readonly ProjectionHistory[], projection: ProjectionResult): ProjectedPoint[] {
  const upTo = countedUpTo(current);
  if (projection.kind !== 'projected' || upTo === undefined) return [];
  const since = Date.parse(current.since);
  const until = Date.parse(current.until);
  const span = until - since;
  const now = (Date.parse(upTo) - since) / span;
  const basis = basisMonths(current, history, now).filter((m) => projection.basedOn.includes(m.month));
  const meanShare = (fraction: number) => basis.reduce((sum, m) => sum + shareSeenBy(m.report, fraction), 0) / basis.length;
  const shareNow = meanShare(now);
  const counted = current.mau;
  const points: ProjectedPoint[] = [];
  for (let dayEnd = Math.floor(Date.parse(upTo) / DAY_MS) * DAY_MS + DAY_MS; dayEnd <= until; dayEnd += DAY_MS) {
    const fraction = (dayEnd - since) / span;
    // 0 at the count, 1 at the month's end: how much of the growth still to come the earlier months had seen by then.
    const along = dayEnd >= until || shareNow >= 1 ? 1 : Math.min(1, Math.max(0, (meanShare(fraction) - shareNow) / (1 - shareNow)));
    const at = (final: number) => Math.round(counted + (final - counted) * along);
    points.push({ date: new Date(dayEnd - DAY_MS).toISOString().slice(0, 10), estimate: at(projection.estimate), low: at(projection.low), high: at(projection.high) });
  }
  return points;
}

/** The month `m` as a count stopped `days` days after its start would have read it: its users whose first sign-in came before then. */
export function monthAsCountedBy<T extends ProjectionHistory>(m: T, days: number): T {
  const upTo = Date.parse(m.since) + days * DAY_MS;
  const users = m.users.filter((u) => Date.parse(u.firstSeen) < upTo);
  return { ...m, fetchedUntil: new Date(upTo).toISOString(), users, mau: users.length };
}

/** The projection's record on an org's own saved months, for one day of the month. */
export interface BacktestDay {
  day: number;
  /** Mean |estimate − final| / final over the months tested. */
  meanAbsError: number;
  /** How many of them ended inside the projected range. */
  inRange: number;
  months: number;
}

export type HistoryBacktest = { kind: 'tested'; months: string[]; byDay: BacktestDay[] } | { kind: 'tooLittleHistory'; reason: string };

/** Days of the month a backtest reports on. */
export const BACKTEST_DAYS = [1, 3, 7, 14, 21, 28] as const;

/**
 * How the projection would have done on the org's own history: every saved complete month that has
 * enough complete months before it is projected, as counted at the end of each of `days`, from
 * those earlier months alone, and compared with where it really ended.
 */
export function backtestOnHistory(reports: readonly ProjectionHistory[], days: readonly number[] = BACKTEST_DAYS): HistoryBacktest {
  const complete = reports.filter(isReadableCompleteMonth).sort((a, b) => a.month.localeCompare(b.month));
  const tested: string[] = [];
  const errors = new Map<number, number[]>(days.map((d) => [d, []]));
  const inRange = new Map<number, number>(days.map((d) => [d, 0]));
  for (const [i, month] of complete.entries()) {
    const earlier = complete.slice(0, i);
    let used = false;
    for (const d of days) {
      if (d * DAY_MS >= Date.parse(month.until) - Date.parse(month.since)) continue;
      const p = projectMonth(monthAsCountedBy(month, d), earlier);
      if (p.kind !== 'projected') continue;
      used = true;
      errors.get(d)!.push(Math.abs(p.estimate - month.mau) / month.mau);
      if (p.low <= month.mau && month.mau <= p.high) inRange.set(d, inRange.get(d)! + 1);
    }
    if (used) tested.push(month.month);
  }
  if (tested.length === 0) {
    return {
      kind: 'tooLittleHistory',
      reason: `it needs ${MIN_PROJECTION_MONTHS + 1} months counted in full, with their users: one to test and ${MIN_PROJECTION_MONTHS} before it to project from.`,
    };
  }
  const byDay = days
    .map((day) => ({ day, xs: errors.get(day)! }))
    .filter((d) => d.xs.length > 0)
    .map(({ day, xs }) => ({ day, meanAbsError: xs.reduce((a, b) => a + b, 0) / xs.length, inRange: inRange.get(day)!, months: xs.length }));
  return { kind: 'tested', months: tested, byDay };
}
