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

  const basis = history
    .filter((m) => m.month < current.month && isReadableCompleteMonth(m))
    .sort((a, b) => a.month.localeCompare(b.month))
    .slice(-MAX_PROJECTION_MONTHS)
    .map((m) => ({ month: m.month, share: shareSeenBy(m, fraction) }))
    .filter((m) => m.share > 0);
  if (basis.length < MIN_PROJECTION_MONTHS) {
    const have = basis.length === 0 ? 'none' : `only ${basis.length}`;
    return {
      kind: 'tooLittleHistory',
      reason: `A projection needs ${MIN_PROJECTION_MONTHS} earlier months counted in full, with their users; there are ${have}.`,
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
  let seen = 0;
  for (const u of m.users) if (Date.parse(u.firstSeen) < end) seen++;
  return seen / m.mau;
}
