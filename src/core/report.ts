/**
 * A count's report: whether an earlier report can be extended (`planRefresh`), and the report a run
 * ends with (`buildReport`). What a report means is in `types.ts` (`MauReport`); how it reads in
 * every host is in `reportFacts.ts`.
 */
import type { Source } from './sources';
import type { MauReport, UserActivity } from './types';

export interface RefreshPlan {
  /** The earlier report to extend, when it can be. */
  report?: MauReport;
  /** Why it cannot be (for the log). */
  why?: string;
}

/** Whether an earlier report can be extended by this run, and if not, why. */
export function planRefresh(previous: MauReport | undefined, run: { orgUrl: string; month: string; source: Source; eventTypes: readonly string[] }): RefreshPlan {
  if (!previous) return {};
  if (previous.orgUrl !== run.orgUrl) return { why: 'the earlier count is of another org' };
  if (previous.month !== run.month) return { why: `the earlier count is of ${previous.month}` };
  if (previous.source !== run.source) return { why: 'the earlier count used another source' };
  if ([...previous.eventTypes].sort().join() !== [...run.eventTypes].sort().join()) return { why: 'the event types changed' };
  if (!previous.checkpoint || !previous.fetchedUntil || previous.users.some((u) => u.dayMask === undefined)) {
    return { why: 'the earlier count has no refresh checkpoint' };
  }
  return { report: previous };
}

export interface ReportParts {
  orgUrl: string;
  window: { month: string; since: Date; until: Date; partialReason?: string };
  source: Source;
  eventTypes: string[];
  /** Already decided by the run: a refresh of a complete count stays complete while what it fetched is retained. */
  complete: boolean;
  users: UserActivity[];
  dailyActiveUsers: number[];
  events: number;
  skippedEvents: number;
  pages: number;
  requests: number;
  /** The instant the run covered up to (exclusive). */
  coveredUntil: number;
  incremental: boolean;
  overlapFrom: number;
  overlapUuids: string[];
  /** When the run started (epoch ms), for `durationMs`. */
  started: number;
}

export function buildReport(p: ReportParts): MauReport {
  const now = Date.now();
  return {
    orgUrl: p.orgUrl,
    month: p.window.month,
    since: p.window.since.toISOString(),
    until: p.window.until.toISOString(),
    source: p.source,
    eventTypes: p.eventTypes,
    mau: p.users.length,
    complete: p.complete,
    partialReason: p.complete ? undefined : p.window.partialReason,
    events: p.events,
    skippedEvents: p.skippedEvents,
    pages: p.pages,
    requests: p.requests,
    dailyActiveUsers: p.dailyActiveUsers,
    users: p.users,
    fetchedUntil: new Date(p.coveredUntil).toISOString(),
    incremental: p.incremental,
    checkpoint: {
      overlapFrom: new Date(p.overlapFrom).toISOString(),
      overlapUuids: p.overlapUuids,
    },
    countedAt: new Date(now).toISOString(),
    durationMs: now - p.started,
  };
}
