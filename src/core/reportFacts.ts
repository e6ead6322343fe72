/**
 * Rules about how a report reads, shared by every host: the command line, the extension and the
 * dashboard's webview (a browser bundle, so this file imports nothing but types).
 */
import type { MauReport } from './types';

/** The locale of the plain-text reports and progress lines the core and the command line write. */
export const REPORT_LOCALE = 'en-US';

/**
 * The instant a count's events reach up to (exclusive), whether or not the month had ended: its
 * `fetchedUntil`, or the month's end for a report from before `fetchedUntil` existed.
 */
export function coveredUntil(report: Pick<MauReport, 'until' | 'fetchedUntil'>): string {
  return report.fetchedUntil ?? report.until;
}

/**
 * Set when a month was counted while it was running: its events reach only up to this instant
 * (exclusive), before the month's end (`coveredUntil` short of `until`). Undefined for a month counted
 * after it ended, and for reports from before `fetchedUntil` existed. Instants are compared as times,
 * not as text.
 */
export function countedUpTo(report: Pick<MauReport, 'until' | 'fetchedUntil'>): string | undefined {
  const upTo = coveredUntil(report);
  return Date.parse(upTo) < Date.parse(report.until) ? upTo : undefined;
}

/** A count's progress (the covered fraction of its month, 0–1) as a whole percent, 0–100, never rounded up to 100 early. */
export function coveredPercent(covered: number): number {
  return Math.floor(Math.min(1, Math.max(0, covered)) * 100);
}

/**
 * Licence utilisation (the share of licensed users who were active, `active / licensed`) as a percent
 * with one decimal, rounded down so that 100% means every licensed user was active: `80.2` for 987 of
 * 1,231; 0 with no licensed users. Every host shows this one figure (the CLI's table, the tree's
 * tooltip, the dashboard), formatted as a number in its locale.
 */
export function utilisationPercent(report: { active: number; licensed: number }): number {
  return report.licensed === 0 ? 0 : Math.floor((report.active * 1000) / report.licensed) / 10;
}

/** `12,345` in `en-US`, `12.345` in `de`: a count or a number of events as a person reads it. */
export function formatNumber(value: number, locale: string): string {
  let format = numberFormats.get(locale);
  if (format === undefined) numberFormats.set(locale, (format = new Intl.NumberFormat(locale)));
  return format.format(value);
}

/** Built once per locale: building one takes milliseconds, and progress formats numbers on every page. */
const numberFormats = new Map<string, Intl.NumberFormat>();

/** How a month (`YYYY-MM`) is named: `November`, `November 2025`, `Nov 2025` for chart axes, or `Nov` where space is scarce (the status bar). */
export type MonthLabelStyle = 'long' | 'long-year' | 'short-year' | 'short';

/**
 * `2025-11` as a person reads it in `locale`. The short style keeps the year in full: "Nov 25"
 * reads as a day of November. Months are UTC calendar months, so the name never shifts a month
 * with the reader's time zone.
 */
export function monthLabel(month: string, locale: string, style: MonthLabelStyle): string {
  const [y, m] = month.split('-').map(Number);
  return dateFormat(locale, style).format(new Date(Date.UTC(y || 1970, (m || 1) - 1, 1)));
}

/**
 * What a count of a month can say of itself, in every host and surface alike:
 * - `toDate`: counted while the month was running, up to `upTo` (exclusive): a number "so far",
 *   compared like for like (`sameSpanBefore` in history.ts), never called complete;
 * - `partial`: part of the month had left the System Log's retention when it was counted;
 * - `complete`: the whole month, ended, with nothing missing.
 */
export type MonthState = { kind: 'toDate'; upTo: string } | { kind: 'partial'; reason?: string } | { kind: 'complete' };

export function monthState(report: Pick<MauReport, 'until' | 'fetchedUntil' | 'complete' | 'partialReason'>): MonthState {
  if (!report.complete) return { kind: 'partial', reason: report.partialReason };
  const upTo = countedUpTo(report);
  return upTo !== undefined ? { kind: 'toDate', upTo } : { kind: 'complete' };
}

/**
 * `Dec 2` for an instant, as a UTC calendar day in `locale` (months and days are UTC throughout).
 * An instant at midnight exactly is the end of the day before: counted "to Dec 3 00:00" reads "to Dec 2".
 */
export function dayLabel(iso: string, locale: string, endOfRange = false): string {
  let t = Date.parse(iso);
  if (endOfRange && t % 86_400_000 === 0) t -= 1;
  return dateFormat(locale, 'day').format(new Date(t));
}

/**
 * How an instant is named: `Dec 2` (`day`), `Tue, Dec 2` (`weekday`), `Dec 2, 2025` (`day-year`),
 * `Dec 2, 9:14 AM` (`day-time`) or `Dec 2, 2025, 9:14 AM` (`day-time-year`), in `en`.
 */
export type DateTimeLabelStyle = 'day' | 'weekday' | 'day-year' | 'day-time' | 'day-time-year';

/**
 * An instant (ISO 8601) as a person reads it in `locale` (`2. Dez., 09:14` in `de`), on the org's UTC
 * clock like the months and days around it; the caller says "UTC" once where it matters. Text that
 * is not an instant comes back as given.
 */
export function dateTimeLabel(iso: string, locale: string, style: DateTimeLabelStyle): string {
  const t = Date.parse(iso);
  return Number.isFinite(t) ? dateFormat(locale, style).format(new Date(t)) : iso;
}

const DATE_STYLES: Record<MonthLabelStyle | DateTimeLabelStyle, Intl.DateTimeFormatOptions> = {
  long: { month: 'long' },
  'long-year': { month: 'long', year: 'numeric' },
  'short-year': { month: 'short', year: 'numeric' },
  short: { month: 'short' },
  day: { month: 'short', day: 'numeric' },
  weekday: { weekday: 'short', month: 'short', day: 'numeric' },
  'day-year': { year: 'numeric', month: 'short', day: 'numeric' },
  'day-time': { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' },
  'day-time-year': { year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' },
};

/**
 * Every month, day and time format, built once per locale and style (in UTC), like the number formats:
 * building one takes milliseconds, and the tree and the charts name months and instants on every redraw.
 */
function dateFormat(locale: string, style: MonthLabelStyle | DateTimeLabelStyle): Intl.DateTimeFormat {
  const key = `${style}:${locale}`;
  let format = dateFormats.get(key);
  if (format === undefined) dateFormats.set(key, (format = new Intl.DateTimeFormat(locale, { ...DATE_STYLES[style], timeZone: 'UTC' })));
  return format;
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();
