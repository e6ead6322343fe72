/**
 * Rules about how a report reads, shared by every host: the command line, the extension and the
 * dashboard's webview (a browser bundle, so this file imports nothing but types).
 */
import type { MauReport } from './types';

/** The locale of the plain-text reports and progress lines the core and the command line write. */
export const REPORT_LOCALE = 'en-US';

/**
 * Set when a month was counted while it was running: its events reach only up to this instant
 * (exclusive), before the month's end. Undefined for a month counted after it ended, and for reports
 * from before `fetchedUntil` existed. Instants are compared as times, not as text.
 */
export function countedUpTo(report: Pick<MauReport, 'until' | 'fetchedUntil'>): string | undefined {
  const { fetchedUntil, until } = report;
  return fetchedUntil !== undefined && Date.parse(fetchedUntil) < Date.parse(until) ? fetchedUntil : undefined;
}

/** A count's progress (the covered fraction of its month, 0–1) as a whole percent, 0–100, never rounded up to 100 early. */
export function coveredPercent(covered: number): number {
  return Math.floor(Math.min(1, Math.max(0, covered)) * 100);
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
  const key = `${style}:${locale}`;
  let format = monthFormats.get(key);
  if (format === undefined) monthFormats.set(key, (format = new Intl.DateTimeFormat(locale, { ...MONTH_STYLES[style], timeZone: 'UTC' })));
  return format.format(new Date(Date.UTC(y || 1970, (m || 1) - 1, 1)));
}

const MONTH_STYLES: Record<MonthLabelStyle, Intl.DateTimeFormatOptions> = {
  long: { month: 'long' },
  'long-year': { month: 'long', year: 'numeric' },
  'short-year': { month: 'short', year: 'numeric' },
  short: { month: 'short' },
};

/** Built once per locale and style, like the number formats: the tree and the charts name months on every redraw. */
const monthFormats = new Map<string, Intl.DateTimeFormat>();

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
  let format = dayFormats.get(locale);
  if (format === undefined) dayFormats.set(locale, (format = new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric', timeZone: 'UTC' })));
  return format.format(new Date(t));
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();
