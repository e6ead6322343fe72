/**
 * The saved user-listing file format. Format 2 keeps the core's `UsersListing` (what the next listing
 * builds on: when it started, its last full listing, how current its sign-ins are) without the org URL,
 * which stays in SecretStorage with the credential: `{ "formatVersion": 2, "listing": { orgId,
 * credential, statuses, listedAt, fullListedAt, lastLoginAsOf, …, users } }`, `orgId` the org's id
 * (the file's name) and `credential` the core's `credentialTag` of the credential that listed them.
 * Format 1 (`{ listedAt, statuses, users }`, written before listings were incremental) still loads,
 * to show, but is never built on: the next listing lists every user.
 *
 * Reading checks every field the tree, the exports and the next listing read, with the core's rules
 * (`listedUserProblem`, `checkListingBody`), the users a chunk per turn of the event loop, so a
 * truncated, hand-edited or misplaced file is recognised as damaged instead of breaking a view or
 * being built on. No `vscode` import: plain data in and out (test/unit/storedUsers.test.ts).
 */
import { checkListingBody, copyListedUser, listedUserProblem, USERS_LISTING_VERSION, type ListingBody, type UsersListing } from '../core/userListing';
import type { OrgUser } from '../core/users';
import { parseUsersLast, serialiseUsersLast } from './usersLastJson';

/** An org's users as the extension keeps them: the core's listing, the org named by its id only. */
export interface UserListing extends ListingBody {
  /** The org's id (`orgIdFor`, the file's name): a file under another org's name is not this org's listing. */
  orgId: string;
  /**
   * The core's `credentialTag` of the credential that listed the users. A listing by another
   * credential (the org's credential was updated since) is shown but not built on; absent for a
   * listing of format 1, which is never built on either.
   */
  credential?: string;
}

export const USERS_FORMAT_VERSION = 2;
/** What the extension wrote before listings were incremental: still read, to show. */
const FIRST_FORMAT = 1;

export type ListingRead = { kind: 'ok'; listing: UserListing } | { kind: 'newer'; formatVersion: number } | { kind: 'damaged'; reason: string };

/** Checks and parses a saved listing of the org `orgId`. */
export async function readListing(bytes: Buffer, orgId: string): Promise<ListingRead> {
  let file: unknown;
  try {
    file = await parseUsersLast(bytes, 'listing', checkUser);
  } catch (err) {
    return { kind: 'damaged', reason: err instanceof ListingShapeError ? err.message : 'it is not valid JSON (cut off or garbled)' };
  }
  const version = (file as { formatVersion?: unknown } | null)?.formatVersion;
  if (typeof version === 'number' && version > USERS_FORMAT_VERSION) return { kind: 'newer', formatVersion: version };
  if (!isObject(file) || (version !== USERS_FORMAT_VERSION && version !== FIRST_FORMAT) || !isObject(file.listing)) return { kind: 'damaged', reason: 'it is not a saved user listing' };
  const l = file.listing;
  if (version === FIRST_FORMAT) return firstFormat(l, orgId);
  if (l.orgId !== orgId) return { kind: 'damaged', reason: "it holds another org's listing" };
  if (typeof l.credential !== 'string' || !/^[0-9a-f]{12}$/.test(l.credential)) return { kind: 'damaged', reason: 'it holds a listing with missing or malformed fields' };
  const check = checkListingBody(l, true);
  if (!check.ok) return { kind: 'damaged', reason: `it ${check.problem}` };
  return { kind: 'ok', listing: { orgId, credential: l.credential, ...check.body } };
}

/** A listing of format 1 as one of today's: a full listing made when it says, by a credential it does not name. */
function firstFormat(l: Record<string, unknown>, orgId: string): ListingRead {
  const listedAt = l.listedAt;
  const at = typeof listedAt === 'string' ? Date.parse(listedAt) : NaN;
  if (!Number.isFinite(at)) return { kind: 'damaged', reason: 'it holds a listing with missing or malformed fields' };
  // Format 1 kept when the listing ended, in any form `Date.parse` reads; today's listings keep ISO instants.
  const iso = new Date(at).toISOString();
  const check = checkListingBody({ statuses: l.statuses, listedAt: iso, fullListedAt: iso, lastLoginAsOf: iso, incremental: false, requests: 0, users: l.users }, true);
  if (!check.ok) return { kind: 'damaged', reason: `it ${check.problem}` };
  return { kind: 'ok', listing: { orgId, ...check.body } };
}

/**
 * Why the listing on disk stays rather than `incoming`, or undefined when `incoming` may replace it.
 * Another window may have listed the users since this listing started: a save never goes back to an
 * older listing.
 */
export function reasonToKeepListing(onDisk: UserListing, incoming: UserListing): string | undefined {
  return Date.parse(onDisk.listedAt) > Date.parse(incoming.listedAt) ? `the saved listing from ${onDisk.listedAt} is newer than this one (${incoming.listedAt})` : undefined;
}

/** The file's JSON as UTF-8 parts, a chunk of users per turn of the event loop; `users` is the last key. */
export async function serialiseListing(listing: UserListing): Promise<Buffer[]> {
  const { users, ...head } = listing;
  return serialiseUsersLast(USERS_FORMAT_VERSION, 'listing', { ...head, users });
}

/**
 * What the extension keeps of a listing the core made, for the org `orgId` by the credential tagged
 * `credential`: all but the format and the org URL, and not why it was made in full (that reason can
 * name the org's host; it is in the log).
 */
export function toStoredListing(listing: UsersListing, orgId: string, credential: string): UserListing {
  const { formatVersion: _format, orgUrl: _org, fullReason: _reason, users, ...head } = listing;
  return { orgId, credential, ...head, users };
}

/** The saved listing as the core's `previous`, for the org at `orgUrl` (normalised). */
export function toCoreListing(listing: UserListing, orgUrl: string): UsersListing {
  const { orgId: _id, credential: _credential, users, ...head } = listing;
  return { formatVersion: USERS_LISTING_VERSION, orgUrl, ...head, users };
}

export interface ListingPlan {
  /** The saved listing to hand the core as `previous`; it still decides whether it can be built on (age, statuses, clock). */
  base?: UserListing;
  /** The statuses to list. */
  statuses: string[];
  /** Why the saved listing is not handed over, when there is one. */
  reason?: string;
}

/**
 * What a listing starts from. The saved listing is handed over only when the same credential made
 * it (what a credential may list depends on its admin's role); one of format 1 names none. Its
 * statuses are asked for again when they include every wanted one (the setting was narrowed since), so
 * the listing stays incremental; from scratch, exactly the wanted ones are listed.
 */
export function planFrom(saved: UserListing | undefined, o: { credential: string; statuses: readonly string[]; fromScratch: boolean }): ListingPlan {
  const wanted = [...o.statuses];
  if (!saved) return { statuses: wanted };
  if (o.fromScratch) return { statuses: wanted, reason: 'listing from scratch, as asked' };
  if (saved.credential === undefined) return { statuses: wanted, reason: 'the saved listing was made by an earlier version of the extension' };
  if (saved.credential !== o.credential) return { statuses: wanted, reason: 'the saved listing was made with another credential' };
  return { base: saved, statuses: missingStatuses(saved, wanted).length === 0 ? [...saved.statuses] : wanted };
}

/** The statuses a listing lacks of those wanted. */
export function missingStatuses(listing: Pick<UserListing, 'statuses'>, wanted: readonly string[]): string[] {
  return wanted.filter((s) => !listing.statuses.includes(s));
}

/** A user's fields, whatever its status (the core's rules); rebuilt with only a user's members. */
function checkUser(u: unknown): OrgUser {
  const problem = listedUserProblem(u);
  if (problem) throw new ListingShapeError(`it ${problem}`);
  return copyListedUser(u as OrgUser);
}

class ListingShapeError extends Error {}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
