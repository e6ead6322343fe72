/**
 * The messages between the extension and the dashboard webview. Plain JSON, no `vscode` import:
 * the webview bundle (browser) and the extension (Node) both compile this file.
 */
import type { MonthState } from '../../core/reportFacts';

export interface MonthBar {
  month: string;
  mau: number;
  complete: boolean;
  partialReason?: string;
  incremental: boolean;
  countedAt: string;
  /** Set for a month counted to date (while it ran): its events reach only this instant (exclusive), so its bar is not a whole month. */
  toDate?: string;
  /** A month being counted right now that has no saved result yet: its users so far. */
  live?: boolean;
}

export interface DayPoint {
  /** `YYYY-MM-DD` (UTC). */
  date: string;
  users: number;
}

export interface UserRow {
  id: string;
  login: string;
  displayName: string;
  sessions: number;
  activeDays: number;
  lastSeen: string;
}

/**
 * New, returning and lapsed users against the month before, like for like (the core's
 * `compareWithMonthBefore`): whole months, or for a month counted to date the same span of the month
 * before (`sameSpan`). `counted: false` when the month before has no saved count, or one that stops
 * short of the span (`countedUpTo`).
 */
export type Comparison =
  | {
      previousMonth: string;
      counted: true;
      newUsers: number;
      returning: number;
      lapsed: number;
      /** The month before read up to `upTo` (exclusive), as far into it as the month to date: `mau` users then. */
      sameSpan?: { upTo: string; mau: number };
    }
  | { previousMonth: string; counted: false; countedUpTo?: string };

export interface MonthDetail {
  month: string;
  mau: number;
  /** To date (a number "so far", never called complete), partial, or complete: the core's `monthState`. */
  state: MonthState;
  complete: boolean;
  partialReason?: string;
  events: number;
  requests: number;
  countedAt: string;
  /** Set when the count stopped before the month's end (the current month). */
  fetchedUntil?: string;
  incremental: boolean;
  /** Distinct users per UTC day, up to the last day the count reached. */
  daily: DayPoint[];
  comparison: Comparison;
  most: UserRow[];
  least: UserRow[];
}

export interface LiveCount {
  month: string;
  users: number;
  /** 0–1 of the month's time range fetched. */
  covered: number;
  events: number;
  pages: number;
  rateLimitWaitMs: number;
  incremental: boolean;
}

export interface DashboardModel {
  orgId: string;
  /** The org's host, as the tree shows it. */
  org: string;
  /** Every saved month of the org, oldest first. */
  months: MonthBar[];
  selected?: MonthDetail;
  live?: LiveCount;
}

export type ToWebview =
  | { type: 'init'; locale: string; strings: Record<string, string> }
  | { type: 'model'; model: DashboardModel }
  | { type: 'progress'; live: LiveCount | undefined };

export type FromWebview = { type: 'ready'; month?: string } | { type: 'selectMonth'; month: string } | { type: 'recount'; month: string };

/** What the webview keeps with `setState`, so a reloaded or restored panel shows the same month. */
export interface WebviewState {
  month?: string;
}
