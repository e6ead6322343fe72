import type { ClientInfo, UserActivity } from './types';
import type { SignIn } from './sources';

const DAY_MS = 86_400_000;

interface Accumulator {
  login: string;
  displayName: string;
  sessions: number;
  /** Bit d set = active on day d of the month (a month has at most 31 days). */
  days: number;
  first: number;
  last: number;
  client?: ClientInfo;
}

/**
 * Folds sign-ins into per-user activity. Memory grows with users, not events: each sign-in updates its
 * user's counters and is dropped.
 */
export class ActivityAggregator {
  private readonly users = new Map<string, Accumulator>();
  private readonly strings = new Map<string, string>();
  events = 0;

  constructor(private readonly monthStart: number) {}

  /** Starts from an earlier report's users, so a refresh adds only what is new. */
  seed(users: readonly UserActivity[], events: number): void {
    for (const u of users) {
      this.users.set(u.id, {
        login: u.login,
        displayName: u.displayName,
        sessions: u.sessions,
        days: u.dayMask ?? 0,
        first: Date.parse(u.firstSeen),
        last: Date.parse(u.lastSeen),
        client: u.lastClient,
      });
    }
    this.events = events;
  }

  get userCount(): number {
    return this.users.size;
  }

  add(s: SignIn): void {
    this.events++;
    const day = Math.floor((s.published - this.monthStart) / DAY_MS);
    const bit = day >= 0 && day < 31 ? 1 << day : 0;
    const acc = this.users.get(s.userId);
    if (!acc) {
      this.users.set(s.userId, {
        login: s.login,
        displayName: s.displayName,
        sessions: 1,
        days: bit,
        first: s.published,
        last: s.published,
        client: s.client && this.internClient(s.client),
      });
      return;
    }
    acc.sessions++;
    acc.days |= bit;
    if (s.published < acc.first) acc.first = s.published;
    if (s.published >= acc.last) {
      // The latest sign-in names the user as they are now and the client they used last.
      acc.last = s.published;
      acc.login = s.login;
      acc.displayName = s.displayName || acc.displayName;
      if (s.client) acc.client = this.internClient(s.client);
    }
  }

  /**
   * The report rows, most active first, and the distinct users per day. Rows are built a chunk per turn
   * of the event loop (a host's UI stays responsive with 100,000 users) and each accumulator is freed
   * once its row exists, so the two never both hold every user. The aggregator is empty afterwards.
   */
  async finish(days: number): Promise<{ users: UserActivity[]; dailyActiveUsers: number[] }> {
    const daily = new Array<number>(days).fill(0);
    const out: UserActivity[] = [];
    let n = 0;
    for (const [id, a] of this.users) {
      for (let bits = a.days >>> 0; bits; bits &= bits - 1) daily[31 - Math.clz32(bits & -bits)]++;
      // Most users sign in once or twice: one ISO string serves both ends then.
      const firstSeen = new Date(a.first).toISOString();
      out.push({
        id,
        login: a.login,
        displayName: a.displayName,
        sessions: a.sessions,
        activeDays: popcount(a.days),
        firstSeen,
        lastSeen: a.last === a.first ? firstSeen : new Date(a.last).toISOString(),
        lastClient: a.client && compact(a.client),
        dayMask: a.days >>> 0,
      });
      this.users.delete(id);
      if (++n % FINISH_CHUNK === 0) await nextTurn();
    }
    out.sort(compareUsers);
    return { users: out, dailyActiveUsers: daily };
  }

  /** The same client strings (browser, OS, country, city, device) repeat across users: keep one copy each. */
  private intern(value: string | undefined): string | undefined {
    if (value === undefined) return undefined;
    const known = this.strings.get(value);
    if (known !== undefined) return known;
    if (this.strings.size < MAX_INTERNED) this.strings.set(value, value);
    return value;
  }

  private internClient(c: ClientInfo): ClientInfo {
    return {
      ipAddress: c.ipAddress,
      country: this.intern(c.country),
      city: this.intern(c.city),
      browser: this.intern(c.browser),
      os: this.intern(c.os),
      device: this.intern(c.device),
    };
  }
}

/** Users most sessions first, then by login and id in code-unit order: cheap, and the same in every host. */
export function compareUsers(x: UserActivity, y: UserActivity): number {
  return y.sessions - x.sessions || compareText(x.login, y.login) || compareText(x.id, y.id);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Rows built per turn of the event loop when a count finishes. */
const FINISH_CHUNK = 2000;
/** Distinct client strings kept for sharing; past this (unexpected) many, new ones are simply not shared. */
const MAX_INTERNED = 50_000;

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
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

/** The client without its undefined fields; a plain loop, as Object.entries/fromEntries cost ~1 µs a user. */
function compact(c: ClientInfo): ClientInfo | undefined {
  let out: Record<string, string> | undefined;
  for (const field in c) {
    const value = c[field as keyof ClientInfo];
    if (value !== undefined) (out ??= {})[field] = value;
  }
  return out;
}
