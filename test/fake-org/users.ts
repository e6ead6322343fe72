/**
 * An org's users, consistent with a timeline of System Log events: every User actor of the events
 * is a user whose `lastLogin` is their latest successful `user.session.start` in those events (or,
 * for a user active through OAuth token grants alone, a sign-in before them), and
 * around them sit users who never signed in during the events at all, in every status Okta has.
 * Deterministic for a seed: choices are hashes of the seed and the user's id, never `Math.random`
 * (only which five signers are guaranteed a non-ACTIVE status depends on who else signed in).
 */
import { FIRST_NAMES, HOSTILE_LOGINS, HOSTILE_NAMES, LAST_NAMES } from './catalog';
import { hash32, oktaId } from './prng';
import type { TruthEvent } from './truth';
import type { OktaUser, UserStatus } from './types';

export const USER_STATUSES: readonly UserStatus[] = ['STAGED', 'PROVISIONED', 'ACTIVE', 'RECOVERY', 'LOCKED_OUT', 'PASSWORD_EXPIRED', 'SUSPENDED', 'DEPROVISIONED'];

export interface DirectoryOptions {
  seed: number;
  /**
   * Users with no event at all: ACTIVE with an old or no `lastLogin`, STAGED and PROVISIONED who
   * never signed in, SUSPENDED, DEPROVISIONED, LOCKED_OUT, PASSWORD_EXPIRED and RECOVERY, in a fixed
   * pattern of 16 so that any 16 consecutive ones hold every status. Default: a quarter of the
   * actors, at least 16.
   */
  dormant?: number;
  /** How many of the dormant users (the first ones, which are ACTIVE) get hostile profile fields. Default 0. */
  hostileNames?: number;
  /** The directory's present: no timestamp is later. Default one day after the latest event. */
  asOf?: Date | string | number;
}

const DAY = 86_400_000;
/** Okta's profile schema: firstName and lastName hold 1 to 50 characters. */
const NAME_MAX = 50;
/** A status an admin or a failed sign-in set after the user's last sign-in. */
const LATER: ReadonlySet<UserStatus> = new Set(['LOCKED_OUT', 'PASSWORD_EXPIRED', 'RECOVERY', 'SUSPENDED', 'DEPROVISIONED']);
/** What a few of the users who did sign in have become since; one each once there are 12 of them. */
const SIGNER_LATER: readonly UserStatus[] = ['LOCKED_OUT', 'PASSWORD_EXPIRED', 'RECOVERY', 'SUSPENDED', 'DEPROVISIONED'];
/** Dormant users' statuses, and whether their `lastLogin` is null (else an old one). */
const DORMANT_PATTERN: readonly [UserStatus, boolean][] = [
  ['ACTIVE', false], ['ACTIVE', false], ['ACTIVE', false], ['ACTIVE', false], ['ACTIVE', true],
  ['STAGED', true], ['STAGED', true], ['PROVISIONED', true], ['PROVISIONED', true],
  ['SUSPENDED', false], ['SUSPENDED', false], ['DEPROVISIONED', false], ['DEPROVISIONED', true],
  ['LOCKED_OUT', false], ['PASSWORD_EXPIRED', false], ['RECOVERY', false],
];

interface Actor {
  id: string;
  login: string;
  displayName: string;
  /** Epoch ms of the latest successful sign-in, if any. */
  lastSuccess?: number;
  /** Whether the events grant the user an OAuth 2.0 token (a Customer Identity user without a session). */
  granted?: boolean;
}

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

function monthStart(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

function toMs(t: Date | string | number): number {
  const ms = t instanceof Date ? t.getTime() : typeof t === 'number' ? t : Date.parse(t);
  if (!Number.isFinite(ms)) throw new Error(`not an instant: ${String(t)}`);
  return ms;
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** The User actors of the events, with their latest successful sign-in. */
function actorsOf(events: Iterable<TruthEvent>): { actors: Map<string, Actor>; earliest: number; latest: number } {
  const actors = new Map<string, Actor>();
  let earliest = Infinity;
  let latest = -Infinity;
  for (const ev of events) {
    const at = Date.parse(ev.published);
    earliest = Math.min(earliest, at);
    latest = Math.max(latest, at);
    if (ev.actor?.type !== 'User' || !ev.actor.id || ev.actor.id === 'unknown') continue;
    const a = actors.get(ev.actor.id) ?? { id: ev.actor.id, login: ev.actor.alternateId ?? ev.actor.id, displayName: ev.actor.displayName ?? '' };
    actors.set(a.id, a);
    if (ev.outcome?.result === 'SUCCESS' && /^app\.oauth2\.(as\.)?(token\.grant|authorize\.implicit)\./.test(ev.eventType)) a.granted = true;
    if (ev.eventType === 'user.session.start' && ev.outcome?.result === 'SUCCESS' && !(at <= (a.lastSuccess ?? -Infinity))) {
      a.lastSuccess = at;
      // The name as of the latest sign-in, should a test have renamed someone along the way.
      a.login = ev.actor.alternateId ?? a.login;
      a.displayName = ev.actor.displayName ?? a.displayName;
    }
  }
  return { actors, earliest, latest };
}

export function generateUsers(events: Iterable<TruthEvent>, opts: DirectoryOptions): OktaUser[] {
  const seed = opts.seed >>> 0;
  const { actors, earliest, latest } = actorsOf(events);
  const asOf = opts.asOf !== undefined ? toMs(opts.asOf) : Number.isFinite(latest) ? latest + DAY : Date.UTC(2026, 0, 1);
  if (asOf <= latest) throw new Error(`asOf (${new Date(asOf).toISOString()}) must be later than the latest event`);
  // Old sign-ins fall before the first month the events touch, so no counted month can disagree with them.
  const floor = monthStart(Number.isFinite(earliest) ? earliest : asOf - 31 * DAY);
  const typeId = oktaId('oty', seed, 1);
  const taken = new Set([...actors.values()].map((a) => a.login.toLowerCase()));
  const users: OktaUser[] = [];

  const build = (id: string, status: UserStatus, lastLogin: number | null, profile: OktaUser['profile']): OktaUser => {
    const h = hash32(seed, fnv1a(id));
    const r = (k: number) => hash32(h, k) / 2 ** 32;
    const anchor = Math.min(lastLogin ?? floor, floor);
    const created = anchor - DAY - Math.floor(r(1) * 700 * DAY);
    // Activated within a day of creation, so still before the first sign-in (created is a day or more before it).
    const activated = status === 'STAGED' ? null : created + Math.floor(r(2) * DAY);
    const since = Math.max(lastLogin ?? created, activated ?? created);
    const statusChanged = status === 'STAGED' ? null : LATER.has(status) ? since + 1 + Math.floor(r(3) * (asOf - since - 1)) : activated;
    const hasPassword = status !== 'STAGED' && status !== 'PROVISIONED';
    const passwordChanged = hasPassword && activated !== null ? activated + Math.floor(r(4) * ((lastLogin ?? activated) - activated)) : null;
    const base = Math.max(created, activated ?? created, statusChanged ?? created, passwordChanged ?? created);
    const lastUpdated = base + Math.floor(r(5) ** 2 * (asOf - base));
    return {
      id,
      status,
      created: iso(created)!,
      activated: iso(activated),
      statusChanged: iso(statusChanged),
      lastLogin: iso(lastLogin),
      lastUpdated: iso(lastUpdated)!,
      passwordChanged: iso(passwordChanged),
      type: { id: typeId },
      profile: { ...profile, displayName: profile.displayName !== null && r(6) < 0.7 ? profile.displayName : null },
      credentials: { ...(hasPassword ? { password: {} } : {}), provider: { type: 'OKTA', name: 'OKTA' } },
    };
  };

  // Users who signed in: a few have been locked out, suspended or deprovisioned since.
  const signers = [...actors.values()].filter((a) => a.lastSuccess !== undefined);
  const rank = new Map([...signers].sort((a, b) => hash32(seed ^ 0x57a7, fnv1a(a.id)) - hash32(seed ^ 0x57a7, fnv1a(b.id)) || (a.id < b.id ? -1 : 1)).map((a, i) => [a.id, i]));
  for (const a of actors.values()) {
    const r = hash32(seed ^ 0x5e1, fnv1a(a.id)) / 2 ** 32;
    const [first, ...rest] = a.displayName.split(' ');
    const profile = { firstName: (first || a.login).slice(0, NAME_MAX), lastName: rest.join(' ').slice(0, NAME_MAX) || null, mobilePhone: null, secondEmail: null, login: a.login, email: a.login, displayName: a.displayName || null };
    if (a.lastSuccess !== undefined) {
      const k = rank.get(a.id)!;
      const status: UserStatus = signers.length >= 12 && k < SIGNER_LATER.length ? SIGNER_LATER[k] : r < 0.96 ? 'ACTIVE' : r < 0.98 ? 'LOCKED_OUT' : 'PASSWORD_EXPIRED';
      users.push(build(a.id, status, a.lastSuccess, profile));
    } else if (a.granted) {
      // Active through tokens alone (a refresh token outlives its sign-in): a user who may still sign in,
      // whose last sign-in (`lastLogin`) came before the events.
      const status: UserStatus = r < 0.94 ? 'ACTIVE' : r < 0.97 ? 'LOCKED_OUT' : 'PASSWORD_EXPIRED';
      users.push(build(a.id, status, floor - DAY - Math.floor(r * 400 * DAY), profile));
    } else {
      // Known usernames whose every sign-in failed: half are locked out by now; a third never signed in at all.
      const never = hash32(seed ^ 0xfa11, fnv1a(a.id)) % 3 === 0;
      users.push(build(a.id, r < 0.5 ? 'LOCKED_OUT' : 'ACTIVE', never ? null : floor - DAY - Math.floor(r * 400 * DAY), profile));
    }
  }

  // Users with no event at all.
  const dormant = Math.max(0, Math.floor(opts.dormant ?? Math.max(16, Math.round(actors.size / 4))));
  const hostile = Math.min(dormant, Math.max(0, Math.floor(opts.hostileNames ?? 0)));
  for (let k = 0, n = 0; k < dormant; n++) {
    const id = oktaId('00u', seed ^ 0x0d0e, n);
    if (actors.has(id)) continue;
    const [status, neverSignedIn] = DORMANT_PATTERN[k % DORMANT_PATTERN.length];
    const h = hash32(seed ^ 0xd0, n);
    const lastLogin = neverSignedIn ? null : floor - DAY - Math.floor((h / 2 ** 32) * 400 * DAY);
    let profile: OktaUser['profile'];
    if (k < hostile) {
      const name = HOSTILE_NAMES[k % HOSTILE_NAMES.length];
      const template = HOSTILE_LOGINS[k % HOSTILE_LOGINS.length];
      const at = template.lastIndexOf('@');
      const login = k < HOSTILE_LOGINS.length ? template : `${template.slice(0, at)}${k}${template.slice(at)}`;
      taken.add(login.toLowerCase());
      profile = { firstName: name.slice(0, NAME_MAX), lastName: HOSTILE_NAMES[(k + 3) % HOSTILE_NAMES.length].slice(0, NAME_MAX), mobilePhone: null, secondEmail: null, login, email: login, displayName: name };
    } else {
      const first = FIRST_NAMES[h % FIRST_NAMES.length];
      const last = LAST_NAMES[Math.floor(h / FIRST_NAMES.length) % LAST_NAMES.length];
      const base = `${first}.${last}`.toLowerCase();
      let login = `${base}@example.com`;
      for (let i = 2; taken.has(login); i++) login = `${base}${i}@example.com`;
      taken.add(login);
      profile = { firstName: first, lastName: last, mobilePhone: null, secondEmail: null, login, email: login, displayName: `${first} ${last}` };
    }
    const user = build(id, status, lastLogin, profile);
    // A hostile name is only useful where a display shows it.
    if (k < hostile) user.profile.displayName = profile.displayName;
    users.push(user);
    k++;
  }
  return users.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
