/**
 * The saved user-listing file format: `{ "formatVersion": 1, "listing": { listedAt, statuses, users } }`,
 * the users the core's `listUsers` returned and when. Reading checks every field the tree and the
 * exports read, so a truncated or hand-edited file is recognised as damaged instead of breaking a
 * view. No `vscode` import: plain data in and out (test/unit/storedUsers.test.ts).
 */
import type { OrgUser } from '../core/users';
import { USER_STATUSES } from '../core/userStatus';
import { parseUsersLast, serialiseUsersLast } from './usersLastJson';

/** An org's users in the listed statuses, as the Users API gave them at `listedAt`. */
export interface UserListing {
  /** When the listing finished (ISO 8601 UTC): "users listed 3 min ago", and the instant dormancy counts back from. */
  listedAt: string;
  /** The statuses listed (the core's `BILLABLE_STATUSES` unless another set was asked for). */
  statuses: string[];
  users: OrgUser[];
}

export const USERS_FORMAT_VERSION = 1;

export type ListingRead = { kind: 'ok'; listing: UserListing } | { kind: 'newer'; formatVersion: number } | { kind: 'damaged'; reason: string };

/** Checks and parses a saved listing. */
export async function readListing(bytes: Buffer): Promise<ListingRead> {
  let file: unknown;
  try {
    file = await parseUsersLast(bytes, 'listing', checkUser);
  } catch (err) {
    return { kind: 'damaged', reason: err instanceof ListingShapeError ? err.message : 'it is not valid JSON (cut off or garbled)' };
  }
  const version = (file as { formatVersion?: unknown } | null)?.formatVersion;
  if (typeof version === 'number' && version > USERS_FORMAT_VERSION) return { kind: 'newer', formatVersion: version };
  if (!isObject(file) || file.formatVersion !== USERS_FORMAT_VERSION) return { kind: 'damaged', reason: 'it is not a saved user listing' };
  const l = file.listing;
  if (!isObject(l) || !isInstant(l.listedAt) || !Array.isArray(l.statuses) || !l.statuses.every(isStatus) || !Array.isArray(l.users)) {
    return { kind: 'damaged', reason: 'it holds a listing with missing or malformed fields' };
  }
  return { kind: 'ok', listing: l as unknown as UserListing };
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
  return serialiseUsersLast(USERS_FORMAT_VERSION, 'listing', listing);
}

/** The fields of a user the tree and the exports read. */
function checkUser(u: unknown): OrgUser {
  const ok =
    isObject(u) &&
    typeof u.id === 'string' &&
    u.id !== '' &&
    typeof u.login === 'string' &&
    typeof u.displayName === 'string' &&
    // Any status Okta sends is kept (a status added later included); only the listed ones are checked.
    typeof u.status === 'string' &&
    (u.lastLogin === null || isInstant(u.lastLogin)) &&
    optionalInstant(u.created) &&
    optionalInstant(u.activated) &&
    optionalInstant(u.passwordChanged);
  if (!ok) throw new ListingShapeError('it holds a user with missing or malformed fields');
  return u as unknown as OrgUser;
}

class ListingShapeError extends Error {}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInstant = (v: unknown): v is string => typeof v === 'string' && Number.isFinite(Date.parse(v));
const optionalInstant = (v: unknown): boolean => v === undefined || isInstant(v);
const isStatus = (v: unknown): v is string => typeof v === 'string' && (USER_STATUSES as readonly string[]).includes(v);
