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
        client: s.client,
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
      if (s.client) acc.client = s.client;
    }
  }

  /** Users, most sessions first, then by login. */
  activities(): UserActivity[] {
    const out: UserActivity[] = [];
    for (const [id, a] of this.users) {
      // Most users sign in once or twice: one ISO string serves both ends then. This loop runs in one
      // turn of the host's event loop, so its cost per user counts (40,000 users in a large org).
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
    }
    return out.sort((x, y) => y.sessions - x.sessions || x.login.localeCompare(y.login) || x.id.localeCompare(y.id));
  }

  /** Distinct active users on each day of a month of `days` days. */
  dailyActiveUsers(days: number): number[] {
    const counts = new Array<number>(days).fill(0);
    for (const a of this.users.values()) {
      for (let d = 0; d < days; d++) if (a.days & (1 << d)) counts[d]++;
    }
    return counts;
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

/** The client without its undefined fields; a plain loop, as Object.entries/fromEntries cost ~1 µs a user. */
function compact(c: ClientInfo): ClientInfo | undefined {
  let out: Record<string, string> | undefined;
  for (const field in c) {
    const value = c[field as keyof ClientInfo];
    if (value !== undefined) (out ??= {})[field] = value;
  }
  return out;
}
