/**
 * The saved files' JSON shape for large user lists: `{ "formatVersion": n, "<key>": { …, "users": [ … ] } }`
 * with `users` the inner object's last key, so its users can be written and read a chunk per turn
 * of the event loop. One `JSON.stringify` or `JSON.parse` of 100,000 users (about 25 MB) would hold
 * the extension host for a few hundred milliseconds. Used by saved counts (`storedReport.ts`) and
 * saved user listings (`storedUsers.ts`). No `vscode` import.
 */
import { JsonArrayReader } from '../core/jsonArray';
import { nextTurn } from '../core/sleep';

/** Users serialised or parsed per turn of the event loop. */
const USERS_PER_TURN = 2000;
/** How `serialiseUsersLast` writes the users array: the inner object's last key. */
const USERS_KEY = Buffer.from('"users":[');

/** The file's JSON as UTF-8 parts, a chunk of users stringified and encoded per turn; `users` is written last. */
export async function serialiseUsersLast(formatVersion: number, key: string, body: { users: readonly unknown[] }): Promise<Buffer[]> {
  const { users, ...rest } = body;
  // `users` is the inner object's last key, so its empty array is the text's last "[]" before the closing braces.
  const text = JSON.stringify({ formatVersion, [key]: { ...rest, users: [] } });
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

/**
 * The file parsed, its `<key>.users` read (and each checked by `checkUser`, which throws on a bad
 * one) a chunk per turn; a file not shaped as `serialiseUsersLast` writes it (users not last) is
 * parsed whole and its users checked the same. Throws `SyntaxError` on invalid JSON.
 */
export async function parseUsersLast<T>(bytes: Buffer, key: string, checkUser: (u: unknown) => T): Promise<unknown> {
  const at = bytes.indexOf(USERS_KEY);
  const close = bytes.lastIndexOf(0x5d);
  if (at < 0 || close < at || bytes.toString('utf8', close + 1).trim() !== '}}') {
    const whole = JSON.parse(bytes.toString('utf8')) as Record<string, { users?: unknown } | undefined> | null;
    const users = whole?.[key]?.users;
    if (Array.isArray(users)) users.forEach(checkUser);
    return whole;
  }
  // Inside JSON strings quotes are escaped, so the first `"users":[` is the key itself.
  const file = JSON.parse(`${bytes.toString('utf8', 0, at)}"users":[]}}`) as Record<string, unknown> | null;
  const reader = new JsonArrayReader(bytes.subarray(at + USERS_KEY.length - 1, close + 1));
  const users: T[] = [];
  while (!reader.read(USERS_PER_TURN, checkUser, users)) await nextTurn();
  const inner = file?.[key];
  if (typeof inner === 'object' && inner !== null && !Array.isArray(inner)) (inner as { users: unknown }).users = users;
  return file;
}
