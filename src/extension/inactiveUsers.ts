/**
 * Who holds a licence without using it, from the saved listing and the saved counts: the core's
 * `inactiveInMonth` (a month's saved report) and `dormantFor` (Okta's `lastLogin`, counted back from
 * when the users were listed, with the `oktaMau.dormantDays` setting). Worked out once per listing,
 * report and number of days, and shared by the tree, the exports and the API (licensed and active
 * users and utilisation come with each answer).
 */
import { dormantFor, inactiveInMonth, type InactiveReport } from '../core/users';
import { readSettings } from './config';
import type { OrgEntry } from './orgStore';
import type { ResultStore, StoredReport } from './resultStore';
import type { UserListing, UserListStore } from './userListStore';

export type { InactiveReport } from '../core/users';

type Org = Pick<OrgEntry, 'id' | 'orgUrl'>;

export class InactiveUsers {
  private readonly inMonths = new WeakMap<UserListing, WeakMap<StoredReport, InactiveReport>>();
  private readonly dormant = new WeakMap<UserListing, Map<number, InactiveReport>>();

  constructor(
    private readonly listings: UserListStore,
    private readonly results: ResultStore,
  ) {}

  /** The saved listing of the org's users, if they were listed. */
  listing(orgId: string): Promise<UserListing | undefined> {
    return this.listings.load(orgId);
  }

  /**
   * Users in the listed statuses with no qualifying sign-in in the month's saved count (of the
   * current definition of "active"); undefined before the users are listed or the month is counted.
   */
  async inMonth(org: Org, month: string): Promise<InactiveReport | undefined> {
    const [listing, report] = await Promise.all([this.listings.load(org.id), this.results.load(org.id, month)]);
    return listing && report ? this.inMonthOf(org, listing, report) : undefined;
  }

  /** The same, for a listing and report already read. */
  inMonthOf(org: Org, listing: UserListing, report: StoredReport): InactiveReport {
    let byReport = this.inMonths.get(listing);
    if (!byReport) this.inMonths.set(listing, (byReport = new WeakMap()));
    let result = byReport.get(report);
    if (!result) {
      result = inactiveInMonth(listing.users, { orgUrl: org.orgUrl, month: report.month, users: report.users }, listing.statuses, new Date(listing.listedAt));
      byReport.set(report, result);
    }
    return result;
  }

  /** Users in the listed statuses whose last sign-in is older than `days` (the setting by default) before the listing, or who never signed in. */
  async dormantIn(org: Org, days = readSettings().dormantDays): Promise<InactiveReport | undefined> {
    const listing = await this.listings.load(org.id);
    return listing && this.dormantOf(org, listing, days);
  }

  dormantOf(org: Org, listing: UserListing, days: number): InactiveReport {
    let byDays = this.dormant.get(listing);
    if (!byDays) this.dormant.set(listing, (byDays = new Map()));
    let result = byDays.get(days);
    if (!result) {
      result = dormantFor(listing.users, org.orgUrl, days, new Date(listing.listedAt), listing.statuses);
      byDays.set(days, result);
    }
    return result;
  }
}
