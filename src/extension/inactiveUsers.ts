/**
 * Who holds a licence without using it, from the saved listing and the saved counts: the core's
 * `inactiveInMonth` (a month's saved report) and `dormantFor` (Okta's `lastLogin`, counted back from
 * when the users were listed, with the `oktaMau.dormantDays` setting), over the users in the statuses
 * of `oktaMau.licensedStatuses`. Worked out once per listing, report, statuses and number of days, and
 * shared by the tree, the dashboard, the exports and the API (licensed and active users and
 * utilisation come with each answer).
 *
 * A listing made before the setting asked for a status holds none of its users: it answers nothing
 * (`listing()` is undefined) until the users are listed again, rather than a licensed figure too low.
 */
import { dormantFor, inactiveInMonth, type InactiveReport } from '../core/users';
import { readSettings } from './config';
import type { OrgEntry } from './orgStore';
import type { ResultStore, StoredReport } from './resultStore';
import { missingStatuses } from './storedUsers';
import type { UserListing, UserListStore } from './userListStore';

export type { InactiveReport } from '../core/users';

type Org = Pick<OrgEntry, 'id' | 'orgUrl'>;

export class InactiveUsers {
  private readonly inMonths = new WeakMap<UserListing, WeakMap<StoredReport, Map<string, InactiveReport>>>();
  private readonly dormant = new WeakMap<UserListing, Map<string, InactiveReport>>();

  constructor(
    private readonly listings: UserListStore,
    private readonly results: ResultStore,
  ) {}

  /** The statuses that hold a licence: the setting `oktaMau.licensedStatuses`. */
  statuses(): string[] {
    return readSettings().licensedStatuses;
  }

  /** The licensed statuses a saved listing lacks (it was made before the setting asked for them); none when it can be used. */
  missing(listing: Pick<UserListing, 'statuses'>): string[] {
    return missingStatuses(listing, this.statuses());
  }

  /** The saved listing of the org's users, if they were listed in every licensed status. */
  async listing(orgId: string): Promise<UserListing | undefined> {
    const listing = await this.listings.load(orgId);
    return listing && this.missing(listing).length === 0 ? listing : undefined;
  }

  /**
   * Users in the licensed statuses with no qualifying sign-in in the month's saved count (of the
   * current definition of "active"); undefined before the users are listed or the month is counted.
   */
  async inMonth(org: Org, month: string): Promise<InactiveReport | undefined> {
    const [listing, report] = await Promise.all([this.listing(org.id), this.results.load(org.id, month)]);
    return listing && report ? this.inMonthOf(org, listing, report) : undefined;
  }

  /** The same, for a listing and report already read. */
  inMonthOf(org: Org, listing: UserListing, report: StoredReport, statuses = this.statuses()): InactiveReport {
    let byReport = this.inMonths.get(listing);
    if (!byReport) this.inMonths.set(listing, (byReport = new WeakMap()));
    let byStatuses = byReport.get(report);
    if (!byStatuses) byReport.set(report, (byStatuses = new Map()));
    const key = statuses.join();
    let result = byStatuses.get(key);
    if (!result) {
      result = inactiveInMonth(listing.users, { orgUrl: org.orgUrl, month: report.month, users: report.users }, statuses, new Date(listing.listedAt));
      byStatuses.set(key, result);
    }
    return result;
  }

  /** Users in the licensed statuses whose last sign-in is older than `days` (the setting by default) before the listing, or who never signed in. */
  async dormantIn(org: Org, days = readSettings().dormantDays): Promise<InactiveReport | undefined> {
    const listing = await this.listing(org.id);
    return listing && this.dormantOf(org, listing, days);
  }

  dormantOf(org: Org, listing: UserListing, days: number, statuses = this.statuses()): InactiveReport {
    let byKey = this.dormant.get(listing);
    if (!byKey) this.dormant.set(listing, (byKey = new Map()));
    const key = `${days}/${statuses.join()}`;
    let result = byKey.get(key);
    if (!result) {
      result = dormantFor(listing.users, org.orgUrl, days, new Date(listing.listedAt), statuses);
      byKey.set(key, result);
    }
    return result;
  }
}
