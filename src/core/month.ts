import { InvalidInputError } from './errors';

/** How long the System Log keeps events. */
export const RETENTION_DAYS = 90;
const DAY_MS = 86_400_000;

export interface MonthWindow {
  month: string;
  /** First instant of the month, UTC (inclusive). */
  since: Date;
  /** First instant of the next month, UTC (exclusive). */
  until: Date;
  /** Number of UTC days in the month. */
  days: number;
  /** False when the month starts before the retention horizon, so early events are gone. */
  complete: boolean;
  partialReason?: string;
}

const pad = (n: number) => String(n).padStart(2, '0');

export function currentMonth(now: Date): string {
  return `${now.getUTCFullYear()}-${pad(now.getUTCMonth() + 1)}`;
}

/** The oldest instant the System Log still holds at `now`. */
export function retentionHorizon(now: Date): Date {
  return new Date(now.getTime() - RETENTION_DAYS * DAY_MS);
}

/**
 * `YYYY-MM` → [first instant of the month, first instant of the next month) in UTC. Always UTC:
 * local-time bounds shift the month by the machine's offset, and the last day must not be dropped.
 */
export function monthWindow(month: string | undefined, now: Date): MonthWindow {
  const label = month ?? currentMonth(now);
  const match = /^(\d{4})-(\d{2})$/.exec(label);
  const year = match ? Number(match[1]) : NaN;
  const monthIndex = match ? Number(match[2]) - 1 : NaN;
  if (!match || monthIndex < 0 || monthIndex > 11 || year < 2000) {
    throw new InvalidInputError(`The month must be YYYY-MM, for example ${currentMonth(now)} (got "${label}")`);
  }
  // Date.UTC rolls month 12 over into January of the next year, so December needs no special case.
  const since = new Date(Date.UTC(year, monthIndex, 1));
  const until = new Date(Date.UTC(year, monthIndex + 1, 1));
  if (since.getTime() > now.getTime()) {
    throw new InvalidInputError(`The month ${label} has not started yet: choose ${currentMonth(now)} or earlier`);
  }
  const days = Math.round((until.getTime() - since.getTime()) / DAY_MS);
  const horizon = retentionHorizon(now);
  const complete = since.getTime() >= horizon.getTime();
  return {
    month: label,
    since,
    until,
    days,
    complete,
    partialReason: complete
      ? undefined
      : until.getTime() <= horizon.getTime()
        ? `the System Log keeps ${RETENTION_DAYS} days, and all of ${label} is older than that`
        : `the System Log keeps ${RETENTION_DAYS} days: events before ${horizon.toISOString().slice(0, 10)} are gone`,
  };
}

/** Months that still have events in the System Log, newest first: the current one and those ending after the horizon. */
export function retainedMonths(now: Date): string[] {
  const horizon = retentionHorizon(now).getTime();
  const months: string[] = [];
  for (let i = 0; ; i++) {
    const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - i, 1));
    const end = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - i + 1, 1));
    if (end.getTime() <= horizon) break;
    months.push(currentMonth(start));
  }
  return months;
}
