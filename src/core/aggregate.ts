import type { ClientInfo, UserActivity } from './types';
import type { SignIn } from './sources';
import { nextTurn, throwIfAborted } from './sleep';

const DAY_MS = 86_400_000;

/**
 * Folds sign-ins into per-user activity. Memory grows with users, not events: each sign-in updates its
 * user's counters and is dropped. Each user's report row exists from their first sign-in and is updated
 * in place; only its first and last sign-in times live beside it, as numbers, until `finish` writes
 * them as ISO strings. So finishing a count never holds every user twice (once as counters, once as rows).
 */
export class ActivityAggregator {
  /** Row index by user id. */
  private index = new Map<string, number>();
  private rows: UserActivity[] = [];
  private first: number[] = [];
  private last: number[] = [];
  private readonly strings = new Map<string, string>();
  events = 0;

  constructor(private readonly monthStart: number) {}

  /** Starts from an earlier report's users, so a refresh adds only what is new. */
  seed(users: readonly UserActivity[], events: number): void {
    for (const u of users) {
      this.push(u.id, u.login, u.displayName, u.sessions, u.dayMask ?? 0, Date.parse(u.firstSeen), Date.parse(u.lastSeen), u.lastClient);
    }
    this.events = events;
  }

  get userCount(): number {
    return this.rows.length;
  }

  add(s: SignIn): void {
    this.events++;
    const day = Math.floor((s.published - this.monthStart) / DAY_MS);
    const bit = day >= 0 && day < 31 ? 1 << day : 0;
    const i = this.index.get(s.userId);
    if (i === undefined) {
      this.push(s.userId, s.login, s.displayName, 1, bit, s.published, s.published, s.client && this.internClient(s.client));
      return;
    }
    const row = this.rows[i];
    row.sessions++;
    row.dayMask = (row.dayMask as number) | bit;
    if (s.published < this.first[i]) this.first[i] = s.published;
    if (s.published >= this.last[i]) {
      // The latest sign-in names the user as they are now and the client they used last. A value is
      // replaced only when it changed: each sign-in's strings are new copies, and stored in a long-lived
      // row they would outlive the young generation and pile up in the old one as garbage.
      this.last[i] = s.published;
      if (s.login !== row.login) row.login = s.login;
      if (s.displayName && s.displayName !== row.displayName) row.displayName = s.displayName;
      if (s.client && !sameClient(row.lastClient, s.client)) row.lastClient = this.internClient(s.client);
    }
  }

  private push(id: string, login: string, displayName: string, sessions: number, days: number, first: number, last: number, client?: ClientInfo): void {
    this.index.set(id, this.rows.length);
    // Every row gets the same fields in the same order, so V8 gives them all one shape.
    this.rows.push({ id, login, displayName, sessions, activeDays: 0, firstSeen: '', lastSeen: '', lastClient: client, dayMask: days });
    this.first.push(first);
    this.last.push(last);
  }

  /**
   * The report rows, most active first, and the distinct users per day. Rows are completed a chunk per
   * turn of the event loop (a host's UI stays responsive with 100,000 users). The aggregator is empty
   * afterwards.
   */
  async finish(days: number, signal?: AbortSignal): Promise<{ users: UserActivity[]; dailyActiveUsers: number[] }> {
    const daily = new Array<number>(days).fill(0);
    const { rows, first, last } = this;
    this.index = new Map();
    this.rows = [];
    this.first = [];
    this.last = [];
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i];
      const mask = (row.dayMask as number) >>> 0;
      for (let bits = mask; bits; bits &= bits - 1) daily[31 - Math.clz32(bits & -bits)]++;
      row.dayMask = mask;
      row.activeDays = popcount(mask);
      // Most users sign in once or twice: one ISO string serves both ends then.
      row.firstSeen = isoTime(first[i]);
      row.lastSeen = last[i] === first[i] ? row.firstSeen : isoTime(last[i]);
      if ((i + 1) % FINISH_CHUNK === 0) {
        await nextTurn();
        throwIfAborted(signal);
      }
    }
    return { users: await sortInTurns(rows, compareUsers), dailyActiveUsers: daily };
  }

  /** The same client strings (browser, OS, country, city, device) repeat across users: keep one copy each. */
  private intern(value: string | undefined): string | undefined {
    if (value === undefined) return undefined;
    const known = this.strings.get(value);
    if (known !== undefined) return known;
    if (this.strings.size < MAX_INTERNED) this.strings.set(value, value);
    return value;
  }

  /**
   * The client as the report gives it: only the fields that are there, the repeated strings shared.
   * A plain loop, as Object.entries/fromEntries cost ~1 µs a user.
   */
  private internClient(c: ClientInfo): ClientInfo | undefined {
    let out: Record<string, string> | undefined;
    for (const field in c) {
      const value = c[field as keyof ClientInfo];
      if (value !== undefined) (out ??= {})[field] = field === 'ipAddress' ? value : (this.intern(value) as string);
    }
    return out;
  }
}

/** Users most sessions first, then by login and id in code-unit order: cheap, and the same in every host. */
export function compareUsers(x: UserActivity, y: UserActivity): number {
  return y.sessions - x.sessions || compareText(x.login, y.login) || compareText(x.id, y.id);
}

/** Code-unit order: cheap, and the same in every host (no locale). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Rows completed per turn of the event loop when a count finishes. */
const FINISH_CHUNK = 2000;
/** Rows sorted per turn (~1.5 ms), then comparisons per turn while the sorted runs are merged. */
const SORT_RUN = 2000;
const MERGES_PER_TURN = 20_000;

/**
 * `rows` sorted by `compare`, a bounded amount of work per turn of the event loop: one `sort` of
 * 40,000 report rows blocks a host for about 40 ms. Runs of `SORT_RUN` rows are sorted one per turn,
 * then merged pairwise (stable, like `Array.prototype.sort`). May sort `rows` in place.
 */
export async function sortInTurns<T>(rows: T[], compare: (a: T, b: T) => number): Promise<T[]> {
  const n = rows.length;
  if (n <= SORT_RUN) return rows.sort(compare);
  for (let lo = 0; lo < n; lo += SORT_RUN) {
    const run = rows.slice(lo, lo + SORT_RUN).sort(compare);
    for (let j = 0; j < run.length; j++) rows[lo + j] = run[j];
    await nextTurn();
  }
  let from = rows;
  let to = new Array<T>(n);
  let work = 0;
  for (let width = SORT_RUN; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n);
      const hi = Math.min(lo + 2 * width, n);
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) {
        // Only a strictly smaller right element goes first: equal rows keep their order.
        to[k++] = compare(from[j], from[i]) < 0 ? from[j++] : from[i++];
        if (++work === MERGES_PER_TURN) {
          work = 0;
          await nextTurn();
        }
      }
      while (i < mid) to[k++] = from[i++];
      while (j < hi) to[k++] = from[j++];
    }
    [from, to] = [to, from];
  }
  return from;
}
/** Distinct client strings kept for sharing; past this (unexpected) many, new ones are simply not shared. */
const MAX_INTERNED = 50_000;


const CLIENT_FIELDS = ['ipAddress', 'country', 'city', 'browser', 'os', 'device'] as const;

function sameClient(kept: ClientInfo | undefined, seen: ClientInfo): boolean {
  if (!kept) return false;
  for (const field of CLIENT_FIELDS) if (kept[field] !== seen[field]) return false;
  return true;
}

/** `YYYY-MM-DDTHH:MM:SS.mmmZ` is built in these bytes: decoded once, the result is one flat string. */
const isoBytes = Buffer.alloc(24, 'Z');
/** Date parts (`2026-10-05T`) by day number: a month's sign-ins fall on a few dozen days. */
const dayPrefixes = new Map<number, Buffer>();

/**
 * `new Date(ms).toISOString()` for the times a count holds, about twice as fast: finishing a
 * count formats two per user. (Built by concatenation it would be a rope of string pieces, five times
 * the memory of a flat string for 100,000 users.) Times outside years 1000–9999 go through `Date`.
 */
export function isoTime(ms: number): string {
  if (!(ms >= -30_610_224_000_000 && ms < 253_402_300_800_000) || !Number.isInteger(ms)) return new Date(ms).toISOString();
  const day = Math.floor(ms / DAY_MS);
  let prefix = dayPrefixes.get(day);
  if (!prefix) {
    if (dayPrefixes.size >= 1000) dayPrefixes.clear();
    prefix = Buffer.from(new Date(day * DAY_MS).toISOString().slice(0, 11), 'latin1');
    dayPrefixes.set(day, prefix);
  }
  for (let i = 0; i < 11; i++) isoBytes[i] = prefix[i];
  let rest = ms - day * DAY_MS;
  const millis = rest % 1000;
  rest = (rest - millis) / 1000;
  const seconds = rest % 60;
  rest = (rest - seconds) / 60;
  const minutes = rest % 60;
  const hours = (rest - minutes) / 60;
  digits(hours, 11, 2);
  isoBytes[13] = COLON;
  digits(minutes, 14, 2);
  isoBytes[16] = COLON;
  digits(seconds, 17, 2);
  isoBytes[19] = DOT;
  digits(millis, 20, 3);
  return isoBytes.toString('latin1', 0, 24);
}

const COLON = 0x3a;
const DOT = 0x2e;

function digits(n: number, at: number, width: number): void {
  for (let i = at + width - 1; i >= at; i--) {
    isoBytes[i] = 0x30 + (n % 10);
    n = Math.floor(n / 10);
  }
}

function popcount(n: number): number {
  let v = n >>> 0;
  let c = 0;
  while (v) {
    v &= v - 1;
    c++;
  }
  return c;
}

