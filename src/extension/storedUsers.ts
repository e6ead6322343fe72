/**
 * The saved user-listing file format: `{ "formatVersion": 1, "listing": { listedAt, statuses, users } }`,
 * the users the core's `listUsers` returned and when. Reading checks every field the tree and the
 * exports read, so a truncated or hand-edited file is recognised as damaged instead of breaking a
 * view. No `vscode` import: plain data in and out (test/unit/storedUsers.test.ts).
 */
import { JsonArrayReader } from '../core/jsonArray';
import { nextTurn } from '../core/sleep';
import type { OrgUser } from '../core/users';
import { USER_STATUSES } from '../core/userStatus';

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

/** Users serialised or parsed per turn of the event loop: an org of 100,000 users is some 25 MB of JSON. */
const USERS_PER_TURN = 2000;
/** How `serialiseListing` writes the users array: the listing's last key. */
const USERS_KEY = Buffer.from('"users":[');

/** Checks and parses a saved listing. */
export async function readListing(bytes: Buffer): Promise<ListingRead> {
  let file: unknown;
  try {
    file = await parseListing(bytes);
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
  const { users, ...rest } = listing;
  const text = JSON.stringify({ formatVersion: USERS_FORMAT_VERSION, listing: { ...rest, users: [] } });
  const at = text.lastIndexOf('[]}}');
  const parts = [Buffer.from(`${text.slice(0, at)}[`)];
  for (let i = 0; i < users.length; i += USERS_PER_TURN) {
    const chunk = users.slice(i, i + USERS_PER_TURN).map((u) => JSON.stringify(u)).join(',');
    parts.push(Buffer.from(i === 0 ? chunk : `,${chunk}`));
    await nextTurn();
  }
  parts.push(Buffer.from(']}}'));
  return parts;
}

/** The file parsed with its users read (and checked) a chunk per turn; a file not shaped as `serialiseListing` writes it is parsed whole. */
async function parseListing(bytes: Buffer): Promise<unknown> {
  const at = bytes.indexOf(USERS_KEY);
  const close = bytes.lastIndexOf(0x5d);
  if (at < 0 || close < at || bytes.toString('utf8', close + 1).trim() !== '}}') {
    const whole = JSON.parse(bytes.toString('utf8')) as { listing?: { users?: unknown } };
    const users = whole?.listing?.users;
    if (Array.isArray(users)) users.forEach(checkUser);
    return whole;
  }
  // Inside JSON strings quotes are escaped, so the first `"users":[` is the key itself.
  const file = JSON.parse(`${bytes.toString('utf8', 0, at)}"users":[]}}`) as { listing?: { users?: unknown } };
  const reader = new JsonArrayReader(bytes.subarray(at + USERS_KEY.length - 1, close + 1));
  const users: OrgUser[] = [];
  while (!reader.read(USERS_PER_TURN, checkUser, users)) await nextTurn();
  if (isObject(file?.listing)) file.listing.users = users;
  return file;
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
