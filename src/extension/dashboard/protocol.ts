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
  /** The definition of "active" the count used, by name: "Customer Identity (Okta's MAU billing)". */
  definition: string;
  /** Set when the count stopped before the month's end (the current month). */
  fetchedUntil?: string;
  incremental: boolean;
  /** Distinct users per UTC day, up to the last day the count reached. */
  daily: DayPoint[];
  /** Distinct users of the month so far, by the end of each UTC day the count reached (the last point is the count). */
  cumulative: DayPoint[];
  /** Where a month counted to date will end, or why that cannot be said yet; absent for a month that has ended. */
  projection?: ProjectionView;
  comparison: Comparison;
  most: UserRow[];
  least: UserRow[];
  /** Licensed versus active users in the month; absent where the extension has no user listings to read. */
  licences?: LicencesView;
}

/**
 * Who holds a licence and who of them was active in the month, from the org's saved user listing and
 * the month's saved count: the core's `inactiveInMonth`, the same answer as the Users view's
 * "Not active in <month> (N)" and `okta-mau inactive`.
 */
export interface LicencesView {
  /** Absent until the org's users are listed ("Okta: List Users"). */
  figures?: LicenceFigures;
  /** While a listing of the org runs: `page 3 · 600 users` (the notification's line). */
  listing?: string;
  /** No listing is saved and the last try was refused: Okta's answer in the core's words, which say what to grant. */
  refusal?: string;
}

export interface LicenceFigures {
  /** Listed users in a licensed status (`statuses`). */
  licensed: number;
  /** Licensed users with a counted sign-in in the month. */
  active: number;
  /** Licensed users without one: the Users view's "Not active in <month> (N)". */
  inactive: number;
  /** `active / licensed` as a percent, one decimal, rounded down: the core's `utilisationPercent`. */
  percent: number;
  /**
   * Licensed users whose last sign-in (Okta's `lastLogin`) is more than `days` (`oktaMau.dormantDays`)
   * before the listing, or who never signed in: the Users view's "Dormant for N days (M)". Not of the month.
   */
  dormant: { days: number; users: number };
  statuses: string[];
  /** When the users were listed. */
  listedAt: string;
}

/** A day of the dashed continuation: where the month's distinct users are expected by the end of `date`. */
export interface ProjectedDay {
  date: string;
  estimate: number;
  low: number;
  high: number;
}

/** The core's projection as the dashboard shows it: the same figures as the status bar and the tree. */
export type ProjectionView =
  | {
      kind: 'projected';
      estimate: number;
      low: number;
      high: number;
      /** The month's end (exclusive): "by Dec 31". */
      until: string;
      /** The earlier months it was read from, oldest first. */
      basedOn: string[];
      curve: ProjectedDay[];
      /** How far off it was on this org's own saved months, counted to the same day of the month (or an earlier one); a reason when it cannot be tested. */
      backtest: { day: number; meanAbsError: number; inRange: number; months: number } | { reason: string };
    }
  | { kind: 'unavailable'; reason: string };

/** One org's count of the month in the All orgs view. */
export interface OrgMonthView {
  orgId: string;
  org: string;
  /** Absent when the org has no saved count of the month. */
  mau?: number;
  state?: MonthState;
  countedAt?: string;
  /** Licensed and active users in the month, when the org's users are listed and the month counted. */
  licences?: { licensed: number; active: number; percent: number };
}

/** Every org's count of one month, and their total (a person is counted once per org, as Okta bills each org). */
export interface AllOrgsView {
  month: string;
  /** Months any org has a saved count of, newest first. */
  months: string[];
  orgs: OrgMonthView[];
  total: number;
  /** How many orgs have a count of the month (the total adds only theirs). */
  counted: number;
  /** Set when a count in the total is partial or of a month still running: the total may be low. */
  mayBeLow: boolean;
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
  /** Every org set up, for the org picker (`all` shows every org's count of one month). */
  orgs: { id: string; label: string }[];
  /** The All orgs view, when it was picked: then `orgId`, `months` and `selected` are empty. */
  allOrgs?: AllOrgsView;
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
  | { type: 'progress'; live: LiveCount | undefined }
  /** A listing of the shown org's users advanced (`page 3 · 600 users`); its start and end send a new model. */
  | { type: 'listing'; message: string };

/** `ALL_ORGS` as the org picked: every org's count of one month. */
export const ALL_ORGS = 'all';

export type FromWebview =
  | { type: 'ready'; month?: string; orgId?: string }
  | { type: 'selectMonth'; month: string }
  | { type: 'selectOrg'; orgId: string }
  | { type: 'recount'; month: string }
  /** Lists the shown org's users ("Okta: List Users"), for the Licences card. */
  | { type: 'listUsers' };

/**
 * A message from the webview as the extension accepts it: the page runs org data, so whatever
 * arrives is checked for its shape before it is acted on, and anything else is dropped.
 */
export function fromWebview(value: unknown): FromWebview | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const m = value as Record<string, unknown>;
  const optional = (v: unknown) => v === undefined || typeof v === 'string';
  switch (m.type) {
    case 'ready':
      return optional(m.month) && optional(m.orgId) ? { type: 'ready', month: m.month as string | undefined, orgId: m.orgId as string | undefined } : undefined;
    case 'selectMonth':
    case 'recount':
      return typeof m.month === 'string' && MONTH.test(m.month) ? { type: m.type, month: m.month } : undefined;
    case 'selectOrg':
      return typeof m.orgId === 'string' ? { type: 'selectOrg', orgId: m.orgId } : undefined;
    case 'listUsers':
      return { type: 'listUsers' };
    default:
      return undefined;
  }
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** What the webview keeps with `setState`, so a reloaded or restored panel shows the same month. */
export interface WebviewState {
  month?: string;
  /** An org picked in the panel, or `ALL_ORGS`. */
  orgId?: string;
}
